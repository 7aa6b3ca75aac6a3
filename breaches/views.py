"""The breach register's pages: the list against the 72-hour clock, one breach with its facts,
decision and timeline, and the steps that handle it. Every step goes through breaches.services."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from breaches import services
from breaches.access import breach_for, breach_reach, follows_up
from breaches.forms import (
    PAGE_SIZE,
    AdviceForm,
    BreachFilter,
    DecisionForm,
    FactsForm,
    FloodDismissForm,
    LinkForm,
    MeasureForm,
)
from breaches.models import Breach
from breaches.register_facts import fg_contact, register_facts
from privacyregister.access import BoardRequest, board_view
from privacyregister.dates import dutch_moment
from privacyregister.permissions import Capability
from processing.history import record_changes

REPORTER_CONTACT = ("reporter_name", "reporter_email", "reporter_phone")


@dataclass(frozen=True)
class Clock:
    """Where a breach stands against the 72 hours, in words."""

    text: str
    overdue: bool = False
    deadline: str = ""  # while the hours count: the last moment to notify the AP


def clock(breach: Breach, now: datetime.datetime) -> Clock:
    if breach.ap_notified_at:
        return Clock(
            _("gemeld bij de AP op %(when)s") % {"when": dutch_moment(breach.ap_notified_at)}
        )
    if breach.is_decided and not breach.must_notify_ap:
        return Clock(_("niet meldplichtig"))
    left = breach.hours_left(now)
    if left is None:
        return Clock("—")
    deadline = dutch_moment(breach.deadline)
    if left >= 0:
        text = ngettext("nog %(hours)d uur", "nog %(hours)d uur", left) % {"hours": left}
        return Clock(text, deadline=deadline)
    # hours_left rounds down: -1 in the first hour after the deadline.
    late = -left - 1
    if late == 0:
        return Clock(_("te laat: minder dan een uur geleden"), True, deadline)
    text = ngettext("te laat: %(hours)d uur geleden", "te laat: %(hours)d uur geleden", late)
    return Clock(text % {"hours": late}, True, deadline)


def _redirect(breach: Breach, anchor: str = "") -> HttpResponse:
    response = redirect("breach_detail", board=breach.board.slug, pk=breach.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _as_validation_error(error: ValidationError | ValueError) -> ValidationError:
    """A refusal of a service (ValueError) or of the model (ValidationError), for the form."""
    return error if isinstance(error, ValidationError) else ValidationError(str(error))


def _refused(request: BoardRequest, error: Exception) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _step(
    request: BoardRequest, breach: Breach, step: Callable[..., Breach], done: str
) -> HttpResponse:
    """A button that takes one step (start, reopen): the step, its message, back to the breach."""
    try:
        step(actor=request.user, breach=breach)
    except (ValidationError, ValueError) as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return _redirect(breach)


@board_view(Capability.VIEW_BREACHES)
def breach_list(request: BoardRequest) -> HttpResponse:
    breaches = Breach.objects.visible_to(request.access)
    form = BreachFilter(request.GET or None, schools=request.board.schools.all())
    status = BreachFilter.OPEN
    if form.is_valid():
        if school := form.cleaned_data["school"]:
            breaches = breaches.filter(school=school) | breaches.filter(schools=school)
            breaches = breaches.distinct()
        status = form.cleaned_data["status"]
        if flood := form.cleaned_data["massamelding"]:
            breaches = breaches.filter(flood_suspected=flood == BreachFilter.FLOOD_ONLY)
    if status == BreachFilter.OPEN:
        breaches = breaches.open()
    elif status != BreachFilter.ALL:
        breaches = breaches.filter(status=status)
    # Open first, the nearest deadline on top; then the closed ones, the last closed first.
    ordered = breaches.annotate(
        closed=Case(
            When(status=Breach.Status.CLOSED, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("closed", "aware_at", "pk")
    page = Paginator(
        ordered.select_related("school").prefetch_related("schools"), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("pagina", None)
    # Filtered to a possible flood, who handles breaches may close the junk in one step.
    dismiss = (
        form.is_valid()
        and form.cleaned_data["massamelding"] == BreachFilter.FLOOD_ONLY
        and request.access.can(Capability.HANDLE_BREACHES)
        and any(breach.awaiting_triage for breach in page)
    )
    return render(
        request,
        "breaches/breach_list.html",
        {
            "page": page,
            "rows": [(breach, clock(breach, now)) for breach in page],
            "form": form,
            "query": query.urlencode(),
            "can_report": request.access.allowed[Capability.REPORT_BREACH],
            "dismiss_form": FloodDismissForm(board=request.board) if dismiss else None,
            "none_reported": not page.object_list
            and not Breach.objects.visible_to(request.access).exists(),
        },
    )


def _outcome(breach: Breach) -> dict:
    return {
        "notify_ap": breach.must_notify_ap,
        "inform_subjects": breach.must_inform_subjects,
        "deadline": dutch_moment(breach.deadline),
    }


@board_view(Capability.VIEW_BREACHES, per_object=True)
def breach_detail(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.VIEW_BREACHES)
    reach = breach_reach(breach)
    can_handle = request.access.can(Capability.HANDLE_BREACHES, **reach)
    can_advise = request.access.can(Capability.ADVISE_BREACHES, **reach)
    return render(
        request,
        "breaches/breach_detail.html",
        {
            "breach": breach,
            "clock": clock(breach, timezone.now()),
            "deadline": dutch_moment(breach.deadline),
            "outcome": _outcome(breach),
            # So is who reported, the actor of the REPORTED event (access.follows_up).
            "show_contact": can_handle or can_advise,
            "can_handle": can_handle and breach.is_open,
            "can_start": can_handle and breach.status == Breach.Status.REPORTED,
            "can_advise": can_advise and breach.is_open,
            "can_reopen": can_handle and not breach.is_open and not breach.anonymised_at,
            "activities": breach.activities.order_by("number"),
            "processors": breach.processors.all(),
            "schools": breach.schools.all(),
            "measures": breach.measures.select_related("owner"),
            "events": breach.events.select_related("actor"),
            "fg_contact": fg_contact(breach),
        },
    )


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_start(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    return _step(request, breach, services.breach_start, _("U behandelt dit datalek."))


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_close(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    if request.method == "POST":
        try:
            services.breach_close(actor=request.user, breach=breach)
        except (ValidationError, ValueError) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Het datalek is afgesloten."))
            return _redirect(breach)
    return render(
        request,
        "breaches/breach_close.html",
        {"breach": breach, "refusals": services.close_refusals(breach) if breach.is_open else []},
    )


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_reopen(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    return _step(request, breach, services.breach_reopen, _("Het datalek is heropend."))


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_link(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    initial = {
        "activities": breach.activities.all(),
        "processors": breach.processors.all(),
        "schools": breach.schools.all() or ([breach.school] if breach.school else []),
    }
    form = LinkForm(request.POST or None, initial=initial, board=request.board)
    if form.is_valid():
        try:
            services.breach_link(actor=request.user, breach=breach, **form.cleaned_data)
        except (ValidationError, ValueError) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            messages.success(
                request, _("Gekoppeld. Controleer de feiten die uit het register zijn ingevuld.")
            )
            return redirect("breach_facts", board=request.board.slug, pk=breach.pk)
    return render(request, "breaches/breach_link.html", {"breach": breach, "form": form})


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_facts(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    facts = register_facts(breach)
    form = FactsForm(
        request.POST or None, instance=breach, suggestions=facts.suggestions_for(breach)
    )
    if form.is_valid():
        try:
            services.breach_assess(actor=request.user, breach=form.instance)
        except (ValidationError, ValueError) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            messages.success(request, _("De feiten zijn opgeslagen."))
            return _redirect(breach, "feiten")
    linked = {processor.name for processor in breach.processors.all()}
    return render(
        request,
        "breaches/breach_facts.html",
        {
            "breach": breach,
            "form": form,
            "facts": facts,
            "unlinked_processors": [name for name in facts.processors if name not in linked],
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_decide(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    answers = {True: "ja", False: "nee", None: ""}
    initial = {
        "personal_data_involved": answers[breach.personal_data_involved],
        "risk_unlikely": answers[breach.risk_unlikely],
        "high_risk": answers[breach.high_risk],
        "motivation": breach.decision_motivation,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.breach_decide(
                actor=request.user,
                breach=breach,
                motivation=form.cleaned_data["motivation"],
                **form.cleaned_data["answers"],
            )
        except (ValidationError, ValueError) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return _redirect(breach, "besluit")
    return render(request, "breaches/breach_decide.html", {"breach": breach, "form": form})


@require_http_methods(["GET", "POST"])
@board_view(Capability.ADVISE_BREACHES, per_object=True)
def breach_advise(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.ADVISE_BREACHES)
    form = AdviceForm(request.POST or None, initial={"advice": breach.fg_advice})
    if form.is_valid():
        try:
            services.breach_advise(
                actor=request.user, breach=breach, advice=form.cleaned_data["advice"]
            )
        except (ValidationError, ValueError) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            messages.success(request, _("Uw advies is opgeslagen."))
            return _redirect(breach, "advies")
    return render(request, "breaches/breach_advise.html", {"breach": breach, "form": form})


@require_http_methods(["GET", "POST"])
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_measures(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    form = MeasureForm(board=request.board)
    if request.method == "POST" and "done" in request.POST:
        # The "gedaan" button of one measure; a measure of another breach is not found.
        done = request.POST["done"]
        measure = get_object_or_404(breach.measures, pk=int(done) if done.isdigit() else 0)
        try:
            services.breach_measure_done(
                actor=request.user, measure=measure, done_on=timezone.localdate()
            )
        except (ValidationError, ValueError) as error:
            _refused(request, error)
        else:
            messages.success(request, _("De maatregel is gedaan."))
        return redirect("breach_measures", board=request.board.slug, pk=breach.pk)
    if request.method == "POST":
        form = MeasureForm(request.POST, board=request.board)
        if form.is_valid():
            try:
                services.breach_measure_add(actor=request.user, breach=breach, **form.cleaned_data)
            except (ValidationError, ValueError) as error:
                form.add_error(None, _as_validation_error(error))
            else:
                messages.success(request, _("De maatregel is toegevoegd."))
                return redirect("breach_measures", board=request.board.slug, pk=breach.pk)
    return render(
        request,
        "breaches/breach_measures.html",
        {"breach": breach, "form": form, "measures": breach.measures.select_related("owner")},
    )


@board_view(Capability.VIEW_BREACHES, per_object=True)
def breach_history(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.VIEW_BREACHES)
    records = list(breach.history.select_related("history_user").order_by("history_date"))
    hidden = set()
    show_reporter = follows_up(request.access, breach)
    if not show_reporter:
        # As on the breach's page; the first version was saved by the reporter.
        hidden = {
            str(field.verbose_name)
            for field in Breach._meta.fields
            if field.name in (*REPORTER_CONTACT, "reported_by")
        }
    entries = []
    for record, changes in zip(records, record_changes(records), strict=True):
        shown = [change for change in changes if change.label not in hidden]
        if shown or record.history_type != "~":
            entries.append((record, shown))
    return render(
        request,
        "breaches/breach_history.html",
        {"breach": breach, "entries": list(reversed(entries)), "show_reporter": show_reporter},
    )


@require_POST
@board_view(Capability.HANDLE_BREACHES)
def breach_flood_dismiss(request: BoardRequest) -> HttpResponse:
    """Close the reports of a possible flood chosen on the list as no breach: first a page that
    shows what will be closed and why, then, confirmed, the close."""
    form = FloodDismissForm(request.POST, board=request.board)
    if not form.is_valid():
        return render(request, "breaches/flood_dismiss.html", {"form": form}, status=400)
    if "confirmed" in request.POST:
        try:
            closed = services.breaches_dismiss_flood(
                actor=request.user,
                board=request.board,
                breaches=form.cleaned_data["breaches"],
                motivation=form.cleaned_data["motivation"],
                request=request,
            )
        except (ValidationError, ValueError) as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d melding afgesloten als geen datalek.",
                    "%(count)d meldingen afgesloten als geen datalek.",
                    len(closed),
                )
                % {"count": len(closed)},
            )
        response = redirect("breach_list", board=request.board.slug)
        response["Location"] += f"?massamelding={BreachFilter.FLOOD_ONLY}"
        return response
    return render(
        request,
        "breaches/flood_dismiss.html",
        {"form": form, "breaches": form.cleaned_data["breaches"], "skipped": form.skipped},
    )
