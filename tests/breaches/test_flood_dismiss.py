"""Closing the reports of a possible flood in one step: chosen on the list, confirmed on a page
that shows them, then each decided "no personal data" and closed with one motivation."""

import pytest
from django.test import override_settings
from django.urls import reverse

from breaches import services
from breaches.models import Breach, BreachEvent
from privacyregister.models import SecurityEvent
from privacyregister.roles import Role
from tests.factories import BoardFactory, BreachFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db
MOTIVATION = "Dezelfde onzintekst, 300 keer in een uur; geen persoonsgegevens."


def flood(board, count: int) -> list[Breach]:
    """Public reports past the board's hourly limit of one: the first is a normal report."""
    with override_settings(BREACH_REPORTS_PER_BOARD=1):
        reports = [
            services.breach_report(
                breach=BreachFactory.build(board=board, what_happened=f"spam {n}")
            )
            for n in range(count + 1)
        ]
    assert [report.flood_suspected for report in reports] == [False] + [True] * count
    return reports[1:]


def dismiss_url(board) -> str:
    return reverse("breach_flood_dismiss", kwargs={"board": board.slug})


def post(client, board, breaches, motivation=MOTIVATION, confirmed=True):
    data = {"breaches": [breach.pk for breach in breaches], "motivation": motivation}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(dismiss_url(board), data)


def test_the_officer_closes_three_flagged_reports_with_one_motivation(client, officer):
    flagged = flood(officer.board, 3)
    response = post(client, officer.board, flagged)
    assert response.status_code == 302
    assert response.url.endswith("/datalekken/?massamelding=ja")
    for breach in flagged:
        breach.refresh_from_db()
        assert breach.status == Breach.Status.CLOSED and breach.closed_at
        assert breach.personal_data_involved is False
        assert breach.must_notify_ap is False
        assert breach.decision_motivation == MOTIVATION
        assert breach.decided_by == officer.user and breach.handler == officer.user
        (event,) = breach.events.exclude(kind=BreachEvent.Kind.REPORTED)
        assert event.kind == BreachEvent.Kind.CLOSED and event.actor == officer.user
        assert "mogelijke massamelding" in event.description
        assert MOTIVATION in event.description
    (entry,) = SecurityEvent.objects.filter(action=services.FLOOD_DISMISSED_ACTION)
    assert entry.actor == officer.user and entry.board == officer.board
    assert entry.detail["count"] == 3
    assert entry.detail["breaches"] == [breach.reference for breach in flagged]
    page = client.get(response.url)
    assert "3 meldingen afgesloten als geen datalek." in page.text
    # A closed report gets no reminders: none was queued for it (none is due either).
    assert not any(breach.events.filter(kind__startswith="reminder") for breach in flagged)


def test_a_report_taken_on_or_not_flagged_is_not_closed(client, officer):
    taken, waiting = flood(officer.board, 2)
    normal = Breach.objects.get(board=officer.board, flood_suspected=False)
    services.breach_start(actor=officer.user, breach=taken)
    assert post(client, officer.board, [normal, taken, waiting]).status_code == 302
    for breach in (normal, taken, waiting):
        breach.refresh_from_db()
    assert waiting.status == Breach.Status.CLOSED
    assert normal.status == Breach.Status.REPORTED and not normal.is_decided
    assert taken.status == Breach.Status.IN_PROGRESS and not taken.is_decided
    assert SecurityEvent.objects.get(action=services.FLOOD_DISMISSED_ACTION).detail["count"] == 1


def test_a_flagged_report_with_an_open_measure_is_left_open_by_the_service(officer):
    breach, other = flood(officer.board, 2)
    services.breach_measure_add(
        actor=officer.user,
        breach=breach,
        description="Formulier controleren",
        owner=None,
        due_on=None,
    )
    closed = services.breaches_dismiss_flood(
        actor=officer.user, board=officer.board, breaches=[breach, other], motivation=MOTIVATION
    )
    assert closed == [other]
    breach.refresh_from_db()
    assert breach.status == Breach.Status.REPORTED and not breach.is_decided


