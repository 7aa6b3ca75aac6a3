"""Limits on the public report form, which anyone can send without logging in.

Counted in the database, so that they hold across all workers of an installation: the reports
from one client address in the security log ("breaches.reported" with its address, written by
services.breach_report), and the public reports a board received.

- One client past BREACH_REPORTS_PER_CLIENT an hour is refused (429).
- A board past BREACH_REPORTS_PER_BOARD an hour is not refused: refusing would let a few
  addresses shut every parent out of the breach channel for the rest of the hour, just when a
  real leak may be going on. The report is stored and marked as a possible flood, without a mail
  of its own; the first one over the limit tells the privacy officers once (report_mails).
- A board past BREACH_REPORTS_CEILING_PER_BOARD an hour is refused after all: without a ceiling a
  flood from many addresses could fill the database without end.

The board's count is taken by services.breach_report inside the transaction that stores the
report, after locking the board's row, so that reports sent at the same moment are counted one
after the other.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from breaches.models import Breach
from privacyregister.models import Board, SecurityEvent

WINDOW = datetime.timedelta(hours=1)
# The security-log entry of a flood's first report: at most one flood mail an hour per board.
FLOOD_ACTION = "breaches.flood_suspected"


# A public report refused at the board's ceiling, with the client's address: it counts against
# that client's limit as a report does, so that refused posts cannot go on without end, and the
# first of an hour tells the privacy officers that real reports are being refused now.
REFUSED_ACTION = "breaches.report_refused"


class ReportRefused(Exception):
    """A public report over a limit: nothing is stored. `free_again` is when one may be sent
    again; `at_ceiling` says it was the board's ceiling, not the client's own limit."""

    def __init__(self, free_again: datetime.datetime, *, at_ceiling: bool):
        super().__init__(free_again)
        self.free_again = free_again
        self.at_ceiling = at_ceiling


@dataclass(frozen=True)
class BoardLoad:
    flood: bool  # past the board's limit: a possible flood
    first_of_flood: bool  # and no flood was announced in this window yet


def _free_again(moments: list[datetime.datetime], limit: int) -> datetime.datetime | None:
    """When the oldest counted report leaves the window, if the limit is reached."""
    if len(moments) < limit:
        return None
    return min(moments) + WINDOW


def client_wait(ip: str | None, now: datetime.datetime) -> datetime.datetime | None:
    """None when this client may send a public report now; otherwise the moment it may again."""
    limit = settings.BREACH_REPORTS_PER_CLIENT
    # Only the newest `limit` moments matter: the count cannot grow with a flood.
    from_client = list(
        SecurityEvent.objects.filter(
            action__in=("breaches.reported", REFUSED_ACTION),
            actor=None,
            ip_address=ip,
            at__gte=now - WINDOW,
        )
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    return _free_again(from_client, limit)


def check_public_report(board: Board, ip: str | None, now: datetime.datetime) -> BoardLoad:
    """Where a new public report from this client to this board stands; ReportRefused past the
    client's limit or the board's ceiling. Called before the form is read, to refuse a flood
    cheaply, and again with the board's row locked (services.breach_report), to count reports
    sent at the same moment one after the other."""
    if wait := client_wait(ip, now):
        raise ReportRefused(wait, at_ceiling=False)
    return board_load(board, now)


def board_load(board: Board, now: datetime.datetime) -> BoardLoad:
    """Where a new public report of this board stands; ReportRefused past the ceiling."""
    since = now - WINDOW
    ceiling = settings.BREACH_REPORTS_CEILING_PER_BOARD
    to_board = list(
        Breach.objects.filter(board=board, source=Breach.Source.PUBLIC, reported_at__gte=since)
        .order_by("-reported_at")
        .values_list("reported_at", flat=True)[:ceiling]
    )
    if free_again := _free_again(to_board, ceiling):
        raise ReportRefused(free_again, at_ceiling=True)
    if len(to_board) < settings.BREACH_REPORTS_PER_BOARD:
        return BoardLoad(flood=False, first_of_flood=False)
    announced = SecurityEvent.objects.filter(
        board=board, action=FLOOD_ACTION, at__gte=since
    ).exists()
    return BoardLoad(flood=True, first_of_flood=not announced)
