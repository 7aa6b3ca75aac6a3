"""The version in force, by one rule for every export: an activity approved, then edited, is
exported as approved (the statements' version) and, where asked, its draft beside it."""

import pytest
from django.utils import timezone

from privacyregister.access import BoardAccess
from processing.register_entries import register_entries
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _purposes(version) -> list[str]:
    return [p["description"] for p in version.data["purposes"]]


def test_an_approved_export_holds_the_version_in_force_of_an_edited_activity(officer, edited):
    selection = register_entries(
        BoardAccess(officer.user, officer.board), {"status": "vastgesteld"}
    )
    [entry] = selection.entries
    assert [_purposes(v) for v in entry.versions] == [["Onderwijs geven"]]
    assert entry.in_force is not None and entry.in_force.approved_at == edited.approved_at
    assert entry.draft is None
    assert entry.has_newer_draft


def test_an_export_of_everything_gives_the_version_in_force_and_the_draft_apart(officer, edited):
    [entry] = register_entries(BoardAccess(officer.user, officer.board), {}).entries
    assert entry.in_force is not None and entry.draft is not None
    assert _purposes(entry.in_force) == ["Onderwijs geven"]
    assert _purposes(entry.draft) == ["Onderwijs op afstand"]


def test_a_never_approved_activity_has_only_a_draft_and_is_not_in_an_approved_export(officer):
    ActivityFactory(board=officer.board)
    access = BoardAccess(officer.user, officer.board)
    [entry] = register_entries(access, {}).entries
    assert entry.in_force is None and entry.draft is not None
    assert register_entries(access, {"status": "vastgesteld"}).entries == []


def test_every_selection_states_the_moment_the_register_was_read(officer):
    before = timezone.now()
    selection = register_entries(BoardAccess(officer.user, officer.board), {})
    assert before <= selection.moment <= timezone.now()


def test_the_change_log_names_each_changed_field_with_its_old_and_new_value(edited):
    from processing.history import register_changes

    changes = [
        (entry.activity_id, change.old, change.new)
        for entry in register_changes([edited.pk], None, None)
        for change in entry.changes
    ]
    assert (edited.pk, "Onderwijs geven", "Onderwijs op afstand") in changes
    today = timezone.localdate()
    assert register_changes([edited.pk], today.replace(year=today.year - 1), today)
    assert register_changes([edited.pk], today.replace(year=today.year + 1), None) == []


def test_an_entry_is_named_as_in_force_also_when_its_draft_is_renamed(officer, edited):
    edited.name = "Leerlingvolgsysteem (nieuw)"
    edited.save()
    access = BoardAccess(officer.user, officer.board)
    [approved] = register_entries(access, {"status": "vastgesteld"}).entries
    [everything] = register_entries(access, {}).entries
    assert approved.name == everything.name == "Leerlingvolgsysteem"
    assert everything.draft is not None
    assert everything.draft.data["name"] == "Leerlingvolgsysteem (nieuw)"


def test_a_never_approved_entry_is_named_by_its_draft(officer):
    activity = ActivityFactory(board=officer.board, name="Cameratoezicht")
    [entry] = register_entries(BoardAccess(officer.user, officer.board), {}).entries
    assert entry.name == activity.name


def test_the_version_in_force_names_who_approved_it_and_the_draft_no_one(officer, edited):
    [entry] = register_entries(BoardAccess(officer.user, officer.board), {}).entries
    assert entry.in_force is not None and entry.in_force.approved_by == str(officer.user)
    assert entry.draft is not None and entry.draft.approved_by == ""


# Per activity edited since its approval, its version in force is read from the history: the
# approved record and the moment its save ended (2), the ids its 4 many-to-many fields held
# (the terms themselves only when it held some; none here), and its 8 kinds of rows as they
# were (8). Its retention rules come with the live activity, however many it has.
QUERIES_PER_EDITED = 14


def _edited_with_rules(officer, count: int) -> int:
    """The queries of register_entries after adding `count` activities approved, then edited,
    each with two retention rules."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import RetentionRuleFactory

    for _i in range(count):
        activity = ActivityFactory.create(
            board=officer.board,
            status="vastgesteld",
            approved_by=officer.user,
            approved_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC),
        )
        for _rule in range(2):
            RetentionRuleFactory.create(board=officer.board).activities.add(activity)
        activity.status = "concept"  # edited: every save of an approved activity does this
        activity.save()
    with CaptureQueriesContext(connection) as queries:
        selection = register_entries(BoardAccess(officer.user, officer.board), {})
    # Both versions of each show its rules.
    assert {len(v.data["retention"]) for e in selection.entries for v in e.versions} == {2}
    return len(queries)


def test_the_retention_rules_of_an_edited_activity_are_not_read_per_rule(officer):
    one = _edited_with_rules(officer, 1)
    three = _edited_with_rules(officer, 2)  # two more: three in all
    assert three <= one + 2 * QUERIES_PER_EDITED
