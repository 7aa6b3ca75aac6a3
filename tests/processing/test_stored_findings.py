"""Lint findings are stored when an activity, one of its rows or a term it uses changes, and the
dashboard and the lint page read them instead of running the rules."""

import datetime

import pytest
from django.urls import reverse

from processing.findings import finding_counts, findings_refresh, stored_findings
from processing.lint import lint
from processing.models import ActivityFinding, ProcessingActivity, Recipient
from tests.factories import (
    ActivityFactory,
    RecipientFactory,
    RetentionRuleFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def activity(officer):
    """A complete activity: one purpose on a legal obligation and a retention rule."""
    activity = ActivityFactory(board=officer.board)
    activity.purposes.create(description="Inschrijven", legal_basis="c", legal_basis_detail="WPO")
    activity.retention_rules.add(RetentionRuleFactory(board=activity.board))
    return activity


def stored(activity: ProcessingActivity, today: datetime.date = TODAY) -> set[str]:
    return {
        f.code for f in stored_findings(ProcessingActivity.objects.filter(pk=activity.pk), today)
    }


def test_a_complete_activity_has_no_stored_findings(activity):
    assert stored(activity) == set()


def test_editing_an_activity_and_its_rows_on_the_edit_page_stores_its_new_findings(
    client, activity
):
    edit = reverse(
        "activity_edit_part",
        kwargs={"board": activity.board.slug, "pk": activity.pk, "part": "doelen"},
    )
    data = form_data(client.get(edit))
    data.update({"doelen-0-legal_basis": "a", "consent_how_withdrawn": ""})
    assert client.post(edit, data).status_code == 302
    assert stored(activity) == {"consent_without_withdrawal"}

    data = form_data(client.get(edit))
    data["consent_how_withdrawn"] = "Bij de directeur."
    client.post(edit, data)
    assert stored(activity) == set()


def test_deleting_a_row_or_unlinking_a_retention_rule_stores_the_new_findings(activity):
    activity.purposes.get().delete()
    assert stored(activity) == {"no_purpose"}
    activity.retention_rules.clear()
    assert stored(activity) == {"no_purpose", "no_retention"}


def test_deleting_a_retention_rule_stores_the_findings_of_its_activities(activity):
    activity.retention_rules.get().delete()
    assert stored(activity) == {"no_retention"}


def test_changing_a_term_stores_the_findings_of_the_activities_that_use_it(activity):
    processor = RecipientFactory(
        board=activity.board, kind="verwerker", dpa_status=Recipient.DpaStatus.SIGNED
    )
    activity.processors.add(processor)
    assert stored(activity) == set()

    processor.dpa_status = Recipient.DpaStatus.MISSING
    processor.save()
    assert stored(activity) == {"processor_without_dpa"}

    processor.in_eea = False
    processor.save()
    assert stored(activity) == {"processor_without_dpa", "outside_eea_without_transfer"}

    activity.processors.remove(processor)
    processor.delete()
    assert stored(activity) == set()


def test_findings_about_dates_hold_from_the_right_day_without_being_worked_out_again(activity):
    valid_until = datetime.date(2026, 12, 31)
    processor = RecipientFactory(
        board=activity.board,
        kind="verwerker",
        dpa_status=Recipient.DpaStatus.SENT,
        dpa_valid_until=valid_until,
    )
    activity.processors.add(processor)
    activity.next_review_on = valid_until
    activity.save()

    on_the_day = stored(activity, valid_until)
    day_after = stored(activity, valid_until + datetime.timedelta(days=1))

    assert on_the_day == {"processor_dpa_unsigned"}
    assert day_after == {"processor_without_dpa", "review_passed"}
    for day in [valid_until, valid_until + datetime.timedelta(days=1)]:
        live = {
            f.code
            for f in lint(type(activity).objects.filter(pk=activity.pk), day, board=activity.board)
        }
        assert stored(activity, day) == live


def test_the_stored_findings_are_those_the_rules_give_for_every_demo_activity(settings):
    from privacyregister.models import Board
    from workspace.demo import load_demo

    load_demo()
    for board in Board.objects.all():
        activities = board.activities.order_by("name")
        live = [
            (f.activity, f.code, f.message, f.anchor) for f in lint(activities, TODAY, board=board)
        ]
        kept = [
            (f.activity, f.code, f.message, f.anchor) for f in stored_findings(activities, TODAY)
        ]
        assert kept == live and live
        counts = finding_counts(activities, TODAY)
        assert counts["errors"] + counts["warnings"] == len(live)


def test_refreshing_fills_the_findings_of_activities_made_without_signals(officer):
    activity = ProcessingActivity.objects.bulk_create(
        [ProcessingActivity(board=officer.board, number=1, name="Zonder doel", description="x")]
    )[0]
    assert not ActivityFinding.objects.filter(activity=activity).exists()
    findings_refresh([activity.pk])
    assert stored(activity) == {"no_purpose", "no_retention"}


def test_the_dashboard_and_the_lint_page_count_the_stored_findings(client, officer, activity):
    ActivityFactory(board=officer.board, name="Zonder doel")
    lint_page = client.get(reverse("lint", kwargs={"board": officer.board.slug}))
    assert lint_page.context["errors"] == 2 and lint_page.context["warnings"] == 0
    assert "Er is geen doel met een grondslag." in lint_page.text
    dashboard = client.get(reverse("dashboard")).text
    assert "Controle: 2 fouten en 0 aandachtspunten" in dashboard

    ActivityFinding.objects.all().delete()  # the pages read what is stored, not the rules
    assert (
        "Er is geen doel"
        not in client.get(reverse("lint", kwargs={"board": officer.board.slug})).text
    )


def test_deleting_an_activity_with_its_rows_deletes_its_findings(activity):
    activity.purposes.create(description="Toestemming", legal_basis="a")
    assert stored(activity) == {"consent_without_withdrawal"}
    activity.delete()
    assert not ActivityFinding.objects.exists()


def test_the_register_list_shows_each_activitys_errors_and_warnings_as_badges(client, officer):
    board = officer.board
    complete = ActivityFactory(board=board, name="Aaa compleet")
    complete.purposes.create(description="Inschrijven", legal_basis="c", legal_basis_detail="WPO")
    complete.retention_rules.add(RetentionRuleFactory(board=board))
    ActivityFactory(board=board, name="Bbb zonder doel")  # no purpose, no retention rule

    page = client.get(reverse("activity_list", kwargs={"board": board.slug}))

    rows = page.content.decode().split("<tr>")[2:]
    assert "in orde" in rows[0] and "fout" not in rows[0]
    errors = stored_findings(ProcessingActivity.objects.filter(name="Bbb zonder doel"), TODAY)
    shown = sum(f.is_error for f in errors)
    assert shown and (f"{shown} fout" in rows[1])


def test_a_member_who_sees_only_the_approved_register_sees_no_finding_badges(client):
    from privacyregister.roles import Role
    from tests.factories import MembershipFactory, SchoolFactory

    school = SchoolFactory()
    member = MembershipFactory(role=Role.MEDEWERKER, board=school.board, school=school)
    client.force_login(member.user)
    ActivityFactory(
        board=school.board,
        status=ProcessingActivity.Status.APPROVED,
        approved_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )

    page = client.get(reverse("activity_list", kwargs={"board": school.board.slug}))

    assert page.status_code == 200 and "Verwerking" in page.content.decode()
    assert "Controle" not in page.content.decode() and "badge-findings" not in page.content.decode()
