"""Use cases of the core app: memberships and the guardian permissions they grant."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from privacyregister.models import Board, Membership, School, User
from privacyregister.permissions import MATRIX, Scope
from privacyregister.roles import Role


def _desired_permissions(user: User, board: Board) -> set[tuple[str, type, int]]:
    """(codename, model, pk) for every object permission the user's roles in the board grant."""
    school_ids = list(board.schools.values_list("pk", flat=True))
    desired = set()
    for membership in Membership.objects.filter(user=user, board=board):
        for capability, scope in MATRIX[membership.role].items():
            if scope == Scope.BOARD:
                desired.add((capability, Board, board.pk))
                desired.update((capability, School, pk) for pk in school_ids)
            else:
                desired.add((capability, School, membership.school_id))
    return desired


def on_board(board: Board) -> Q:
    """Guardian object permissions on the board itself or on one of its schools.

    Guardian stores object keys as text, hence the cast in the subquery.
    """
    school_pks = board.schools.annotate(key=Cast("pk", CharField())).values("key")
    return Q(content_type=ContentType.objects.get_for_model(Board), object_pk=str(board.pk)) | Q(
        content_type=ContentType.objects.get_for_model(School), object_pk__in=school_pks
    )


@transaction.atomic
def permissions_sync(*, user: User, board: Board) -> None:
    """Make the user's guardian permissions on the board and its schools match the matrix.

    Replaces what is there, so a revoked role loses its permissions at once.
    """
    board_type = ContentType.objects.get_for_model(Board)
    school_type = ContentType.objects.get_for_model(School)
    UserObjectPermission.objects.filter(on_board(board), user=user).delete()
    permissions = {
        (p.content_type_id, p.codename): p
        for p in board_type.permission_set.all() | school_type.permission_set.all()
    }
    types = {Board: board_type, School: school_type}
    UserObjectPermission.objects.bulk_create(
        UserObjectPermission(
            user=user,
            permission=permissions[(types[model].pk, codename)],
            content_type=types[model],
            object_pk=str(pk),
        )
        for codename, model, pk in sorted(
            _desired_permissions(user, board), key=lambda p: (p[1].__name__, p[0], p[2])
        )
    )


def board_permissions_sync(*, board: Board) -> int:
    """Re-sync everyone who holds, or held, a role in the board; returns how many users."""
    members = set(board.memberships.values_list("user", flat=True))
    holders = set(
        UserObjectPermission.objects.filter(on_board(board)).values_list("user", flat=True)
    )
    users = User.objects.filter(pk__in=members | holders)
    for user in users:
        permissions_sync(user=user, board=board)
    return len(users)


def _last_beheerder(membership: Membership) -> bool:
    return (
        membership.role == Role.BEHEERDER
        and not membership.board.memberships.filter(role=Role.BEHEERDER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_create(
    *, actor: User, board: Board, email: str, full_name: str, role: str, school: School | None
) -> Membership:
    """Give a role in the board to the person with this e-mail address, inviting them when new."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    invited = user is None
    if invited:
        user = User(email=email, full_name=full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    membership = Membership(user=user, board=board, role=role, school=school)
    membership.full_clean()
    membership.save()
    if invited:
        _send_invitation(user=user, board=board, actor=actor)
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    if _last_beheerder(membership):
        raise ValidationError(
            _("%(board)s moet minstens één beheerder houden. Geef eerst iemand anders die rol.")
            % {"board": membership.board}
        )
    membership.delete()


def _send_invitation(*, user: User, board: Board, actor: User) -> None:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "board": board, "actor": actor, "link": settings.SITE_URL + path}
    send_mail(
        subject=_("Uitnodiging voor het privacyregister van %(board)s") % {"board": board},
        message=render_to_string("privacyregister/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
