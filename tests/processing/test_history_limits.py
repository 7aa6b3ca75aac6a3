"""The change log of a register export reads any number of activities and versions: no query
names more ids than a database accepts, and reading them in parts changes nothing."""

from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection

from processing import history
from processing.history import Entry, register_changes
from tests.processing.test_history import saved

pytestmark = pytest.mark.django_db

# Parameters one query may hold: SQLite's default build (ours is built with 250,000) and
# PostgreSQL when it binds them itself (psycopg binds them in the client by default).
PARAMETER_LIMIT = {"sqlite": 32_766, "postgresql": 65_535}


@pytest.fixture
def strictest_database() -> Iterator[None]:
    """The database refuses a query with more parameters than its strictest setup allows."""
    limit = PARAMETER_LIMIT[connection.vendor]

    def refuse_too_many(execute, sql, params, many, context):
        if params is not None and len(params) > limit:
            raise OperationalError(f"too many SQL variables ({len(params)} > {limit})")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_too_many):
        yield


def story(entries: list[Entry]) -> list[tuple]:
    return [
        (
            entry.when,
            entry.what,
            entry.activity_id,
            getattr(entry.who, "pk", None),
            [(change.label, change.old, change.new) for change in entry.changes],
        )
        for entry in entries
    ]


def test_the_change_log_of_8000_activity_ids_is_that_of_the_real_ones(officer, strictest_database):
    real = [saved(officer.board, 2).pk for _ in range(3)]
    # Ids of activities that do not exist (deleted, say) are read like real ones.
    unknown = range(max(real) + 1, max(real) + 1 + 8_000 - len(real))

    expected = story(register_changes(real, None, None))
    assert len(expected) > 10
    assert story(register_changes([*unknown[:4_000], *real, *unknown[4_000:]], None, None)) == (
        expected
    )


def test_the_change_log_read_in_small_parts_is_the_same_as_read_at_once(officer, monkeypatch):
    # Several activities with many versions each, saved in turns so that their changes interleave.
    activities = [saved(officer.board, 6) for _ in range(4)]
    for activity in activities:
        activity.description = "Nog eens anders"
        activity.save()
    ids = [activity.pk for activity in activities]
    at_once = story(register_changes(ids, None, None))

    monkeypatch.setattr(history, "IDS_PER_QUERY", 3)
    in_parts = story(register_changes(ids, None, None))

    assert len(at_once) > 3 * 10  # more versions than a few parts hold
    assert in_parts == at_once
