"""The mail about a new breach report, sent by the task queue once the report is committed: one
mail per person, to the board's privacy officers and FG at once. A public report past the
board's hourly limit gets no mail of its own; the first of such a flood sends one mail about all
of them instead (breaches/limits.py).

A mail names the reference, the deadline and a link to the breach behind the login; it never
quotes what the reporter wrote. A report can name pupils, and a mail leaves the register's
access control: it is forwarded, kept in mailboxes and read on phones.

The mail goes out whatever someone chose for the mails about the register (NotificationSettings
on_events): that choice is about reviews, and a missed breach report costs the board its 72
hours (art. 33(1) AVG). Receiving it is part of the role.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from breaches.models import Breach
from breaches.recipients import handlers, members
from privacyregister.dates import dutch_moment
from privacyregister.models import Board, User, normalise_email
from privacyregister.roles import Role


def notify_reported(breach: Breach, *, actor: User | None) -> None:
    """Queue the mail once the report is committed: a rolled-back report tells nobody."""
    actor_pk = actor.pk if actor else None
    transaction.on_commit(lambda: send_breach_reported.enqueue(breach.pk, actor_pk))


def recipients(board: Board, actor_pk: int | None) -> list[str]:
    """The addresses to tell: who must act within the 72 hours (the privacy officers, or the
    beheerders of a board without one), the FG, and the FG's address from the board's settings
    when the FG is no member. Whoever reported it knows already."""
    addresses = {*handlers(board), *members(board, Role.FG)}
    if board.fg_email:
        addresses.add(normalise_email(board.fg_email))
    if actor_pk is not None:
        addresses.discard(User.objects.filter(pk=actor_pk).values_list("email", flat=True).first())
    return sorted(addresses)


@task()
def send_breach_reported(pk: int, actor_pk: int | None) -> int:
    """Mail everyone who must know of the new report, each on their own; returns how many."""
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        breach = Breach.objects.select_related("board").filter(pk=pk).first()
        if breach is None:
            return 0
        context = {
            "breach": breach,
            "board": breach.board,
            "deadline": dutch_moment(breach.deadline),
            "site_url": settings.SITE_URL,
        }
        message = render_to_string("breaches/reported_email.txt", context)
        subject = _("Nieuwe melding datalek %(reference)s") % {"reference": breach.reference}
        return send_mass_mail(
            [(subject, message, None, [address]) for address in recipients(breach.board, actor_pk)],
            fail_silently=False,
        )


def notify_flood(breach: Breach) -> None:
    """Queue the one mail about a possible flood, once the report that started it is committed."""
    transaction.on_commit(lambda: send_flood_suspected.enqueue(breach.pk))


@task()
def send_flood_suspected(pk: int) -> int:
    """Tell whoever gets the report mails that many reports came in within an hour: those past
    the board's limit get no mail of their own, so this one says where to find them."""
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        breach = Breach.objects.select_related("board").filter(pk=pk).first()
        if breach is None:
            return 0
        context = {
            "board": breach.board,
            "limit": settings.BREACH_REPORTS_PER_BOARD,
            "since": dutch_moment(breach.reported_at),
            "site_url": settings.SITE_URL,
        }
        message = render_to_string("breaches/flood_email.txt", context)
        subject = _("Veel meldingen van datalekken bij %(board)s") % {"board": breach.board.name}
        return send_mass_mail(
            [(subject, message, None, [address]) for address in recipients(breach.board, None)],
            fail_silently=False,
        )


def notify_ceiling(board: Board) -> None:
    """Queue the one mail that says the board's ceiling is reached, once the refusal that reached
    it is committed."""
    transaction.on_commit(lambda: send_ceiling_reached.enqueue(board.pk))


@task()
def send_ceiling_reached(board_pk: int) -> int:
    """Tell the privacy officers and the FG that the website now refuses breach reports for the
    rest of the hour: a real reporter among them must be able to reach the board otherwise."""
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        board = Board.objects.filter(pk=board_pk).first()
        if board is None:  # deleted since the refusal
            return 0
        context = {
            "board": board,
            "ceiling": settings.BREACH_REPORTS_CEILING_PER_BOARD,
            "site_url": settings.SITE_URL,
        }
        message = render_to_string("breaches/ceiling_email.txt", context)
        subject = _("Meldingen van datalekken bij %(board)s worden nu geweigerd") % {
            "board": board.name
        }
        return send_mass_mail(
            [(subject, message, None, [address]) for address in recipients(board, None)],
            fail_silently=False,
        )
