import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from privacyregister.models import Membership, School, User
from privacyregister.roles import Role
from tests.factories import BoardFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("brin", ["12AB", "00ZZ"])
def test_a_brin_of_two_digits_and_two_capitals_is_valid(brin):
    SchoolFactory.build(board=BoardFactory(), brin=brin).full_clean()


@pytest.mark.parametrize("brin", ["1234", "AB12", "12ab", "12ABC", "1AB", ""])
def test_an_invalid_brin_is_refused_with_a_dutch_message(brin):
    school = SchoolFactory.build(board=BoardFactory(), brin=brin)
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "brin" in error.value.message_dict
    if brin:
        assert "2 cijfers gevolgd door 2 hoofdletters" in error.value.message_dict["brin"][0]


def test_the_database_refuses_an_invalid_brin_that_skipped_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(brin="12ab")


def test_a_school_slug_is_unique_within_its_board():
    school = SchoolFactory(slug="de-regenboog")
    duplicate = SchoolFactory.build(board=school.board, slug="de-regenboog")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Dit bestuur heeft al een school met deze korte naam." in str(error.value)


def test_another_board_may_use_the_same_school_slug():
    SchoolFactory(slug="de-regenboog")
    SchoolFactory.build(board=BoardFactory(), slug="de-regenboog").full_clean()


def test_a_schoolleider_needs_a_school():
    membership = MembershipFactory.build(
        user=UserFactory(), board=BoardFactory(), role=Role.SCHOOLLEIDER, school=None
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "hoort bij één school" in str(error.value)


def test_a_board_role_cannot_be_limited_to_a_school():
    school = SchoolFactory()
    membership = Membership(
        user=UserFactory(), board=school.board, role=Role.PRIVACY_OFFICER, school=school
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_a_role_on_a_school_of_another_board_is_refused():
    membership = Membership(
        user=UserFactory(), board=BoardFactory(), role=Role.SCHOOLLEIDER, school=SchoolFactory()
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert error.value.message_dict["school"] == ["Deze school hoort niet bij dit bestuur."]


def test_the_same_board_role_twice_is_refused_by_the_database():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, board=membership.board, role=membership.role
        )


def test_the_same_school_role_twice_is_refused_but_another_school_is_fine():
    school = SchoolFactory()
    user = UserFactory()
    Membership.objects.create(user=user, board=school.board, role=Role.MEDEWERKER, school=school)
    other = SchoolFactory(board=school.board)
    Membership.objects.create(user=user, board=school.board, role=Role.MEDEWERKER, school=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, board=school.board, role=Role.MEDEWERKER, school=school
        )


def test_one_user_may_hold_roles_in_several_boards():
    fg = UserFactory()
    MembershipFactory(user=fg, role=Role.FG)
    MembershipFactory(user=fg, role=Role.FG)
    assert fg.memberships.count() == 2


def test_users_log_in_with_a_lowercased_email_address():
    user = User.objects.create_user("A.Jansen@School.NL", "een-lang-testwachtwoord")
    assert user.email == "a.jansen@school.nl"
    assert user.check_password("een-lang-testwachtwoord")


def test_a_board_gets_the_autoriteit_persoonsgegevens_as_complaint_authority():
    assert "Autoriteit Persoonsgegevens" in BoardFactory().complaint_authority_text


def test_an_invalid_kvk_number_is_refused():
    board = BoardFactory.build(kvk_number="1234")
    with pytest.raises(ValidationError) as error:
        board.full_clean()
    assert error.value.message_dict["kvk_number"] == ["Een KvK-nummer bestaat uit 8 cijfers."]


def test_school_sector_choices_cover_primary_special_and_secondary_education():
    assert {"PO", "SO", "VSO", "VO"} <= set(School.Sector.values)


def test_role_is_imported_from_one_module_only():
    import privacyregister.models

    assert not hasattr(privacyregister.models, "Role")
