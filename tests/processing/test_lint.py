import datetime

import pytest

from processing.lint import lint
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    RecipientFactory,
    RetentionRuleFactory,
    SubjectGroupFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


def codes(activity) -> set[str]:
    activities = type(activity).objects.filter(pk=activity.pk)
    return {f.code for f in lint(activities, TODAY, board=activity.board)}


@pytest.fixture
def activity():
    """A complete activity: one purpose on a legal obligation and a retention rule."""
    activity = ActivityFactory()
    activity.purposes.create(description="Inschrijven", legal_basis="c", legal_basis_detail="WPO")
    activity.retention_rules.add(RetentionRuleFactory(board=activity.board))
    return activity


def add_data(activity, **kind):
    category = DataCategoryFactory(board=activity.board, **kind)
    activity.data_categories.create(
        category=category, subject_group=SubjectGroupFactory(board=activity.board)
    )


def test_a_complete_activity_has_no_findings(activity):
    assert codes(activity) == set()


def test_special_category_needs_an_art9_exception(activity):
    add_data(activity, kind="bijzonder", special_type="gezondheid")
    assert "special_without_exception" in codes(activity)
    activity.purposes.update(special_category_exception="g")
    assert "special_without_exception" not in codes(activity)


def test_bsn_needs_a_law_based_purpose(activity):
    add_data(activity, kind="bsn")
    assert "bsn_without_law" not in codes(activity)
    activity.purposes.update(legal_basis="a")
    activity.consent_how_withdrawn = "Bij de directeur."
    activity.save()
    assert "bsn_without_law" in codes(activity)


def test_consent_needs_withdrawal_information(activity):
    activity.purposes.update(legal_basis="a")
    assert "consent_without_withdrawal" in codes(activity)


def test_legitimate_interest_needs_its_interest_named(activity):
    activity.purposes.update(legal_basis="f", legal_basis_detail="")
    assert "legitimate_interest_unexplained" in codes(activity)


@pytest.mark.parametrize(
    ("status", "valid_until", "code"),
    [
        ("ontbreekt", None, "processor_without_dpa"),
        ("verlopen", None, "processor_without_dpa"),
        ("getekend", datetime.date(2026, 1, 1), "processor_without_dpa"),
        ("verstuurd", None, "processor_dpa_unsigned"),
        ("getekend", datetime.date(2027, 1, 1), None),
    ],
)
def test_processors_need_a_valid_dpa(activity, status, valid_until, code):
    processor = RecipientFactory(
        board=activity.board, kind="verwerker", dpa_status=status, dpa_valid_until=valid_until
    )
    activity.processors.add(processor)
    found = codes(activity) & {"processor_without_dpa", "processor_dpa_unsigned"}
    assert found == ({code} if code else set())


def test_a_transfer_outside_the_eea_needs_a_safeguard(activity):
    outside = RecipientFactory(
        board=activity.board, kind="verwerker", dpa_status="getekend", in_eea=False
    )
    activity.processors.add(outside)
    assert "outside_eea_without_transfer" in codes(activity)
    transfer = activity.transfers.create(recipient=outside, country="Verenigde Staten")
    assert "transfer_without_safeguard" in codes(activity)
    transfer.safeguard = "scc"
    transfer.save()
    assert not codes(activity) & {"transfer_without_safeguard", "outside_eea_without_transfer"}


def test_an_activity_needs_a_retention_rule_and_a_current_review_date(activity):
    activity.retention_rules.clear()
    activity.next_review_on = datetime.date(2026, 1, 1)
    activity.save()
    assert {"no_retention", "review_passed"} <= codes(activity)


def test_the_lint_page_links_each_finding_to_the_field_to_fix(client):
    from privacyregister.roles import Role
    from tests.factories import MembershipFactory

    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=officer.board, name="Zonder doel")
    client.force_login(officer.user)
    content = client.get(f"/b/{officer.board.slug}/controle/").content.decode()
    assert "Er is geen doel met een grondslag." in content
    assert f"/b/{officer.board.slug}/register/{activity.pk}/bewerken/doelen/#doelen" in content


def test_the_demo_registers_show_findings_for_the_gaps_left_on_purpose(settings):
    from privacyregister.models import Board
    from workspace.demo import load_demo

    load_demo()
    cpow = Board.objects.get(slug="cpow")
    findings = lint(cpow.activities.all(), TODAY, board=cpow)
    by_activity = {(f.activity.name, f.code) for f in findings}
    assert ("Kwaliteitszorg en verantwoording", "no_retention") in by_activity
    assert ("Cameratoezicht", "processor_without_dpa") not in by_activity


@pytest.mark.parametrize(("role", "linked"), [("beheerder", True), ("privacy_officer", False)])
def test_missing_board_facts_link_to_the_board_settings_for_whoever_may_fill_them_in(
    client, role, linked
):
    """A new board's first lint says its privacy contact and FG are missing; the beheerder
    should not have to guess that 'Bestuur' in the menu is where they go (issue 17)."""
    from privacyregister.roles import Role
    from tests.factories import BoardFactory, MembershipFactory

    board = BoardFactory(privacy_email="", fg_name="", fg_email="")
    member = MembershipFactory(board=board, role=Role(role))
    client.force_login(member.user)
    settings_link = f'<a href="/b/{board.slug}/instellingen/">Invullen</a>'
    for page in (f"/b/{board.slug}/controle/", f"/b/{board.slug}/verklaringen/bestuur/"):
        content = client.get(page).content.decode()
        assert "Vul het e-mailadres voor privacyvragen in" in content
        assert (settings_link in content) is linked
