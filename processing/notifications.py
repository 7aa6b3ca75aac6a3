"""E-mails about the review of an activity, sent by the task queue after the change is
committed: one task per event, one mail per person.

A mail names the activity and links to its page, behind the login; it never quotes the FG's
advice. Advice can name weak spots in the security of a processing or details about pupils,
and a mail leaves the register's access control: it is forwarded, kept in mailboxes and read
on phones. The link shows the advice to whoever may still read it when they click.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from privacyregister.access import BoardAccess
from privacyregister.models import NotificationSettings, User
from privacyregister.permissions import Capability, roles_with
from privacyregister.roles import Role
from processing.models import Comment, ProcessingActivity

SUBMITTED = "submitted"
APPROVED = "approved"
ADVICE_ADDED = "advice_added"
ADVICE_RESOLVED = "advice_resolved"


def notify_on_commit(event: str, pk: int, *, actor: User) -> None:
    """Queue the mails of an event once its change is committed: a rolled-back change tells
    nobody anything, and the worker finds the rows it reads."""
    transaction.on_commit(lambda: send_notification.enqueue(event, pk, actor.pk))


def _submitter(activity: ProcessingActivity) -> int | None:
    """Who last offered the activity for review: the author of its newest version in review."""
    return (
        activity.history.filter(status=ProcessingActivity.Status.IN_REVIEW)
        .order_by("-history_date")
        .values_list("history_user_id", flat=True)
        .first()
    )


def _recipients(
    activity: ProcessingActivity,
    candidates: Q,
    actor_pk: int,
    capabilities: tuple[str, ...] = (),
) -> list[User]:
    """Of the candidates: the members of the activity's board who may read this activity (and,
    if given, hold one of the capabilities for it), want these mails and did not act
    themselves. A former member, or one of another board, is never told anything."""
    users: QuerySet[User] = (
        User.objects.filter(candidates, memberships__board=activity.board, is_active=True)
        .exclude(pk=actor_pk)
        .exclude(NotificationSettings.opted_out("on_events"))
        .distinct()
        .order_by("email")
    )
    reach = activity.reach() if capabilities else {}  # the same for everyone: one query
    chosen = []
    for access in BoardAccess.for_users(users, activity.board):
        if capabilities and not any(access.can(capability, **reach) for capability in capabilities):
            continue
        if ProcessingActivity.objects.visible_to(access).filter(pk=activity.pk).exists():
            chosen.append(access.user)
    return chosen


def _event(event: str, pk: int, actor_pk: int) -> tuple[ProcessingActivity, list[User], str]:
    """The activity, who is told, and the subject of the mail."""
    if event in (ADVICE_ADDED, ADVICE_RESOLVED):
        comment = Comment.objects.select_related("activity__board").get(pk=pk)
        activity = comment.activity
        if event == ADVICE_ADDED:
            people = Q(pk=activity.owner_id) | Q(
                memberships__board=activity.board, memberships__role=Role.PRIVACY_OFFICER
            )
            return (
                activity,
                _recipients(activity, people, actor_pk),
                _("Nieuw advies van de FG over %(activity)s"),
            )
        return (
            activity,
            _recipients(activity, Q(pk=comment.author_id), actor_pk),
            _("Uw advies over %(activity)s is afgehandeld"),
        )
    activity = ProcessingActivity.objects.select_related("board").get(pk=pk)
    if event == SUBMITTED:
        roles = [*roles_with(Capability.APPROVE_ACTIVITY), *roles_with(Capability.COMMENT_ACTIVITY)]
        people = Q(memberships__board=activity.board, memberships__role__in=roles)
        capabilities = (Capability.APPROVE_ACTIVITY, Capability.COMMENT_ACTIVITY)
        return (
            activity,
            _recipients(activity, people, actor_pk, capabilities),
            _("Ter review: %(activity)s"),
        )
    people = Q(pk=activity.owner_id) | Q(pk=_submitter(activity))
    return activity, _recipients(activity, people, actor_pk), _("Vastgesteld: %(activity)s")


@task()
def send_notification(event: str, pk: int, actor_pk: int) -> int:
    """Mail everyone this event concerns, each on their own; returns how many mails."""
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        try:
            activity, recipients, subject = _event(event, pk, actor_pk)
        except (Comment.DoesNotExist, ProcessingActivity.DoesNotExist):
            return 0  # deleted before the worker came to it: nothing left to tell
        page = (
            "activity_comments" if event in (ADVICE_ADDED, ADVICE_RESOLVED) else "activity_detail"
        )
        context = {
            "event": event,
            "activity": activity,
            "board": activity.board,
            "actor": User.objects.filter(pk=actor_pk).first(),
            "link": settings.SITE_URL
            + reverse(page, kwargs={"board": activity.board.slug, "pk": activity.pk}),
            "settings_link": settings.SITE_URL + reverse("notification_settings"),
        }
        message = render_to_string("processing/notification_email.txt", context)
        subject = subject % {"activity": activity.name}
        return send_mass_mail(
            [(subject, message, None, [user.email]) for user in recipients], fail_silently=False
        )
