"""The pages that show more than one app: the personal dashboard and a board's home page."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from privacyregister.access import AuthenticatedHttpRequest, BoardAccess, BoardRequest, board_view
from privacyregister.models import Board, Invitation, Membership, School
from privacyregister.permissions import Capability, Scope
from processing.findings import finding_counts
from processing.models import ActivityQuerySet, Comment, CommentQuerySet, ProcessingActivity
from processing.statements import out_of_date_statements
from rights.models import RightsRequest


@dataclass
class BoardSummary:
    board: Board
    memberships: list[Membership] = field(default_factory=list)
    in_review: list = field(default_factory=list)
    review_passed: list = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    requests_overdue: list[tuple[RightsRequest, int]] = field(default_factory=list)
    requests_due: list[RightsRequest] = field(default_factory=list)
    open_advice: list[Comment] = field(default_factory=list)
    my_open_advice: list[Comment] = field(default_factory=list)
    out_of_date: list[School | None] = field(default_factory=list)


def _requests(summary: BoardSummary, access: BoardAccess, today: date) -> None:
    """Open requests past their deadline (with the days they are late), and those of the next
    week, as far as the user may see them."""
    requests = (
        RightsRequest.objects.visible_to(access)
        .exclude(status__in=RightsRequest.CLOSED)
        .filter(deadline__lte=today + timedelta(days=7))
        .select_related("school")
        .order_by("deadline")
    )
    for item in requests:
        if item.deadline < today:
            summary.requests_overdue.append((item, (today - item.deadline).days))
        else:
            summary.requests_due.append(item)


def _open_advice(visible: ActivityQuerySet) -> CommentQuerySet:
    return (
        Comment.objects.open()
        .filter(activity__in=visible)
        .select_related("activity", "author")
        .order_by("created_at", "pk")
    )


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
        _requests(summary, access, today)
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
        # Each role sees the advice it acts on: the one who resolves it all of it, the FG
        # what they gave and is still waiting.
        if access.scope(Capability.APPROVE_ACTIVITY) == Scope.BOARD:
            summary.open_advice = list(_open_advice(visible))
        elif access.can(Capability.COMMENT_ACTIVITY):
            summary.my_open_advice = list(_open_advice(visible).filter(author=request.user))
        if access.scope(Capability.PUBLISH_STATEMENT) == Scope.BOARD:
            summary.out_of_date = out_of_date_statements(summary.board)
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
