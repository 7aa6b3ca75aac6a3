"""What waits for a user in each of their boards: read by the dashboard and by the weekly
digest, so that the mail says what the page shows."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from breaches.models import Breach, BreachMeasure
from privacyregister.access import BoardAccess
from privacyregister.models import Board, Membership, NotificationSettings, School, User
from privacyregister.permissions import Capability, Scope, roles_with
from processing.findings import finding_counts
from processing.models import (
    ActivityQuerySet,
    Comment,
    CommentQuerySet,
    ProcessingActivity,
    RegisterExport,
)
from processing.statements import out_of_date_statements
from rights.models import RightsRequest

# Exports made this long ago are still shown as ready on the dashboard.
EXPORTS_SHOWN_FOR = timedelta(days=7)


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
    exports_ready: list[RegisterExport] = field(default_factory=list)
    # For a medewerker: the approved register of their school, the part they may read.
    approved_register: list[ProcessingActivity] = field(default_factory=list)
    # For a school role: the schools the summary is limited to.
    own_schools: list[School] = field(default_factory=list)
    # Open breaches, the most urgent first, each with the hours left to notify the AP (None when
    # that no longer matters); for the FG those without advice; for who handles them the
    # measures past their date.
    breaches_open: list[tuple[Breach, int | None]] = field(default_factory=list)
    # Reports of a possible flood nobody took on yet: only counted, with a link to them, so that
    # hundreds of them do not push the other open breaches off the page (breaches/limits.py).
    breaches_flood: int = 0
    breaches_awaiting_advice: list[Breach] = field(default_factory=list)
    measures_overdue: list[BreachMeasure] = field(default_factory=list)

    @property
    def digest_worthy(self) -> bool:
        """Something waits that the weekly digest reports."""
        return bool(
            self.in_review
            or self.open_advice
            or self.my_open_advice
            or self.out_of_date
            or self.requests_overdue
        )


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
        days_left = item.days_left(today)  # never None: open, with a deadline (the filter)
        if days_left is not None and days_left < 0:
            summary.requests_overdue.append((item, -days_left))
        else:
            summary.requests_due.append(item)


def _breaches(summary: BoardSummary, access: BoardAccess, now: datetime) -> None:
    """The open breaches the user may see, by the hours left (a missed deadline first, those
    where the clock no longer matters last), and what the user's role does about them."""
    visible = Breach.objects.visible_to(access)
    summary.breaches_flood = visible.awaiting_triage().count()
    breaches = (
        visible.open()
        .exclude(pk__in=Breach.objects.awaiting_triage())
        .select_related("school", "handler")
        .order_by("aware_at", "pk")
    )
    handles = access.scope(Capability.HANDLE_BREACHES) == Scope.BOARD
    if handles:
        # Only an open breach can have open measures (breach_close refuses), and a prefetch
        # reads nothing when there are no open breaches: the dashboard's usual case.
        overdue = BreachMeasure.objects.filter(
            done_on=None, due_on__lt=timezone.localdate(now)
        ).select_related("owner")
        breaches = breaches.prefetch_related(
            Prefetch("measures", queryset=overdue.order_by("due_on", "pk"), to_attr="overdue")
        )
    with_hours = [(breach, breach.hours_left(now)) for breach in breaches]
    summary.breaches_open = sorted(with_hours, key=lambda item: (item[1] is None, item[1] or 0))
    if access.can(Capability.ADVISE_BREACHES):
        summary.breaches_awaiting_advice = [
            breach for breach, _hours in summary.breaches_open if not breach.fg_advised_at
        ]
    if handles:
        summary.measures_overdue = sorted(
            (measure for breach, _hours in with_hours for measure in breach.overdue),
            key=lambda measure: (measure.due_on, measure.pk),
        )


def _open_advice(visible: ActivityQuerySet) -> CommentQuerySet:
    return (
        Comment.objects.open()
        .filter(activity__in=visible)
        .select_related("activity", "author")
        .order_by("created_at", "pk")
    )


