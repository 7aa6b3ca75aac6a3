"""Fixtures of the register's exports: an activity approved, then edited (its version in force
and its draft differ)."""

import datetime

import pytest
from django.urls import reverse

from processing.models import ProcessingActivity
from tests.factories import ActivityFactory
from tests.forms import form_data


@pytest.fixture
def edited(client, officer) -> ProcessingActivity:
    """Approved with the purpose "Onderwijs geven" on 1 november 2025, then edited to
    "Onderwijs op afstand"."""
    activity = ActivityFactory.create(
        board=officer.board,
        name="Leerlingvolgsysteem",
        status="vastgesteld",
        approved_at=datetime.datetime(2025, 11, 1, 14, 5, tzinfo=datetime.UTC),
        approved_by=officer.user,
        owner=officer.user,
    )
    activity.purposes.create(description="Onderwijs geven", legal_basis="e")
    url = reverse(
        "activity_edit_part",
        kwargs={"board": activity.board.slug, "pk": activity.pk, "part": "doelen"},
    )
    data = form_data(client.get(url))
    data["doelen-0-description"] = "Onderwijs op afstand"
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    return activity
