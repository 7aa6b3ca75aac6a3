"""Limits on the public report form, which anyone can send without logging in.

Counted in the database, so that they hold across all workers of an installation: the reports
from one client address in the security log ("breaches.reported" with its address, written by
services.breach_report), and the public reports a board received.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from breaches.models import Breach
from privacyregister.models import Board, SecurityEvent

WINDOW = datetime.timedelta(hours=1)


def _free_again(moments: list[datetime.datetime], limit: int) -> datetime.datetime | None:
    """When the oldest counted report leaves the window, if the limit is reached."""
    if len(moments) < limit:
        return None
    return min(moments) + WINDOW


def public_report_wait(board: Board, ip: str | None) -> datetime.datetime | None:
    """None when a public report may be sent now; otherwise the moment it may again."""
    since = timezone.now() - WINDOW
    client_limit = settings.BREACH_REPORTS_PER_CLIENT
    board_limit = settings.BREACH_REPORTS_PER_BOARD
    # Only the newest `limit` moments matter: the count cannot grow with a flood.
    from_client = list(
        SecurityEvent.objects.filter(
            action="breaches.reported", actor=None, ip_address=ip, at__gte=since
        )
        .order_by("-at")
        .values_list("at", flat=True)[:client_limit]
    )
    to_board = list(
        Breach.objects.filter(board=board, source=Breach.Source.PUBLIC, reported_at__gte=since)
        .order_by("-reported_at")
        .values_list("reported_at", flat=True)[:board_limit]
    )
    waits = [
        wait
        for wait in (
            _free_again(from_client, client_limit),
            _free_again(to_board, board_limit),
        )
        if wait
    ]
    return max(waits) if waits else None
