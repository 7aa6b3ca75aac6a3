"""Keep guardian permissions in step with memberships and schools, also for admin edits.

Role changes are logged where the actor is known (services.py, admin.py), not here.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from guardian.models import UserObjectPermission

from privacyregister.models import Board, Membership, School
from privacyregister.roles import CREATE_BOARDS, OPERATORS_GROUP
from privacyregister.services import board_permissions_sync, permissions_sync

# Sent by services.board_setup, with `board`, by every route that makes a board (the product
# page, create_board, the admin, restore). The feature apps install what a new board starts with:
# the core never imports them. A receiver adds only what is missing and returns what it added,
# as {label: count}.
board_created = Signal()


@receiver(pre_save, sender=Membership)
def remember_previous_holder(sender, instance: Membership, **kwargs) -> None:
    previous = Membership.objects.filter(pk=instance.pk).values_list("user", "board").first()
    instance._previous = previous if instance.pk else None


@receiver(post_save, sender=Membership)
def sync_after_membership_saved(sender, instance: Membership, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    previous = getattr(instance, "_previous", None)
    if previous and previous != (instance.user_id, instance.board_id):
        user_id, board_id = previous
        permissions_sync(
            user=type(instance.user).objects.get(pk=user_id), board=Board.objects.get(pk=board_id)
        )
    permissions_sync(user=instance.user, board=instance.board)


@receiver(post_delete, sender=Membership)
def sync_after_membership_deleted(sender, instance: Membership, origin=None, **kwargs) -> None:
    if not isinstance(origin, Board):  # not when the whole board is being deleted
        permissions_sync(user=instance.user, board=instance.board)


@receiver(post_save, sender=School)
def sync_after_school_created(sender, instance: School, created: bool, raw=False, **kwargs) -> None:
    # Board-wide roles reach a new school at once.
    if created and not raw:
        board_permissions_sync(board=instance.board)


@receiver(post_delete, sender=School)
@receiver(post_delete, sender=Board)
def forget_permissions_on_deleted_object(sender, instance, **kwargs) -> None:
    # Guardian links objects generically, so the database does not cascade these rows.
    UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_pk=str(instance.pk)
    ).delete()


def ensure_operators_group(*, using: str = "default", **kwargs: object) -> None:
    """Receiver of post_migrate (connected in apps.py): the group "Installatiebeheer", whose
    members may create boards and nothing more, exists after every migrate, like Django's own
    permissions, and also after a test flushes the database."""
    app_label, codename = CREATE_BOARDS.split(".")
    add_board = Permission.objects.using(using).get(
        content_type__app_label=app_label, codename=codename
    )
    group, _created = Group.objects.using(using).get_or_create(name=OPERATORS_GROUP)
    group.permissions.add(add_board)
