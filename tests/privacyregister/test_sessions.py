"""A session ends after two hours without activity, without a database write on every page."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def session_writes(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return sum('"django_session"' in q["sql"] and "UPDATE" in q["sql"] for q in context)


def test_a_page_renews_the_session_at_most_once_a_minute(client):
    client.force_login(MembershipFactory().user)
    session_writes(client)
    assert session_writes(client) == 0
    assert session_writes(client) == 0


def test_a_request_after_an_idle_hour_gives_two_hours_again(client):
    client.force_login(MembershipFactory().user)
    session_writes(client)
    session = client.session
    session["renewed_at"] -= 3600
    session.save()
    an_hour_left = timezone.now() + timedelta(hours=1)
    Session.objects.update(expire_date=an_hour_left)

    assert session_writes(client) == 1
    renewed = Session.objects.get().expire_date
    assert renewed - an_hour_left > timedelta(minutes=59)


def test_an_anonymous_visitor_gets_no_session(client):
    client.get("/privacy/")
    assert not Session.objects.exists()


def test_a_made_up_session_cookie_creates_no_session(client):
    client.cookies["sessionid"] = "k" * 32
    assert client.get("/privacy/").status_code in (200, 404)
    assert client.get("/gezond/").status_code == 200
    assert not Session.objects.exists()
