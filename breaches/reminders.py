"""Reminders of the 72-hour clock: at 24 and 48 hours while no decision on notifying is recorded,
and when the deadline has passed without a notification to the AP.

Two ways lead here, both to `remind`, which sends each reminder once: the task queue, which gets
the three moments when a breach is reported (django-tasks `run_after`, run by the worker that
`make run` and production start), and `manage.py send_breach_reminders` from cron, which catches
what a stopped worker or a restored backup left behind. Of the reports of a possible flood that
nobody took on yet, only the oldest is reminded of, for all of them (_oldest_untriaged).

A mail names the breach by its reference and links to its page behind the login; it never quotes
the report. The report may name pupils and the weak spot that leaked their data, and a mail leaves
the register's access control (processing/notifications.py).
"""

import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from breaches.clock import reminder_moments
from breaches.models import Breach, BreachEvent
from breaches.recipients import handlers, may_handle, members
from privacyregister.roles import Role

Kind = BreachEvent.Kind
# Lazy: translated when the mail is sent.
SUBJECTS: dict[str, "StrPromise"] = {
    Kind.REMINDER_24: gettext_lazy("Datalek %(reference)s: nog %(hours)d uur om te beslissen"),
    Kind.REMINDER_48: gettext_lazy("Datalek %(reference)s: nog %(hours)d uur om te beslissen"),
    Kind.REMINDER_MISSED: gettext_lazy("Datalek %(reference)s: de 72 uur zijn verstreken"),
}


def due_reminder(breach: Breach, now: datetime.datetime) -> str | None:
    """The reminder this breach is due for at `now`, if any: only the latest, so that a worker
    or cron that was down does not send a stale 24-hour mail after 48 hours."""
    if not breach.is_open or breach.ap_notified_at:
        return None
    at_24, at_48, at_deadline = reminder_moments(breach.aware_at)
    if now >= at_deadline:
        # Missed also when the board decided to notify and has not yet done so.
        return Kind.REMINDER_MISSED if breach.must_notify_ap is not False else None
    if breach.decided_at is not None:
        return None
    if now >= at_48:
        return Kind.REMINDER_48
    if now >= at_24:
        return Kind.REMINDER_24
    return None


def _recipients(breach: Breach, kind: str) -> list[str]:
    """The handler while they may still handle breaches of the board; else the board's privacy
    officers who may, else its beheerders who may (else its privacy address). A missed deadline
    goes to all privacy officers and the FG as well, who must know of a notification that came
    too late, whoever handles it."""
    handler = breach.handler
    if handler and handler.is_active and may_handle(breach.board, handler):
        emails = [handler.email]
    else:
        emails = handlers(breach.board) or [breach.board.privacy_email]
    if kind == Kind.REMINDER_MISSED:
        emails += members(breach.board, Role.PRIVACY_OFFICER)
        emails += members(breach.board, Role.FG) or [breach.board.fg_email]
    return sorted({email for email in emails if email})


@transaction.atomic
def remind(breach_pk: int, now: datetime.datetime) -> bool:
    """Send the reminder the breach is due for, unless it was sent before; True if sent. The
    breach's row is locked, so that the task and cron at the same moment send one mail."""
    breach = (
        Breach.objects.select_for_update(of=("self",))
        .select_related("board", "handler")
        .filter(pk=breach_pk)
        .first()
    )
    if breach is None:  # deleted with its board since the task was queued
        return False
    kind = due_reminder(breach, now)
    if kind is None or breach.events.filter(kind=kind).exists():
        return False
    if breach.awaiting_triage and _oldest_untriaged(breach.board_id).first() != breach.pk:
        return False  # another report stands for the flood
    recipients = _recipients(breach, kind)
    if not recipients:
        # Nobody to tell (no member may handle it and the board has no privacy address): no
        # event, so that the reminder goes out once someone can receive it.
        return False
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        hours = breach.hours_left(now)
        context = {
            "breach": breach,
            "missed": kind == Kind.REMINDER_MISSED,
            "hours_left": hours,
            "site_url": settings.SITE_URL,
        }
        subject = SUBJECTS[kind] % {"reference": breach.reference, "hours": hours}
        send_mail(
            subject=str(subject),
            message=render_to_string("breaches/reminder_email.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
        description = _("Herinnering verstuurd aan %(to)s.") % {"to": ", ".join(recipients)}
    # The mail went out: the event keeps it from going out again (a failed mail rolls back).
    BreachEvent.objects.create(breach=breach, at=now, kind=kind, description=description[:300])
    return True


def send_breach_reminders(now: datetime.datetime) -> int:
    """Send every reminder that is due; returns how many were sent. Safe to run at any time."""
    standing_for_flood = _oldest_untriaged(OuterRef("board_id"))[:1]
    open_breaches = (
        Breach.objects.open()
        .filter(ap_notified_at=None)
        .filter(~Q(pk__in=Breach.objects.awaiting_triage()) | Q(pk=Subquery(standing_for_flood)))
        .values_list("pk", flat=True)
    )
    return sum(remind(pk, now) for pk in open_breaches)


def _oldest_untriaged(board_id) -> "QuerySet[Breach, int]":
    """The reports of a possible flood nobody took on yet, oldest first. Only the oldest is
    reminded of: the 72 hours of a real report among them must not pass unnoticed, and a flood
    must not become a flood of reminders. Once it is taken on, the next one stands for the rest
    (the cron command, as its tasks were not queued)."""
    return (
        Breach.objects.awaiting_triage()
        .filter(board_id=board_id)
        .order_by("reported_at", "pk")
        .values_list("pk", flat=True)
    )


@task()
def remind_breach(breach_pk: int) -> bool:
    return remind(breach_pk, timezone.now())


def schedule_reminders(breach: Breach) -> None:
    """Queue a reminder task for each moment of the clock, once the report is committed. A
    backend that cannot wait (the tests' immediate one) schedules nothing: cron still runs."""
    if not remind_breach.get_backend().supports_defer:
        return
    for moment in reminder_moments(breach.aware_at):
        transaction.on_commit(partial(remind_breach.using(run_after=moment).enqueue, breach.pk))
