"""Use cases of the core app: boards, memberships and the guardian permissions they grant."""

from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from privacyregister import audit
from privacyregister.models import Board, Invitation, Membership, School, User, normalise_email
from privacyregister.permissions import MATRIX, Scope
from privacyregister.roles import Role


@dataclass
class BoardCreated:
    board: Board
    installed: dict[str, int]  # what the board starts with: {label: count}
    invitation: Invitation


def board_setup(*, board: Board) -> dict[str, int]:
    """Give a board what every board starts with: the reference vocabularies and the default
    retention rules, installed by the feature apps on the board_created signal.

    Once per board: a board that was set up before (also one restored from a backup) keeps
    what it made of its lists, including terms it removed.
    """
    # Here, not at the top: signals.py imports this module for its receivers.
    from privacyregister.signals import board_created

    if board.set_up_at is not None:
        return {}
    installed: dict[str, int] = {}
    for _receiver, added in board_created.send(sender=Board, board=board):
        counts = cast(dict[str, int], added or {})  # each receiver returns {label: count}
        for label, count in counts.items():
            installed[label] = installed.get(label, 0) + count
    board.set_up_at = timezone.now()
    board.save(update_fields=["set_up_at"])
    return installed


@transaction.atomic
def board_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    beheerder_email: str,
    beheerder_name: str = "",
    visiting_address: str = "",
    postal_address: str = "",
    kvk_number: str = "",
    website: str = "",
) -> BoardCreated:
    """A new board, set up with the reference lists, and an invitation to its first beheerder.

    The statement facts (privacy contact, FG) stay empty: the beheerder fills them in, and no
    statement is published before that. Any invalid value raises ValidationError and leaves
    nothing behind; an address without an account gets one with a link to choose a password.
    `actor` is None from the command line.
    """
    errors: dict[str, list[str]] = {}
    try:
        validate_email(normalise_email(beheerder_email))
    except ValidationError as error:
        errors["beheerder_email"] = error.messages
    board = Board(
        name=name,
        slug=slug,
        visiting_address=visiting_address,
        postal_address=postal_address,
        kvk_number=kvk_number,
        website=website,
    )
    try:
        board.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:  # all of them at once, before anything is saved
        raise ValidationError(errors)
    board.save()
    installed = board_setup(board=board)
    audit.record("board.created", actor=actor, board=board, name=board.name, slug=board.slug)
    invitation = invitation_create(
        actor=actor,
        board=board,
        email=beheerder_email,
        full_name=beheerder_name,
        role=Role.BEHEERDER,
        school=None,
    )
    return BoardCreated(board=board, installed=installed, invitation=invitation)


def _desired_permissions(user: User, board: Board) -> set[tuple[str, type[Board | School], int]]:
    """(codename, model, pk) for every object permission the user's roles in the board grant."""
    school_ids = list(board.schools.values_list("pk", flat=True))
    desired: set[tuple[str, type[Board | School], int]] = set()
    for membership in Membership.objects.filter(user=user, board=board):
        for capability, scope in MATRIX[membership.role].items():
            if scope == Scope.BOARD:
                desired.add((capability, Board, board.pk))
                desired.update((capability, School, pk) for pk in school_ids)
            elif membership.school_id is not None:  # always: a school role has its school
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
    types: dict[type[Board | School], ContentType] = {Board: board_type, School: school_type}
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


