"""The rows a statement reads of its activities: every kind in one query (with_rows), and the
same rows, terms and retention rules as the ORM reads them one relation at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from processing import models as register
from processing.statements import (
    STATEMENT_M2M_FIELDS,
    activity_snapshot,
    live_version,
    terms_by_pk,
    with_rows,
)
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    DataCategoryFactory,
    RecipientFactory,
    RetentionRuleFactory,
    SchoolFactory,
    SubjectGroupFactory,
)

pytestmark = pytest.mark.django_db

# Every relation with_rows() fills: the kinds of row, the many-to-many values and the rules.
RELATIONS = [
    *(
        rel.get_accessor_name()
        for rel in register.ProcessingActivity._meta.related_objects
        if rel.related_model in register.ACTIVITY_PARTS
    ),
    *register.ACTIVITY_M2M_FIELDS,
    "retention_rules",
]


def _activity_with_every_kind_of_row(board, shared_rule, n):
    activity = ActivityFactory(board=board, name=f"Verwerking {n}")
    pupils, parents = SubjectGroupFactory(board=board), SubjectGroupFactory(board=board)
    dossier = activity.dossiers.create(name="Leerlingdossier")
    activity.purposes.create(description="Onderwijs geven", legal_basis="e")
    activity.purposes.create(description="Ouders informeren", legal_basis="c")
    for name in ("Naam", "Adres"):
        category = DataCategoryFactory(board=board, name=f"{name} {n}")
        activity.data_categories.create(category=category, subject_group=pupils, dossier=dossier)
    source = register.DataSource.objects.create(board=board, name=f"Ouders {n}")
    activity.sources.create(source=source)  # no subject group: a foreign key left empty
    activity.sources.create(source=source, subject_group=parents, note="Bij inschrijving")
    processor = RecipientFactory(
        board=board,
        in_eea=False,
        country="Verenigde Staten",
        dpa_signed_on=datetime.date(2024, 8, 1),
    )
    activity.recipients.create(recipient=processor, ground="b", dossier=dossier)
    activity.transfers.create(recipient=processor, country="Verenigde Staten", safeguard="scc")
    role = register.StaffRole.objects.create(board=board, name=f"Mentor {n}")
    activity.staff_access.create(staff_role=role, access="lezen", dossier=dossier)
    activity.cookies.create(name="taal", kind="functioneel", purpose="Taalkeuze", lifetime="1 dag")
    activity.subject_groups.add(parents, pupils)
    activity.processors.add(processor)
    activity.security_measures.create(board=board, name=f"Versleuteling {n}", kind="technisch")
    archived = SchoolFactory(board=board, archived_at=timezone.now())
    activity.schools.add(SchoolFactory(board=board), archived)
    own_rule = RetentionRuleFactory(board=board, subject_group=pupils)
    own_rule.exceptions.create(condition="Bij een klacht", period_amount=1, period_unit="jaren")
    own_rule.data_categories.add(*DataCategoryFactory.create_batch(2, board=board))
    activity.retention_rules.add(own_rule, shared_rule)
    return activity


def _board_with_activities(count):
    board = BoardFactory()
    shared_rule = RetentionRuleFactory(board=board, name="Gedeelde regel")
    shared_rule.exceptions.create(condition="Bij een geschil", period_amount=2, period_unit="jaren")
    shared_rule.data_categories.add(DataCategoryFactory(board=board))
    for n in range(count):
        _activity_with_every_kind_of_row(board, shared_rule, n)
    return board


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _as_read(activity):
    """Every row of every relation with all its columns, and what a statement says of it."""
    rows = {name: [_fields(row) for row in getattr(activity, name).all()] for name in RELATIONS}
    rules = activity.retention_rules.all()
    rows["rules"] = [
        (
            rule.subject_group.name if rule.subject_group else None,
            [_fields(e) for e in rule.exceptions.all()],
            [_fields(c) for c in rule.data_categories.all()],
        )
        for rule in rules
    ]
    return rows


@pytest.mark.parametrize("count", [1, 4])
def test_the_rows_of_every_kind_are_read_in_one_query_however_many_activities(count):
    board = _board_with_activities(count)
    with CaptureQueriesContext(connection) as queries:
        activities = with_rows(board.activities.all(), register.ACTIVITY_M2M_FIELDS)
        read = [_as_read(activity) for activity in activities]
        snapshots = [
            activity_snapshot(live_version(a), terms_by_pk(board, [live_version(a)]))
            for a in activities
        ]
    assert len(queries) == 2  # the activities, then their rows
    assert all(len(rows["purposes"]) == 2 and len(rows["rules"]) == 2 for rows in read)
    assert all(len(snapshot["retention"]) == 2 for snapshot in snapshots)


def test_the_rows_read_in_one_query_are_the_rows_the_orm_reads():
    board = _board_with_activities(2)
    read = with_rows(board.activities.order_by("pk"), register.ACTIVITY_M2M_FIELDS)
    one_by_one = list(board.activities.order_by("pk"))
    assert [_as_read(a) for a in read] == [_as_read(a) for a in one_by_one]
    # What the statement says of them too, with the terms the rows were read with.
    for fast, slow in zip(read, one_by_one, strict=True):
        fast_version = live_version(fast, STATEMENT_M2M_FIELDS)
        slow_version = live_version(slow, STATEMENT_M2M_FIELDS)
        assert activity_snapshot(fast_version, terms_by_pk(board, [fast_version])) == (
            activity_snapshot(slow_version, terms_by_pk(board))
        )


def test_activities_without_rows_read_as_having_none():
    board = BoardFactory()
    ActivityFactory.create_batch(2, board=board)
    for activity in with_rows(board.activities.all()):
        assert [list(getattr(activity, name).all()) for name in RELATIONS if name != "schools"] == (
            [[] for name in RELATIONS if name != "schools"]
        )


def test_no_activities_read_no_rows(django_assert_num_queries):
    board = BoardFactory()
    with django_assert_num_queries(1):
        assert with_rows(board.activities.all()) == []
