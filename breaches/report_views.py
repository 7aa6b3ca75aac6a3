"""Reporting a possible data breach: the public page of a board and the form for its staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from breaches import services
from breaches.access import breach_reach
from breaches.limits import ReportRefused, check_public_report
from breaches.models import Breach
from breaches.report_forms import ReportForm, StaffReportForm
from breaches.report_mails import notify_reported
from privacyregister.access import BoardRequest, board_view
from privacyregister.dates import dutch_moment
from privacyregister.errors import NotFound
from privacyregister.models import Board
from privacyregister.permissions import Capability
from privacyregister.throttling import client_ip
from processing.directory import public_boards

# The hidden field people never see and programs that fill in every field do.
HONEYPOT = "website"
# The reference of the last report sent from this browser, per board: the page after sending
# shows it from here, so that no URL leads to a report.
SESSION_KEY = "breach_reported"


def _public_board(slug: str) -> Board:
    """A board whose public pages are up; an unknown board and one that has published nothing
    get the same answer, as on the board's public page."""
    board = (
        public_boards()
        .filter(slug=slug)
        .only("name", "slug", "logo", "house_colour", "privacy_phone")
        .first()
    )
    if board is None:
        raise NotFound(_("Van dit schoolbestuur is (nog) geen privacyverklaring gepubliceerd."))
    return board


def _public_form(request: HttpRequest, board: Board, form: ReportForm, status: int = 200):
    return render(
        request,
        "breaches/public/report.html",
        {"board": board, "form": form, "honeypot": HONEYPOT},
        status=status,
    )


def _refused(request: HttpRequest, board: Board, refused: ReportRefused) -> HttpResponse:
    if refused.at_ceiling:
        services.public_report_refused(board=board, request=request)
    return render(
        request,
        "breaches/public/throttled.html",
        {"board": board, "wait": dutch_moment(refused.free_again)},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def report_public(request: HttpRequest, board: str) -> HttpResponse:
    board_obj = _public_board(board)
    if request.method == "GET":
        initial = {}
        school = board_obj.schools.active().filter(slug=request.GET.get("school", "")).first()
        if school:  # the link from a school's statement
            initial["school"] = school
        return _public_form(request, board_obj, ReportForm(board=board_obj, initial=initial))
    try:
        check_public_report(board_obj, client_ip(request), timezone.now())
    except ReportRefused as refused:
        return _refused(request, board_obj, refused)
    form = ReportForm(request.POST, board=board_obj)
    if request.POST.get(HONEYPOT):
        # Refused out loud rather than accepted in silence: should a browser's autofill ever
        # fill the hidden field, a parent learns the report did not go and can send it again
        # (the field is empty now). A silently dropped report of a real leak is the worse harm.
        form.add_error(None, _("Uw melding is niet verstuurd. Verstuur het formulier opnieuw."))
        return _public_form(request, board_obj, form, status=400)
    if not form.is_valid():
        return _public_form(request, board_obj, form)
    form.instance.source = Breach.Source.PUBLIC
    try:
        breach = services.breach_report(breach=form.instance, request=request)
    except ReportRefused as refused:
        return _refused(request, board_obj, refused)
    if not breach.flood_suspected:  # a flood's reports share one mail (breach_report)
        notify_reported(breach, actor=None)
    request.session[SESSION_KEY] = {"board": board_obj.slug, "reference": breach.reference}
    return redirect("breach_report_public_sent", board=board_obj.slug)


def report_public_sent(request: HttpRequest, board: str) -> HttpResponse:
    board_obj = _public_board(board)
    sent = request.session.get(SESSION_KEY) or {}
    if sent.get("board") != board_obj.slug:
        return redirect("breach_report_public", board=board_obj.slug)
    return render(
        request,
        "breaches/public/sent.html",
        {"board": board_obj, "reference": sent["reference"]},
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.REPORT_BREACH)
def report(request: BoardRequest) -> HttpResponse:
    form = StaffReportForm(
        request.POST or None,
        board=request.board,
        processor_reports=request.access.can(Capability.HANDLE_BREACHES),
    )
    if form.is_valid():
        breach = form.instance
        breach.reporter_name = request.user.get_full_name()
        breach.reporter_email = request.user.email
        try:
            breach = services.breach_report(breach=breach, actor=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "breaches/report_form.html", {"form": form})
        notify_reported(breach, actor=request.user)
        messages.success(
            request,
            _(
                "Uw melding is ontvangen onder nummer %(reference)s. De privacycoördinator "
                "beoordeelt het lek; het bestuur beslist uiterlijk %(deadline)s of het gemeld "
                "wordt bij de Autoriteit Persoonsgegevens."
            )
            % {"reference": breach.reference, "deadline": dutch_moment(breach.deadline)},
        )
        # Who may see the breach goes on to it; any other member back to the dashboard, the
        # reference in the message.
        if request.access.can(Capability.VIEW_BREACHES, **breach_reach(breach)):
            return redirect("breach_detail", board=request.board.slug, pk=breach.pk)
        return redirect("dashboard")
    return render(request, "breaches/report_form.html", {"form": form})