def _invitation_answerable(*, actor: User, invitation: Invitation) -> Invitation:
    """The invitation, locked, if it is still open and addressed to the actor."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING or invitation.email != actor.email:
        raise ValidationError(_("Deze uitnodiging staat niet (meer) voor u open."))
    return invitation


def _invitation_close(
    invitation: Invitation, status: str, *, actor: User, event: str | None = None
) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if event:
        audit.record(
            event,
            actor=actor,
            board=invitation.board,
            email=invitation.email,
            role=invitation.role,
        )


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    board: Board,
    email: str,
    full_name: str,
    role: str,
    school: School | None,
) -> Invitation:
    """Offer a role in the board to whoever uses this e-mail address.

    The role is theirs once they accept it after logging in. An address without an account gets
    one, with a link to choose a password. The board sees the same for both, so it learns
    nothing of an account that already exists, not even that it exists.
    """
    email = normalise_email(email)
    if board.memberships.filter(user__email=email, role=role, school=school).exists():
        raise ValidationError(_("Deze gebruiker heeft deze rol hier al."))
    invitation = Invitation(board=board, email=email, role=role, school=school, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    new_user = None
    if not User.objects.filter(email=email).exists():
        new_user = User(email=email, full_name=full_name)
        new_user.set_unusable_password()
        new_user.full_clean()
        new_user.save()
    audit.record("invitation.created", actor=actor, board=board, email=email, role=role)
    _send_invitation(invitation=invitation, new_user=new_user)
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, invitation: Invitation) -> Membership:
    """The invited person says yes: from now on they hold the role."""
    invitation = _invitation_answerable(actor=actor, invitation=invitation)
    # Accepting is logged as the membership it creates.
    _invitation_close(invitation, Invitation.Status.ACCEPTED, actor=actor)
    fields = {"board": invitation.board, "role": invitation.role, "school": invitation.school}
    membership = Membership.objects.filter(user=actor, **fields).first()
    if membership is None:  # else an administrator gave the role in the meantime
        membership = Membership(user=actor, **fields)
        membership.full_clean()
        membership.save()
        invited_by = invitation.invited_by.email if invitation.invited_by else None
        audit.record_membership(
            "membership.created", membership, actor=actor, invited_by=invited_by
        )
    return membership


@transaction.atomic
def invitation_decline(*, actor: User, invitation: Invitation) -> None:
    invitation = _invitation_answerable(actor=actor, invitation=invitation)
    _invitation_close(
        invitation, Invitation.Status.DECLINED, actor=actor, event="invitation.declined"
    )


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: Invitation) -> None:
    """The board takes back an invitation that has not been answered yet."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Deze uitnodiging is al beantwoord of ingetrokken."))
    _invitation_close(
        invitation, Invitation.Status.WITHDRAWN, actor=actor, event="invitation.withdrawn"
    )


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    if _last_beheerder(membership):
        raise ValidationError(
            _("%(board)s moet minstens één beheerder houden. Geef eerst iemand anders die rol.")
            % {"board": membership.board}
        )
    membership.delete()
    audit.record_membership("membership.deleted", membership, actor=actor)


@transaction.atomic
def school_archive(*, actor: User, school: School) -> None:
    """Take a school out of lists, new work and the public pages; its history and published
    statements stay, and school_restore() brings it back."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if school.is_archived:
        raise ValidationError(_("Deze school is al gearchiveerd."))
    school.archived_at = timezone.now()
    school.save(update_fields=["archived_at"])
    audit.record("school.archived", actor=actor, board=school.board, school=school.name)


@transaction.atomic
def school_restore(*, actor: User, school: School) -> None:
    school = School.objects.select_for_update().get(pk=school.pk)
    if not school.is_archived:
        raise ValidationError(_("Deze school is niet gearchiveerd."))
    school.archived_at = None
    school.save(update_fields=["archived_at"])
    audit.record("school.restored", actor=actor, board=school.board, school=school.name)


def _send_invitation(*, invitation: Invitation, new_user: User | None) -> None:
    """E-mail the invitation; a new account also gets the link to choose a password."""
    context = {
        "board": invitation.board,
        "actor": invitation.invited_by,
        "start_link": settings.SITE_URL + reverse("dashboard"),
        "password_link": None,
    }
    if new_user is not None:
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(new_user.pk)),
                "token": default_token_generator.make_token(new_user),
            },
        )
        context["password_link"] = settings.SITE_URL + path
    send_mail(
        subject=_("Uitnodiging voor het privacyregister van %(board)s")
        % {"board": invitation.board},
        message=render_to_string("privacyregister/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
