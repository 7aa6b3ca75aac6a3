"""Data-subject requests: register, handle within the legal term, prove it with a timeline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from privacyregister.access import BoardRequest, board_view
from privacyregister.documents import render_document
from privacyregister.permissions import Capability, Scope
from rights import services
from rights.forms import DecisionForm, ExtensionForm, IdentityForm, RequestFilter, RequestForm
from rights.models import RightsRequest

# Lazy: translated when shown, in the reader's language.
LETTERS = {
    "ontvangst": gettext_lazy("Ontvangstbevestiging"),
    "verlenging": gettext_lazy("Verlenging"),
    "besluit": gettext_lazy("Besluit"),
}


def _rights_request(request: BoardRequest, pk: int, capability: str) -> RightsRequest:
    rights_request = get_object_or_404(
        request.board.rights_requests.select_related("school"), pk=pk
    )
    request.access.require(capability, **_reach(rights_request))
    return rights_request


def _reach(rights_request: RightsRequest) -> dict:
    # A request without a school is the board's own: only board-wide roles reach it.
    return {"schools": [rights_request.school_id] if rights_request.school_id else []}


@board_view(Capability.VIEW_RIGHTS_REQUESTS)
def request_list(request: BoardRequest) -> HttpResponse:
    requests = RightsRequest.objects.visible_to(request.access).select_related("school", "handler")
    form = RequestFilter(request.GET or None, schools=request.board.schools.all())
    status = request.GET.get("status", "")
    if form.is_valid():
        if form.cleaned_data["school"]:
            requests = requests.filter(school=form.cleaned_data["school"])
        status = form.cleaned_data["status"]
    if status == "":
        requests = requests.exclude(status__in=RightsRequest.CLOSED)
    elif status != "alle":
        requests = requests.filter(status=status)
    today = timezone.localdate()
    page = Paginator(requests.order_by("deadline", "pk"), 25).get_page(request.GET.get("pagina"))
    days_left = [(r, r.days_left(today)) for r in page]
    rows = [(r, left, -left if left is not None and left < 0 else None) for r, left in days_left]
    return render(
        request,
        "rights/request_list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "can_handle": request.access.allowed["handle_rights_requests"],
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_RIGHTS_REQUESTS)
def request_create(request: BoardRequest) -> HttpResponse:
    scope = request.access.scope(Capability.HANDLE_RIGHTS_REQUESTS)
    school_ids = (
        request.access.school_ids(Capability.HANDLE_RIGHTS_REQUESTS)
        if scope == Scope.SCHOOL
        else None
    )
    rights_request = RightsRequest(board=request.board, received_on=timezone.localdate())
    form = RequestForm(
        request.POST or None, instance=rights_request, board=request.board, school_ids=school_ids
    )
    if form.is_valid():
        try:
            saved = services.request_register(actor=request.user, rights_request=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in form.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Het verzoek is geregistreerd."))
            return redirect("rights_request_detail", board=request.board.slug, pk=saved.pk)
    return render(request, "rights/request_form.html", {"form": form})


@board_view(Capability.VIEW_RIGHTS_REQUESTS, per_object=True)
def request_detail(request: BoardRequest, pk: int) -> HttpResponse:
    rights_request = _rights_request(request, pk, Capability.VIEW_RIGHTS_REQUESTS)
    can_handle = request.access.can(Capability.HANDLE_RIGHTS_REQUESTS, **_reach(rights_request))
    return render(
        request,
        "rights/request_detail.html",
        {
            "rights_request": rights_request,
            "events": rights_request.events.select_related("actor"),
            "days_left": rights_request.days_left(timezone.localdate()),
            "can_handle": can_handle and rights_request.is_open,
            "identity_form": IdentityForm(initial={"on": timezone.localdate()}),
            "extension_form": ExtensionForm(initial={"notified_on": timezone.localdate()}),
            "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
            "letters": LETTERS,
            "paused": rights_request.pauses.filter(ended_on=None).exists(),
        },
    )


@require_POST
@board_view(Capability.HANDLE_RIGHTS_REQUESTS, per_object=True)
def request_action(request: BoardRequest, pk: int, action: str) -> HttpResponse:
    rights_request = _rights_request(request, pk, Capability.HANDLE_RIGHTS_REQUESTS)
    if not rights_request.is_open:
        messages.error(request, _("Dit verzoek is al afgesloten."))
        return redirect("rights_request_detail", board=request.board.slug, pk=pk)
    forms = {"identiteit": IdentityForm, "verlengen": ExtensionForm, "besluit": DecisionForm}
    form = forms[action](request.POST) if action in forms else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("rights_request_detail", board=request.board.slug, pk=pk)
    data = form.cleaned_data if form else {}
    steps = {
        "in-behandeling": lambda: services.request_start(
            actor=request.user, rights_request=rights_request
        ),
        "identiteit": lambda: services.request_check_identity(
            actor=request.user, rights_request=rights_request, **data
        ),
        "verlengen": lambda: services.request_extend(
            actor=request.user, rights_request=rights_request, **data
        ),
        "pauze": lambda: services.request_pause(
            actor=request.user, rights_request=rights_request, today=timezone.localdate()
        ),
        "besluit": lambda: services.request_decide(
            actor=request.user, rights_request=rights_request, **data
        ),
    }
    if action not in steps:
        raise Http404
    try:
        steps[action]()
    except (ValidationError, ValueError) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    else:
        messages.success(request, _("Opgeslagen."))
    return redirect("rights_request_detail", board=request.board.slug, pk=pk)


@board_view(Capability.HANDLE_RIGHTS_REQUESTS, per_object=True)
def request_letter(request: BoardRequest, pk: int, kind: str) -> HttpResponse:
    rights_request = _rights_request(request, pk, Capability.HANDLE_RIGHTS_REQUESTS)
    if kind not in LETTERS:
        raise Http404
    pdf = render_document(
        "rights/letter.html",
        {
            "rights_request": rights_request,
            "kind": kind,
            "board": request.board,
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{kind}-{rights_request.pk}.pdf"'
    return response
