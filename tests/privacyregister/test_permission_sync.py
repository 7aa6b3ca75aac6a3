import pytest
from django.core.management import call_command
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_perms

from privacyregister.models import Membership
from privacyregister.roles import Role
from tests.factories import BoardFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def permission_rows() -> list[tuple]:
    return sorted(
        UserObjectPermission.objects.values_list(
            "user", "permission__codename", "content_type__model", "object_pk"
        )
    )


def test_a_board_role_grants_its_capabilities_on_the_board_and_every_school():
    school = SchoolFactory()
    membership = MembershipFactory(board=school.board, role=Role.FG)
    assert "comment_activity" in get_perms(membership.user, school.board)
    assert "comment_activity" in get_perms(membership.user, school)
    assert "edit_activity" not in get_perms(membership.user, school)


def test_a_school_role_grants_its_capabilities_on_that_school_only():
    school = SchoolFactory()
    other = SchoolFactory(board=school.board)
    membership = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    assert "edit_activity" in get_perms(membership.user, school)
    assert "edit_activity" not in get_perms(membership.user, other)
    assert "edit_activity" not in get_perms(membership.user, school.board)
    assert "view_register" in get_perms(membership.user, other)  # board scope for a schoolleider


def test_a_new_school_is_reached_by_board_roles_at_once():
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER)
    school = SchoolFactory(board=membership.board)
    assert "edit_activity" in get_perms(membership.user, school)


def test_changing_a_role_changes_the_permissions():
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER)
    membership.role = Role.FG
    membership.save()
    perms = get_perms(membership.user, membership.board)
    assert "comment_activity" in perms
    assert "edit_activity" not in perms


def test_moving_a_role_to_another_board_removes_it_from_the_first():
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER)
    first = membership.board
    membership.board = BoardFactory()
    membership.save()
    assert get_perms(membership.user, first) == []
    assert "edit_activity" in get_perms(membership.user, membership.board)


def test_a_revoked_role_loses_access_at_once_but_other_roles_stay():
    school = SchoolFactory()
    officer = MembershipFactory(board=school.board, role=Role.PRIVACY_OFFICER)
    Membership.objects.create(user=officer.user, board=school.board, role=Role.FG)
    officer.delete()
    perms = get_perms(officer.user, school.board)
    assert "edit_activity" not in perms
    assert "comment_activity" in perms


def test_deleting_a_school_or_board_leaves_no_permission_rows_behind():
    school = SchoolFactory()
    MembershipFactory(board=school.board, role=Role.PRIVACY_OFFICER)
    school.delete()
    school.board.delete()
    assert not UserObjectPermission.objects.exists()


def test_the_resync_command_is_idempotent_and_repairs_drift():
    school = SchoolFactory()
    MembershipFactory(board=school.board, role=Role.BEHEERDER)
    MembershipFactory(board=school.board, role=Role.MEDEWERKER, school=school)
    expected = permission_rows()
    first = UserObjectPermission.objects.first()
    first.delete()
    call_command("sync_permissions", verbosity=0)
    assert permission_rows() == expected
    call_command("sync_permissions", verbosity=0)
    assert permission_rows() == expected


def test_the_resync_command_removes_permissions_without_a_role():
    board = BoardFactory()
    stranger = UserFactory()
    assign_perm("edit_activity", stranger, board)  # e.g. granted by hand in the admin
    call_command("sync_permissions", verbosity=0)
    assert get_perms(stranger, board) == []