def test_another_boards_report_is_not_touched(client, officer):
    own = flood(officer.board, 1)
    foreign = flood(BoardFactory(), 1)
    response = post(client, officer.board, own + foreign)
    assert response.status_code == 400
    assert "Een gekozen melding hoort niet bij dit bestuur." in response.text
    # The service, given another board's report, leaves it as well.
    closed = services.breaches_dismiss_flood(
        actor=officer.user, board=officer.board, breaches=foreign, motivation=MOTIVATION
    )
    assert closed == []
    foreign[0].refresh_from_db()
    assert foreign[0].status == Breach.Status.REPORTED
    assert not SecurityEvent.objects.filter(action=services.FLOOD_DISMISSED_ACTION).exists()


@pytest.mark.parametrize("confirmed", [False, True])
def test_an_empty_motivation_is_refused_and_nothing_changes(client, officer, confirmed):
    flagged = flood(officer.board, 2)
    response = post(client, officer.board, flagged, motivation="  ", confirmed=confirmed)
    assert response.status_code == 400
    assert "Motiveer waarom dit geen datalekken zijn." in response.text
    assert Breach.objects.filter(status=Breach.Status.CLOSED).count() == 0
    assert not BreachEvent.objects.filter(kind=BreachEvent.Kind.CLOSED).exists()
    with pytest.raises(ValueError, match="Motiveer"):
        services.breaches_dismiss_flood(
            actor=officer.user, board=officer.board, breaches=flagged, motivation=""
        )


def test_the_confirm_step_shows_the_references_before_anything_is_closed(client, officer):
    flagged = flood(officer.board, 3)
    response = post(client, officer.board, flagged, confirmed=False)
    assert response.status_code == 200
    for breach in flagged:
        assert breach.reference in response.text
    assert MOTIVATION in response.text
    assert "Weet u zeker dat u deze 3 meldingen wilt afsluiten als geen datalek?" in response.text
    assert 'name="confirmed"' in response.text
    assert not Breach.objects.filter(status=Breach.Status.CLOSED).exists()
    assert not SecurityEvent.objects.filter(action=services.FLOOD_DISMISSED_ACTION).exists()


def test_more_than_a_page_of_reports_is_refused(client, officer):
    flagged = flood(officer.board, 26)
    response = post(client, officer.board, flagged)
    assert response.status_code == 400
    assert "Kies ten hoogste 25 meldingen tegelijk." in response.text
    assert not Breach.objects.filter(status=Breach.Status.CLOSED).exists()


@pytest.mark.parametrize("role", [Role.FG, Role.SCHOOLLEIDER])
def test_an_fg_or_school_leader_gets_403(client, officer, role):
    flagged = flood(officer.board, 1)
    school = SchoolFactory(board=officer.board) if role == Role.SCHOOLLEIDER else None
    membership = MembershipFactory(board=officer.board, role=role, school=school)
    client.force_login(membership.user)
    assert post(client, officer.board, flagged).status_code == 403
    assert not Breach.objects.filter(status=Breach.Status.CLOSED).exists()


def test_the_flood_list_offers_the_form_to_who_handles_breaches_only(client, officer):
    flagged = flood(officer.board, 2)
    services.breach_start(actor=officer.user, breach=flagged[0])
    url = reverse("breach_list", kwargs={"board": officer.board.slug})
    page = client.get(url, {"massamelding": "ja"}).text
    assert "Afsluiten als geen datalek" in page
    assert f'value="{flagged[1].pk}" id="kies-{flagged[1].pk}"' in page
    assert f'id="kies-{flagged[0].pk}"' not in page  # taken on: not offered
    assert "Afsluiten als geen datalek" not in client.get(url).text  # not filtered to a flood
    fg = MembershipFactory(board=officer.board, role=Role.FG)
    client.force_login(fg.user)
    assert "Afsluiten als geen datalek" not in client.get(url, {"massamelding": "ja"}).text
