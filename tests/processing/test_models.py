import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from processing.models import DataCategory, Dossier, ProcessingActivity, Recipient, StaffAccess
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    DataCategoryFactory,
    RecipientFactory,
    SchoolFactory,
    StatementVersionFactory,
    SubjectGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_a_special_category_needs_its_art9_type():
    category = DataCategoryFactory.build(board=BoardFactory(), kind=DataCategory.Kind.SPECIAL)
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "bijzonder persoonsgegeven" in str(error.value)
    category.special_type = DataCategory.SpecialType.HEALTH
    category.full_clean()


def test_an_ordinary_category_has_no_art9_type():
    category = DataCategoryFactory.build(
        board=BoardFactory(), special_type=DataCategory.SpecialType.HEALTH
    )
    with pytest.raises(ValidationError):
        category.full_clean()


def test_vocabulary_names_are_unique_per_board_only():
    group = SubjectGroupFactory(name="Leerlingen")
    with pytest.raises(ValidationError) as error:
        SubjectGroupFactory.build(board=group.board, name="Leerlingen").full_clean()
    assert "Deze naam bestaat al bij dit bestuur." in str(error.value)
    SubjectGroupFactory.build(board=BoardFactory(), name="Leerlingen").full_clean()


def test_a_processor_without_dpa_status_is_marked_missing():
    processor = RecipientFactory.build(board=BoardFactory(), kind=Recipient.Kind.PROCESSOR)
    processor.full_clean()
    assert processor.dpa_status == Recipient.DpaStatus.MISSING


def test_only_a_processor_has_a_dpa():
    recipient = RecipientFactory.build(board=BoardFactory(), dpa_status=Recipient.DpaStatus.SIGNED)
    with pytest.raises(ValidationError) as error:
        recipient.full_clean()
    assert "Alleen een verwerker" in str(error.value)


def test_a_dpa_cannot_end_before_it_was_signed():
    processor = RecipientFactory.build(
        board=BoardFactory(),
        kind=Recipient.Kind.PROCESSOR,
        dpa_signed_on="2025-01-01",
        dpa_valid_until="2024-12-31",
    )
    with pytest.raises(ValidationError) as error:
        processor.full_clean()
    assert "kan niet eindigen voordat hij is getekend" in str(error.value)


def test_an_approved_activity_has_an_approval_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(status=ProcessingActivity.Status.APPROVED)
    ActivityFactory(status=ProcessingActivity.Status.APPROVED, approved_at=timezone.now())


def test_activity_names_are_unique_per_board():
    activity = ActivityFactory(name="Cameratoezicht")
    with pytest.raises(ValidationError):
        ActivityFactory.build(board=activity.board, name="Cameratoezicht").full_clean()


def test_a_row_cannot_point_to_a_dossier_of_another_activity():
    activity, other = ActivityFactory(), ActivityFactory()
    dossier = Dossier.objects.create(activity=other, name="Speciaal zorgdossier")
    role = activity.board.staff_roles.create(name="Mentor")
    access = StaffAccess(activity=activity, staff_role=role, access="lezen", dossier=dossier)
    with pytest.raises(ValidationError) as error:
        access.full_clean()
    assert error.value.message_dict["dossier"] == ["Dit dossier hoort bij een andere verwerking."]


def test_staff_access_without_dossier_is_unique_per_role():
    activity = ActivityFactory()
    role = activity.board.staff_roles.create(name="Mentor")
    StaffAccess.objects.create(activity=activity, staff_role=role, access="lezen")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffAccess.objects.create(activity=activity, staff_role=role, access="wijzigen")


def test_every_change_to_an_activity_is_kept_in_its_history():
    activity = ActivityFactory(name="Leerlingadministratie")
    activity.description = "Nieuwe uitleg."
    activity.save()
    school = SchoolFactory(board=activity.board)
    activity.schools.add(school)
    history = activity.history.order_by("history_date")
    assert [h.description for h in history][:2] == [
        "Wat wij doen, in gewone taal.",
        "Nieuwe uitleg.",
    ]
    assert list(history.last().schools.values_list("school", flat=True)) == [school.pk]


def test_statement_numbers_are_unique_per_school_and_for_the_board_statement():
    board = BoardFactory()
    school = SchoolFactory(board=board)
    StatementVersionFactory(board=board, school=None, number=1)
    StatementVersionFactory(board=board, school=school, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVersionFactory(board=board, school=None, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVersionFactory(board=board, school=school, number=1)