def _register(
    summary: BoardSummary, access: BoardAccess, user: User, today: date, *, for_digest: bool
) -> None:
    """What waits in the register, for those who see all of it (concepts included); a
    schoolleider only what concerns their own school."""
    visible = ProcessingActivity.objects.visible_to(access)
    if access.scope(Capability.EDIT_ACTIVITY) == Scope.SCHOOL:
        own = access.school_ids(Capability.EDIT_ACTIVITY)
        visible = visible.for_schools(own)
        summary.own_schools = [
            m.school for m in summary.memberships if m.school and m.school_id in own
        ]
    attention = list(
        visible.filter(
            Q(status=ProcessingActivity.Status.IN_REVIEW) | Q(next_review_on__lt=today)
        ).order_by("name")
    )
    summary.in_review = [a for a in attention if a.status == ProcessingActivity.Status.IN_REVIEW]
    summary.review_passed = [a for a in attention if a.next_review_on and a.next_review_on < today]
    if not for_digest:  # the mail does not report the checks' findings
        counts = finding_counts(visible, today)
        summary.errors, summary.warnings = counts["errors"], counts["warnings"]
    # Each role sees the advice it acts on: the one who resolves it all of it, the FG
    # what they gave and is still waiting.
    if access.scope(Capability.APPROVE_ACTIVITY) == Scope.BOARD:
        summary.open_advice = list(_open_advice(visible))
    elif access.can(Capability.COMMENT_ACTIVITY):
        summary.my_open_advice = list(_open_advice(visible).filter(author=user))
    if access.scope(Capability.PUBLISH_STATEMENT) == Scope.BOARD:
        summary.out_of_date = out_of_date_statements(summary.board)


def board_summaries(
    user: User, today: date | None = None, *, for_digest: bool = False
) -> list[BoardSummary]:
    """Per board of the user (by name): their roles and what waits for them there. For the
    digest, the parts only the dashboard shows (findings, the approved register, exports) are
    left empty: each would cost a query per board and per member for nothing."""
    today = today or timezone.localdate()
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("board", "school")
        # Whether the board has an open breach at all, in the same query: without one (the
        # usual case) the dashboard spends no query on breaches.
        .annotate(open_breaches=Exists(Breach.objects.open().filter(board=OuterRef("board"))))
        .order_by("board__name", "role")
    )
    summaries: dict[int, BoardSummary] = {}
    for membership in memberships:
        summaries.setdefault(membership.board_id, BoardSummary(membership.board))
        summaries[membership.board_id].memberships.append(membership)
    for summary in summaries.values():
        access = BoardAccess(user, summary.board)
        # The 72-hour clock has its own reminders: the weekly digest would be days too late.
        annotated: list = summary.memberships  # open_breaches is the query's annotation
        any_open = any(membership.open_breaches for membership in annotated)
        if any_open and access.can(Capability.VIEW_BREACHES) and not for_digest:
            _breaches(summary, access, timezone.now())
        _requests(summary, access, today)
        if access.scope(Capability.VIEW_REGISTER) == Scope.BOARD:
            _register(summary, access, user, today, for_digest=for_digest)
        elif access.scope(Capability.VIEW_APPROVED_REGISTER) == Scope.SCHOOL and not for_digest:
            summary.approved_register = list(
                ProcessingActivity.objects.visible_to(access).order_by("name").only("pk", "name")
            )
        only_reads = not access.can(Capability.EDIT_ACTIVITY)
        if access.can(Capability.EXPORT_REGISTER) and only_reads and not for_digest:
            # Who only reads (the FG) asks for an export and comes back for it later.
            summary.exports_ready = list(
                summary.board.exports.filter(
                    exported_by=user,
                    status=RegisterExport.Status.READY,
                    requested_at__gte=timezone.now() - EXPORTS_SHOWN_FOR,
                )
                .defer("content")
                .order_by("-requested_at")
            )
    return list(summaries.values())


def send_weekly_digest(today: date | None = None) -> int:
    """Mail each member who wants it, per board, what waits for them there; a board where
    nothing waits is left out, and a member with nothing anywhere gets no mail. Returns how many
    mails were sent."""
    # Only these roles can have something the digest reports (the register at board scope,
    # the requests of the data subjects); a medewerker never gets one, so is not looked at.
    roles = {*roles_with(Capability.VIEW_REGISTER), *roles_with(Capability.VIEW_RIGHTS_REQUESTS)}
    users = (
        User.objects.filter(is_active=True, memberships__role__in=roles)
        .exclude(NotificationSettings.opted_out("weekly_digest"))
        .distinct()
        .order_by("email")
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):  # the product speaks Dutch
        settings_link = settings.SITE_URL + reverse("notification_settings")
        for user in users:
            for summary in board_summaries(user, today, for_digest=True):
                if not summary.digest_worthy:
                    continue
                context = {
                    "summary": summary,
                    "site_url": settings.SITE_URL,
                    "settings_link": settings_link,
                }
                subject = _("Wat wacht in het privacyregister van %(board)s") % {
                    "board": summary.board.name
                }
                message = render_to_string("workspace/digest_email.txt", context)
                messages.append((subject, message, None, [user.email]))
    # All mails over one connection to the mail server, not one connection per mail.
    return send_mass_mail(messages, fail_silently=False)
