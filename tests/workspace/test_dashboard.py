"""The dashboard per role (issue 18 point 4): late requests apart from those due soon, counts
in correct Dutch, the FG's open advice, statements that no longer match the register, and the
register's "open advies" filter and column."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacyregister.roles import Role
from processing.models import ActivityFinding, ProcessingActivity
from rights.models import RightsRequest
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    RightsRequestFactory,
    SchoolFactory,
    StatementVersionFactory,
)

pytestmark = pytest.mark.django_db

APPROVED = ProcessingActivity.Status.APPROVED


def _dashboard(client) -> str:
    return client.get(reverse("dashboard")).content.decode()


def _section(content: str, heading: str) -> str:
    """The part of the page from this heading to the next one."""
    start = content.index(heading)
    end = content.find("<h3>", start)
    return content[start : end if end > 0 else None]


@pytest.fixture
def fg(client, officer):
    membership = MembershipFactory(board=officer.board, role=Role.FG)
    return membership


def test_a_request_past_its_deadline_is_listed_as_late_with_the_days_it_is_late(client, officer):
    today = timezone.localdate()
    RightsRequestFactory(
        board=officer.board,
        type=RightsRequest.Type.ERASURE,
        deadline=today - timedelta(days=8),
    )
    RightsRequestFactory(board=officer.board, deadline=today + timedelta(days=3))
    content = _dashboard(client)
    late = _section(content, "Verzoeken te laat")
    assert "8 dagen te laat" in late
    assert "wissen" in late
    soon = _section(content, "Verzoeken met een deadline binnen een week")
    assert "wissen" not in soon
    assert "inzage" in soon


def test_a_request_one_day_late_reads_one_day(client, officer):
    RightsRequestFactory(board=officer.board, deadline=timezone.localdate() - timedelta(days=1))
    content = _dashboard(client)
    assert "1 dag te laat" in content
    assert "binnen een week" not in content


def _finding(activity, severity, position):
    ActivityFinding.objects.create(
        activity=activity, position=position, severity=severity, code="x", anchor="x"
    )


def test_one_error_and_one_warning_are_counted_in_the_singular(client, officer):
    activity = ActivityFactory(board=officer.board)
    ActivityFinding.objects.filter(activity=activity).delete()
    _finding(activity, ActivityFinding.Severity.ERROR, 1)
    _finding(activity, ActivityFinding.Severity.WARNING, 2)
    content = _dashboard(client)
    assert "1 fout en 1 aandachtspunt<" in content
    assert "1 fouten" not in content


def test_the_privacy_officer_sees_the_open_advice_of_the_fg_and_not_the_resolved(
    client, officer, fg
):
    activity = ActivityFactory(board=officer.board, name="Cameratoezicht")
    activity.comments.create(author=fg.user, text="Doe eerst een DPIA.")
    activity.comments.create(author=fg.user, text="Al opgelost advies.", resolved_at=timezone.now())
    content = _dashboard(client)
    advice = _section(content, "1 open advies van de FG")
    assert "Cameratoezicht" in advice
    assert "Doe eerst een DPIA." in advice
    assert "Al opgelost advies." not in content
    assert (
        reverse("activity_comments", kwargs={"board": officer.board.slug, "pk": activity.pk})
        in advice
    )


def test_the_fg_sees_the_advice_they_gave_that_is_still_open_and_what_waits_for_review(
    client, officer, fg
):
    other_fg = MembershipFactory(board=officer.board, role=Role.FG)
    activity = ActivityFactory(board=officer.board, status=ProcessingActivity.Status.IN_REVIEW)
    activity.comments.create(author=fg.user, text="Mijn advies.")
    activity.comments.create(author=other_fg.user, text="Advies van een ander.")
    client.force_login(fg.user)
    content = _dashboard(client)
    mine = _section(content, "Mijn advies dat nog open staat (1)")
    assert "Mijn advies." in mine
    assert "Advies van een ander." not in content
    assert activity.name in _section(content, "Wacht op vaststelling")


def test_a_school_statement_is_out_of_date_when_an_activity_for_it_was_approved_later(
    client, officer
):
    board = officer.board
    now = timezone.now()
    behind, current, elsewhere = (
        SchoolFactory(board=board, name=name) for name in ["De Linde", "De Es", "De Eik"]
    )
    for school in (behind, current, elsewhere):
        StatementVersionFactory(board=board, school=school, published_at=now - timedelta(days=10))
    local = ActivityFactory(
        board=board,
        applies_to_all_schools=False,
        status=APPROVED,
        approved_at=now - timedelta(days=2),
    )
    local.schools.add(behind)
    ActivityFactory(
        board=board, status=APPROVED, approved_at=now - timedelta(days=20)
    )  # before every publication
    StatementVersionFactory(board=board, published_at=now - timedelta(days=1))
    content = _dashboard(client)
    out_of_date = _section(content, "Privacyverklaringen die niet meer kloppen")
    assert "De Linde" in out_of_date
    assert "De Es" not in out_of_date
    assert "De Eik" not in out_of_date
    assert "Privacyverklaring van het bestuur" not in out_of_date  # published after it


def test_an_activity_for_all_schools_approved_later_puts_every_published_statement_behind(
    client, officer
):
    board = officer.board
    now = timezone.now()
    published = SchoolFactory(board=board, name="De Linde")
    SchoolFactory(board=board, name="Nooit Gepubliceerd")
    StatementVersionFactory(board=board, school=published, published_at=now - timedelta(days=5))
    StatementVersionFactory(board=board, published_at=now - timedelta(days=5))
    ActivityFactory(board=board, status=APPROVED, approved_at=now - timedelta(days=1))
    out_of_date = _section(_dashboard(client), "Privacyverklaringen die niet meer kloppen")
    assert "De Linde" in out_of_date
    assert "Privacyverklaring van het bestuur" in out_of_date
    assert "Nooit Gepubliceerd" not in out_of_date


def test_a_medewerker_sees_no_advice_and_no_statements_on_the_dashboard(client, officer, fg):
    activity = ActivityFactory(board=officer.board, status=APPROVED, approved_at=timezone.now())
    activity.comments.create(author=fg.user, text="Geheim advies.")
    school = SchoolFactory(board=officer.board)
    medewerker = MembershipFactory(board=officer.board, role=Role.MEDEWERKER, school=school)
    client.force_login(medewerker.user)
    content = _dashboard(client)
    assert "Geheim advies." not in content
    assert "open advies" not in content


def _register(client, board, query: str = "") -> str:
    return client.get(reverse("activity_list", kwargs={"board": board.slug}) + query).text


def test_the_register_shows_open_advice_per_activity_and_filters_on_it(client, officer, fg):
    with_advice = ActivityFactory(board=officer.board, name="Met advies")
    with_advice.comments.create(author=fg.user, text="Een.")
    with_advice.comments.create(author=fg.user, text="Twee.")
    resolved = ActivityFactory(board=officer.board, name="Afgehandeld")
    resolved.comments.create(author=fg.user, text="Klaar.", resolved_at=timezone.now())
    ActivityFactory(board=officer.board, name="Zonder advies")
    everything = _register(client, officer.board)
    assert "Open advies" in everything
    assert "2 open adviezen" in everything
    filtered = _register(client, officer.board, "?open_advice=true")
    assert "Met advies" in filtered
    assert "Afgehandeld" not in filtered
    assert "Zonder advies" not in filtered
    without = _register(client, officer.board, "?open_advice=false")
    assert "Met advies" not in without
    assert "Afgehandeld" in without


def test_a_medewerker_can_not_filter_the_register_on_advice(client, officer, fg):
    school = SchoolFactory(board=officer.board)
    activity = ActivityFactory(board=officer.board, status=APPROVED, approved_at=timezone.now())
    activity.comments.create(author=fg.user, text="Een.")
    medewerker = MembershipFactory(board=officer.board, role=Role.MEDEWERKER, school=school)
    client.force_login(medewerker.user)
    content = _register(client, officer.board, "?open_advice=false")
    assert activity.name in content  # the parameter is ignored, not a way to learn of advice
    assert "Open advies" not in content
