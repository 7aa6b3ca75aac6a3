"""Notifying a breach: the draft for the AP (page and PDF), the letter to the people concerned
(PDF), and recording when both were done.

A recording returns to the breach's page; a refused one shows the AP page again, with the form as
it was typed and its errors (status 400). Both pages include the same block,
breaches/includes/notify.html.
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
from breaches.access import breach_for, follows_up
from breaches.models import Breach
from breaches.notification_forms import ApNotificationForm, SubjectsInformedForm
from breaches.notifications import ap_draft, letter_greeting
from privacyregister.access import BoardRequest, board_view
from privacyregister.documents import render_document
from privacyregister.permissions import Capability


def _breach_to_notify(request: BoardRequest, pk: int) -> Breach:
    """The draft is for who handles the breach and for the FG who advises on it."""
    breach = breach_for(request, pk, Capability.VIEW_BREACHES)
    if not follows_up(request.access, breach):
        raise PermissionDenied
    return breach


def _back(breach: Breach) -> HttpResponse:
    return redirect("breach_detail", board=breach.board.slug, pk=breach.pk)


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _ap_page(request: BoardRequest, breach: Breach, status: int = 200, **bound) -> HttpResponse:
    kwargs = {"board": breach.board.slug, "pk": breach.pk}
    return render(
        request,
        "breaches/ap_notification.html",
        {
            "breach": breach,
            "draft": ap_draft(breach),
            "detail_path": reverse("breach_detail", kwargs=kwargs),
            "facts_path": reverse("breach_facts", kwargs=kwargs),
            **bound,  # ap_bound or subjects_bound: a refused form, see notification_state
        },
        status=status,
    )


@board_view(Capability.VIEW_BREACHES, per_object=True)
def breach_ap_notification(request: BoardRequest, pk: int) -> HttpResponse:
    return _ap_page(request, _breach_to_notify(request, pk))


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


def _add_errors(
    form: ApNotificationForm | SubjectsInformedForm,
    error: ValidationError | ValueError,
    fields: dict[str, str],
) -> None:
    """The service's refusal on the form: at the field it is about (the breach's field name
    mapped to the form's), else above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(fields.get(name), message)
        return
    for message in getattr(error, "messages", [str(error)]):
        form.add_error(None, message)


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_record_ap_notification(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    form = ApNotificationForm(request.POST, breach=breach, prefix="ap")
    if form.is_valid():
        try:
            services.breach_record_ap_notification(
                actor=request.user,
                breach=breach,
                notified_at=form.cleaned_data["notified_at"],
                reference=form.cleaned_data["reference"],
                late_reason=form.cleaned_data["late_reason"],
            )
        except (ValidationError, ValueError) as error:
            _add_errors(
                form,
                error,
                {
                    "ap_notified_at": "notified_at",
                    "ap_reference": "reference",
                    "ap_late_reason": "late_reason",
                },
            )
            # The service changed the breach before it was refused; show what is stored.
            breach.refresh_from_db()
        else:
            messages.success(request, _("De melding bij de AP is vastgelegd."))
            return _back(breach)
    return _ap_page(request, breach, status=400, ap_bound=form)


@require_POST
@board_view(Capability.HANDLE_BREACHES, per_object=True)
def breach_record_subjects_informed(request: BoardRequest, pk: int) -> HttpResponse:
    breach = breach_for(request, pk, Capability.HANDLE_BREACHES)
    form = SubjectsInformedForm(request.POST, prefix="betrokkenen")
    if form.is_valid():
        try:
            services.breach_record_subjects_informed(
                actor=request.user,
                breach=breach,
                informed_at=form.cleaned_data["informed_at"],
                not_informed_reason=form.not_informed_reason,
            )
        except (ValidationError, ValueError) as error:
            _add_errors(form, error, {"subjects_informed_at": "informed_at"})
            breach.refresh_from_db()
        else:
            messages.success(request, _("Vastgelegd hoe de betrokkenen zijn geïnformeerd."))
            return _back(breach)
    return _ap_page(request, breach, status=400, subjects_bound=form)
