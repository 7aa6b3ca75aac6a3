import pytest
from django.core.management import call_command

from privacyregister.models import Board
from processing.lint import lint

pytestmark = pytest.mark.django_db


def test_the_sector_generator_makes_complete_registers():
    call_command(
        "generate_sector",
        boards=3,
        schools_per_board=4,
        activities_per_board=12,
        jobs=1,
        verbosity=0,
    )
    assert Board.objects.count() == 3
    board = Board.objects.get(slug="sector-2")
    assert board.schools.count() == 4
    assert board.activities.count() == 12
    activity = board.activities.filter(status="vastgesteld").first()
    assert activity.purposes.count() == 2
    assert activity.retention_rules.exists() and activity.processors.exists()
    assert activity.history.exists()
    assert activity.sources.exists() and activity.staff_access.exists()
    assert activity.data_categories.exists() and activity.security_measures.exists()
    # Every processor outside the EEA has a transfer with a safeguard (lint would refuse it).
    for transfer in board.activities.filter(transfers__isnull=False).values_list(
        "transfers__safeguard", flat=True
    ):
        assert transfer
    assert {m.role for m in board.memberships.all()} == {"privacy_officer", "fg"}
    # The board's statement and that of its first school are published.
    assert board.statement_versions.count() == 2
    errors = [
        f for f in lint(board.activities.all(), activity.next_review_on, board=board) if f.is_error
    ]
    assert errors == []
