"""The pages that show more than one app: the personal dashboard and a board's home page."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from privacyregister.access import AuthenticatedHttpRequest, BoardAccess, BoardRequest, board_view
from privacyregister.models import Board, Invitation, Membership
from privacyregister.permissions import Capability, Scope
from processing.findings import finding_counts
from processing.models import ProcessingActivity
from rights.models import RightsRequest


@dataclass
class BoardSummary:
    board: Board
    memberships: list[Membership] = field(default_factory=list)
    in_review: list = field(default_factory=list)
    review_passed: list = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    requests_due: list = field(default_factory=list)


def _requests_due(access: BoardAccess, today) -> list[RightsRequest]:
    """Open requests of the next week or overdue, as far as the user may see them."""
    requests = (
        RightsRequest.objects.visible_to(access)
        .exclude(status__in=RightsRequest.CLOSED)
        .filter(deadline__lte=today + timedelta(days=7))
    )
    return list(requests.select_related("school").order_by("deadline"))


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My boards, and for the boards whose whole register I see: what needs attention."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("board", "school")
        .order_by("board__name", "role")
    )
    summaries: dict[int, BoardSummary] = {}
    for membership in memberships:
        summaries.setdefault(membership.board_id, BoardSummary(membership.board))
        summaries[membership.board_id].memberships.append(membership)
    today = timezone.localdate()
    for summary in summaries.values():
        access = BoardAccess(request.user, summary.board)
        summary.requests_due = _requests_due(access, today)
        if access.scope(Capability.VIEW_REGISTER) != Scope.BOARD:
            continue
        visible = ProcessingActivity.objects.visible_to(access)
        attention = list(
            visible.filter(
                Q(status=ProcessingActivity.Status.IN_REVIEW) | Q(next_review_on__lt=today)
            ).order_by("name")
        )
        summary.in_review = [
            a for a in attention if a.status == ProcessingActivity.Status.IN_REVIEW
        ]
        summary.review_passed = [
            a for a in attention if a.next_review_on and a.next_review_on < today
        ]
        counts = finding_counts(visible, today)
        summary.errors, summary.warnings = counts["errors"], counts["warnings"]
    invitations = Invitation.objects.for_user(request.user).select_related(
        "board", "school", "invited_by"
    )
    return render(
        request,
        "workspace/dashboard.html",
        {"summaries": summaries.values(), "invitations": invitations},
    )


@board_view(Capability.VIEW_APPROVED_REGISTER)
def board_home(request: BoardRequest) -> HttpResponse:
    return redirect("activity_list", board=request.board.slug)
