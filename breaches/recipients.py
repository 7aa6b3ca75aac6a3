"""Who is told about a breach: the report mail and the reminders ask the same questions."""

from django.db.models import QuerySet

from privacyregister.access import BoardAccess
from privacyregister.models import Board, User
from privacyregister.permissions import Capability
from privacyregister.roles import Role


def _active(board: Board, role: str) -> QuerySet[User]:
    return User.objects.filter(
        memberships__board=board, memberships__role=role, is_active=True
    ).distinct()


def members(board: Board, role: str) -> list[str]:
    """The addresses of the board's active members in this role."""
    return list(_active(board, role).values_list("email", flat=True))


def may_handle(board: Board, user: User) -> bool:
    # A role taken away, or a move to another board, ends the handling: a mail must reach
    # someone who can still act on it.
    return BoardAccess(user, board).can(Capability.HANDLE_BREACHES)


def handlers(board: Board) -> list[str]:
    """Who must act within the 72 hours: the privacy officers who may handle breaches; a board
    without one has its beheerders who may."""
    for role in (Role.PRIVACY_OFFICER, Role.BEHEERDER):
        users = list(_active(board, role))
        addresses = [
            access.user.email
            for access in BoardAccess.for_users(users, board)
            if access.can(Capability.HANDLE_BREACHES)
        ]
        if addresses:
            return addresses
    return []
