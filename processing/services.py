"""Use cases of the register that span several models."""

from django.db import transaction
from django.utils import timezone

from privacyregister.models import Board, User
from privacyregister.reference import read_fixture
from processing.models import (
    DataCategory,
    DataSource,
    DataSubjectGroup,
    ProcessingActivity,
    Recipient,
    SecurityMeasure,
    StaffRole,
)

# The key of each vocabulary in the fixture files.
VOCABULARIES = {
    "subject_groups": DataSubjectGroup,
    "data_categories": DataCategory,
    "data_sources": DataSource,
    "staff_roles": StaffRole,
    "security_measures": SecurityMeasure,
    "recipients": Recipient,
}


@transaction.atomic
def vocabulary_add_missing(*, board: Board, vocabularies: dict[str, list[dict]]) -> int:
    """Add the terms the board does not have yet (matched by name); returns how many."""
    created = 0
    for key, items in vocabularies.items():
        model = VOCABULARIES[key]
        existing = set(model.objects.filter(board=board).values_list("name", flat=True))
        for item in items:
            if item["name"] in existing:
                continue
            term = model(board=board, **item)
            term.full_clean()
            term.save()
            created += 1
    return created


def board_install_reference_vocabularies(*, board: Board) -> int:
    return vocabulary_add_missing(
        board=board, vocabularies=read_fixture("reference/vocabularies.json")
    )


def activity_approve(*, actor: User, activity: ProcessingActivity) -> ProcessingActivity:
    activity.status = ProcessingActivity.Status.APPROVED
    activity.approved_at = timezone.now()
    activity.approved_by = actor
    activity.full_clean()
    activity.save()
    return activity
