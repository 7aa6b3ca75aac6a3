"""Notifying a breach: the draft for the AP (page and PDF), the letter to the people concerned
(PDF), and recording when both were done.

The recording forms return to the AP page, which shows the state of both notifications and the
forms again with the messages. (The breach's detail page of the register includes the same
block, breaches/includes/notify.html.)
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from breaches import services
from breaches.access import breach_for, breach_reach
from breaches.models import Breach
from breaches.notification_forms import ApNotificationForm, SubjectsInformedForm
from breaches.notifications import ap_draft, letter_greeting
from privacyregister.access import BoardRequest, board_view
from privacyregister.documents import render_document
from privacyregister.permissions import Capability


def _breach_to_notify(request: BoardRequest, pk: int) -> Breach:
    """The draft is for who handles the breach and for the FG who advises on it."""
    breach = breach_for(request, pk, Capability.VIEW_BREACHES)
    reach = breach_reach(breach)
    if not (
        request.access.can(Capability.HANDLE_BREACHES, **reach)
        or request.access.can(Capability.ADVISE_BREACHES, **reach)
    ):
        raise PermissionDenied
    return breach


def _back(breach: Breach) -> HttpResponse:
    return redirect("breach_detail", board=breach.board.slug, pk=breach.pk)


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@board_view(Capability.VIEW_BREACHES, per_object=True)
def breach_ap_notification(request: BoardRequest, pk: int) -> HttpResponse:
    breach = _breach_to_notify(request, pk)
    kwargs = {"board": breach.board.slug, "pk": breach.pk}
    return render(
        request,
        "breaches/ap_notification.html",
        {
            "breach": breach,
            "draft": ap_draft(breach),
            "detail_path": reverse("breach_detail", kwargs=kwargs),
            "facts_path": reverse("breach_facts", kwargs=kwargs),
        },
    )


@board_view(Capability.VIEW_BREACHES, per_object=True)
def breach_ap_notification_pdf(request: BoardRequest, pk: int) -> HttpResponse:
    breach = _breach_to_notify(request, pk)
    pdf = render_document(
        "breaches/ap_notification_pdf.html",
        {"breach": breach, "board": request.board, "draft": ap_draft(breach)},
    )
    return _pdf(pdf, f"melding-ap-{breach.reference}.pdf")


@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_subjects_letter(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    if not breach.must_inform_subjects:
        # Reached by an old link or by hand: say why there is no letter, on the breach's page.
        messages.error(
            request,
            _(
                "Er is geen brief aan de betrokkenen: volgens het besluit hoeven zij niet "
                "geïnformeerd te worden."
            )
            if breach.is_decided
            else _("Er is nog geen brief: leg eerst het besluit over melden vast."),
        )
        return _back(breach)
    pdf = render_document(
        "breaches/subjects_letter.html",
        {
            "breach": breach,
            "board": request.board,
            "greeting": letter_greeting(breach),
            "today": timezone.localdate(),
        },
    )
    return _pdf(pdf, f"brief-betrokkenen-{breach.reference}.pdf")


def _refused(request: BoardRequest, error: ValidationError | ValueError) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _form_errors(request: BoardRequest, form: ApNotificationForm | SubjectsInformedForm) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_record_ap_notification(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    form = ApNotificationForm(request.POST, breach=breach, prefix="ap")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(breach)
    try:
        services.breach_record_ap_notification(
            actor=request.user,
            breach=breach,
            notified_at=form.cleaned_data["notified_at"],
            reference=form.cleaned_data["reference"],
            late_reason=form.cleaned_data["late_reason"],
        )
    except (ValidationError, ValueError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("De melding bij de AP is vastgelegd."))
    return _back(breach)


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_record_subjects_informed(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    form = SubjectsInformedForm(request.POST, prefix="betrokkenen")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(breach)
    try:
        services.breach_record_subjects_informed(
            actor=request.user,
            breach=breach,
            informed_at=form.cleaned_data["informed_at"],
            not_informed_reason=form.not_informed_reason,
        )
    except (ValidationError, ValueError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Vastgelegd hoe de betrokkenen zijn geïnformeerd."))
    return _back(breach)
