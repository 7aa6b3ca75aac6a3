"""What belongs to one board, for a backup of that board alone."""

from itertools import chain

from django.apps import apps
from guardian.models import UserObjectPermission

from breaches.models import Breach, BreachEvent, BreachMeasure
from privacyregister.models import Board, Invitation, Membership, School, SecurityEvent, User
from privacyregister.services import on_board
from processing import models as register
from processing.vocabularies import VOCABULARIES
from retention.models import RetentionException, RetentionReminder, RetentionRule
from rights.models import RequestPause, RightsRequest, RightsRequestEvent


def _with_history(model, **lookup):
    """The rows of a model and, when it keeps history, their historical rows."""
    rows = model.objects.filter(**lookup)
    history = getattr(model, "history", None)
    if history is None:
        return [rows]
    ids = list(rows.values_list("pk", flat=True))
    return [rows, history.filter(id__in=ids)]


def board_objects(board: Board) -> chain:
    """Every row of the board, its users and their rights on it, history included.

    Many-to-many values travel with their objects; the historical ones are rows of their own.
    """
    return chain.from_iterable(_board_querysets(board))


def _board_querysets(board: Board) -> list:
    activities = {"activity__board": board}
    activity_ids = list(board.activities.values_list("pk", flat=True))
    historical_m2m = [
        apps.get_model("processing", f"HistoricalProcessingActivity_{name}").objects.filter(
            history__id__in=activity_ids
        )
        for name in register.ACTIVITY_M2M_FIELDS
    ]
    breach_ids = list(board.breaches.values_list("pk", flat=True))
    historical_breach_m2m = [
        apps.get_model("breaches", f"HistoricalBreach_{name}").objects.filter(
            history__id__in=breach_ids
        )
        for name in ("activities", "processors", "schools")
    ]
    return [
        User.objects.filter(memberships__board=board).distinct(),
        Board.objects.filter(pk=board.pk),
        School.objects.filter(board=board),
        Membership.objects.filter(board=board),
        Invitation.objects.filter(board=board),
        *[rows for v in VOCABULARIES for rows in _with_history(v.model, board=board)],
        *_with_history(register.ProcessingActivity, board=board),
        *historical_m2m,
        *[rows for model in register.ACTIVITY_PARTS for rows in _with_history(model, **activities)],
        register.Comment.objects.filter(**activities),
        register.ActivityFinding.objects.filter(**activities),
        *_with_history(RetentionRule, board=board),
        *_with_history(RetentionException, rule__board=board),
        RetentionReminder.objects.filter(rule__board=board),
        register.StatementVersion.objects.filter(board=board),
        register.RegisterExport.objects.filter(board=board),
        RightsRequest.objects.filter(board=board),
        RightsRequestEvent.objects.filter(request__board=board),
        RequestPause.objects.filter(request__board=board),
        *_with_history(Breach, board=board),
        *historical_breach_m2m,
        *_with_history(BreachMeasure, breach__board=board),
        BreachEvent.objects.filter(breach__board=board),
        SecurityEvent.objects.filter(board=board),
        UserObjectPermission.objects.filter(on_board(board)),
    ]
