"""Use cases of data-subject requests; each step is written to the request's timeline."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacyregister.models import Board, User
from rights.models import RequestPause, RightsRequest, RightsRequestEvent


def _event(rights_request: RightsRequest, actor: User | None, description: str, kind: str) -> None:
    RightsRequestEvent.objects.create(
        request=rights_request, actor=actor, description=description, kind=kind
    )


def _save(rights_request: RightsRequest) -> datetime.date:
    """Save the request with its deadline brought up to date; returns that deadline."""
    deadline = rights_request.deadline = rights_request.compute_deadline()
    rights_request.full_clean()
    rights_request.save()
    return deadline


@transaction.atomic
def request_register(*, actor: User, rights_request: RightsRequest) -> RightsRequest:
    deadline = _save(rights_request)
    _event(
        rights_request,
        actor,
        _("Verzoek ontvangen en geregistreerd; uiterste antwoorddatum %(date)s.")
        % {"date": deadline.strftime("%d-%m-%Y")},
        RightsRequestEvent.Kind.REGISTERED,
    )
    return rights_request


@transaction.atomic
def request_start(*, actor: User, rights_request: RightsRequest) -> RightsRequest:
    rights_request.status = RightsRequest.Status.IN_PROGRESS
    rights_request.handler = rights_request.handler or actor
    _save(rights_request)
    _event(
        rights_request,
        actor,
        _("In behandeling genomen door %(who)s.") % {"who": rights_request.handler},
        RightsRequestEvent.Kind.STARTED,
    )
    return rights_request


@transaction.atomic
def request_check_identity(
    *, actor: User, rights_request: RightsRequest, how: str, on: datetime.date
) -> RightsRequest:
    (
        rights_request.identity_check,
        rights_request.identity_checked_on,
        rights_request.identity_checked_by,
    ) = (
        how,
        on,
        actor,
    )
    _save(rights_request)
    _event(
        rights_request,
        actor,
        _("Identiteit gecontroleerd: %(how)s.")
        % {"how": rights_request.get_identity_check_display()},
        RightsRequestEvent.Kind.IDENTITY,
    )
    return rights_request


@transaction.atomic
def request_extend(
    *, actor: User, rights_request: RightsRequest, reason: str, notified_on: datetime.date
) -> RightsRequest:
    rights_request.extension_reason, rights_request.extension_notified_on = reason, notified_on
    rights_request.status = RightsRequest.Status.EXTENDED
    deadline = _save(rights_request)
    _event(
        rights_request,
        actor,
        _("Termijn verlengd tot %(date)s; verzoeker geïnformeerd op %(notified)s.")
        % {
            "date": deadline.strftime("%d-%m-%Y"),
            "notified": notified_on.strftime("%d-%m-%Y"),
        },
        RightsRequestEvent.Kind.EXTENDED,
    )
    return rights_request


@transaction.atomic
def request_pause(
    *, actor: User, rights_request: RightsRequest, today: datetime.date
) -> RightsRequest:
    """Start or end a pause while waiting for proof of identity (only if the board chose so)."""
    if not rights_request.board.rights_pause_for_identity:
        raise ValueError(_("Dit bestuur laat de termijn niet stilstaan."))
    open_pause = rights_request.pauses.filter(ended_on=None).first()
    if open_pause:
        open_pause.ended_on = today
        open_pause.save()
        message = _("Identiteitsbewijs ontvangen; de termijn loopt weer.")
    else:
        RequestPause.objects.create(request=rights_request, started_on=today)
        message = _("Gewacht op bewijs van identiteit; de termijn staat stil.")
    _save(rights_request)
    _event(rights_request, actor, message, RightsRequestEvent.Kind.PAUSE)
    return rights_request


@transaction.atomic
def request_decide(
    *, actor: User, rights_request: RightsRequest, status: str, decided_on, motivation: str
) -> RightsRequest:
    rights_request.status, rights_request.decided_on, rights_request.decision_motivation = (
        status,
        decided_on,
        motivation,
    )
    rights_request.closed_on = timezone.localdate()
    _save(rights_request)
    _event(
        rights_request,
        actor,
        _("Afgesloten: %(status)s.") % {"status": rights_request.get_status_display()},
        RightsRequestEvent.Kind.CLOSED,
    )
    return rights_request


# Lazy: translated when the mail is sent.
REMINDERS = [
    (RightsRequestEvent.Kind.REMINDER_7, 7, gettext_lazy("Nog 7 dagen")),
    (RightsRequestEvent.Kind.REMINDER_1, 1, gettext_lazy("Morgen is de uiterste datum")),
    (RightsRequestEvent.Kind.REMINDER_MISSED, -1, gettext_lazy("De uiterste datum is verstreken")),
]


def send_rights_reminders(today: datetime.date) -> int:
    """Mail the handler 7 days and 1 day before the deadline and on the day it is missed."""
    sent = 0
    open_requests = (
        RightsRequest.objects.exclude(status__in=RightsRequest.CLOSED)
        .select_related("board", "school", "handler")
        .prefetch_related("events")
    )
    for rights_request in open_requests:
        days_left = rights_request.days_left(today)  # None without a deadline: no reminders
        done = {event.kind for event in rights_request.events.all()}
        for kind, days, subject in REMINDERS:
            if days_left == days and kind not in done:
                recipient = (
                    rights_request.handler.email
                    if rights_request.handler
                    else rights_request.board.privacy_email
                )
                send_mail(
                    subject=f"{subject}: {rights_request}",
                    message=render_to_string(
                        "rights/reminder_email.txt",
                        {
                            "rights_request": rights_request,
                            "days_left": days_left,
                            "site_url": settings.SITE_URL,
                        },
                    ),
                    from_email=None,
                    recipient_list=[recipient],
                )
                _event(
                    rights_request,
                    None,
                    _("Herinnering verstuurd aan %(to)s.") % {"to": recipient},
                    kind,
                )
                sent += 1
    return sent


ANONYMOUS = "(geanonimiseerd)"


def purge_closed_requests(now: datetime.datetime) -> dict[str, int]:
    """Anonymise closed requests older than the board's period; returns counts per board."""
    report = {}
    for board in Board.objects.order_by("name"):
        cutoff = now.date() - datetime.timedelta(days=board.rights_purge_after_days)
        old = board.rights_requests.filter(
            status__in=RightsRequest.CLOSED, closed_on__lt=cutoff, anonymised_at=None
        )
        count = old.update(
            requester_name=ANONYMOUS,
            requester_contact="",
            concerns="",
            extension_reason="",
            decision_motivation=ANONYMOUS,
            anonymised_at=now,
        )
        if count:
            report[board.name] = count
    return report
