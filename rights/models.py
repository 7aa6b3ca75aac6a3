"""Requests of data subjects to exercise their rights (art. 15–22 and 7(3) AVG).

Store as little personal data as possible: enough to answer and to prove the answer was on time.
"""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from privacyregister.limits import BOUNDED_TEXT
from privacyregister.models import Board, School
from privacyregister.permissions import Capability, Scope
from rights.deadlines import extension_notice_deadline, rights_deadline

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RightsRequestQuerySet(models.QuerySet):
    def visible_to(self, access) -> "RightsRequestQuerySet":
        """The requests of access.board this user may see: all of them, those of the own
        school, or none. The one place that decides what the list and the dashboard show."""
        requests = self.filter(board=access.board)
        scope = access.scope(Capability.VIEW_RIGHTS_REQUESTS)
        if scope == Scope.BOARD:
            return requests
        if scope == Scope.SCHOOL:
            return requests.filter(school__in=access.school_ids(Capability.VIEW_RIGHTS_REQUESTS))
        return requests.none()


class RightsRequest(models.Model):
    class Type(models.TextChoices):
        ACCESS = "inzage", _("inzage (art. 15 AVG)")
        RECTIFICATION = "rectificatie", _("rectificatie (art. 16 AVG)")
        ERASURE = "wissen", _("wissen (art. 17 AVG)")
        RESTRICTION = "beperking", _("beperking van de verwerking (art. 18 AVG)")
        PORTABILITY = "overdraagbaarheid", _("overdraagbaarheid (art. 20 AVG)")
        OBJECTION = "bezwaar", _("bezwaar (art. 21 AVG)")
        AUTOMATED_DECISION = "geautomatiseerd", _("geen geautomatiseerd besluit (art. 22 AVG)")
        WITHDRAW_CONSENT = "intrekken", _("intrekken van toestemming (art. 7 lid 3 AVG)")

    class RequesterRole(models.TextChoices):
        PARENT = "ouder", _("ouder/verzorger")
        PUPIL_16_PLUS = "leerling16", _("leerling van 16 jaar of ouder")
        PUPIL_UNDER_16 = "leerling", _("leerling jonger dan 16 jaar")
        EMPLOYEE = "medewerker", _("medewerker")
        APPLICANT = "sollicitant", _("sollicitant")
        OTHER = "anders", _("anders")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        LETTER = "brief", _("brief")
        IN_PERSON = "persoonlijk", _("persoonlijk")
        PHONE = "telefoon", _("telefoon")

    class IdentityCheck(models.TextChoices):
        NOT_YET = "", _("nog niet gecontroleerd")
        DOCUMENT_SHOWN = "getoond", _("identiteitsbewijs getoond (geen kopie bewaard)")
        KNOWN = "bekend", _("persoonlijk bekend bij de school")
        VERIFIED_CHANNEL = "kanaal", _("via bekend e-mailadres of ouderportaal")

    class Status(models.TextChoices):
        RECEIVED = "ontvangen", _("ontvangen")
        IN_PROGRESS = "in_behandeling", _("in behandeling")
        EXTENDED = "verlengd", _("verlengd")
        DONE = "afgehandeld", _("afgehandeld")
        REJECTED = "afgewezen", _("afgewezen")
        WITHDRAWN = "ingetrokken", _("ingetrokken")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="rights_requests", verbose_name=_("bestuur")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("school"),
    )
    type = models.CharField(_("soort verzoek"), max_length=20, choices=Type.choices)
    requester_role = models.CharField(
        _("verzoek gedaan door"), max_length=12, choices=RequesterRole.choices
    )
    requester_name = models.CharField(_("naam verzoeker"), max_length=150)
    requester_contact = models.CharField(
        _("contactgegevens verzoeker"), max_length=200, help_text=_("E-mailadres of telefoon.")
    )
    concerns = models.CharField(
        _("over wie"),
        max_length=200,
        blank=True,
        help_text=_("Alleen als het verzoek over iemand anders gaat, bijvoorbeeld een kind."),
    )
    received_on = models.DateField(_("ontvangen op"))
    channel = models.CharField(_("ontvangen via"), max_length=12, choices=Channel.choices)
    identity_check = models.CharField(
        _("identiteit gecontroleerd"), max_length=10, choices=IdentityCheck.choices, blank=True
    )
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gecontroleerd door"),
    )
    identity_checked_on = models.DateField(_("gecontroleerd op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    deadline = models.DateField(_("uiterste antwoorddatum"), null=True, blank=True)
    extension_reason = models.TextField(
        _("reden van verlenging"), blank=True, validators=[BOUNDED_TEXT]
    )
    extension_notified_on = models.DateField(
        _("verzoeker geïnformeerd over verlenging op"), null=True, blank=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_rights_requests",
        verbose_name=_("behandelaar"),
    )
    decided_on = models.DateField(_("besluit op"), null=True, blank=True)
    decision_motivation = models.TextField(
        _("motivering van het besluit"), blank=True, validators=[BOUNDED_TEXT]
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    objects = RightsRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")
        ordering = ["board", "-received_on"]
        indexes = [models.Index(fields=["board", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_on")),
                name="rightsrequest_decided_after_received",
                violation_error_message=_("Een besluit kan niet vóór de ontvangst liggen."),
            ),
            models.CheckConstraint(
                condition=Q(identity_check="") | Q(identity_checked_on__isnull=False),
                name="rightsrequest_identity_check_dated",
                violation_error_message=_("Vul in wanneer de identiteit is gecontroleerd."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} — {self.received_on:%d-%m-%Y}"

    CLOSED = (Status.DONE, Status.REJECTED, Status.WITHDRAWN)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    @property
    def can_be_started(self) -> bool:
        """A request is taken into handling once, straight after it was received."""
        return self.status == self.Status.RECEIVED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def is_extended(self) -> bool:
        return bool(self.extension_notified_on)

    def paused_days(self, today: datetime.date) -> int:
        if self.pk is None:
            return 0
        return sum(pause.days(today) for pause in self.pauses.all())

    def compute_deadline(self, today: datetime.date | None = None) -> datetime.date:
        today = today or timezone.localdate()
        extra = set(PublicHoliday.objects.values_list("date", flat=True))
        return rights_deadline(
            self.received_on,
            extended=self.is_extended,
            paused_days=self.paused_days(today),
            extra_holidays=extra,
        )

    def days_left(self, today: datetime.date) -> int | None:
        return (self.deadline - today).days if self.deadline and self.is_open else None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.school is not None and self.board_id and self.school.board_id != self.board_id:
            errors["school"] = _("Deze school hoort niet bij dit bestuur.")
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("De datum van ontvangst ligt in de toekomst.")
        if self.extension_notified_on and self.received_on:
            if self.extension_notified_on > extension_notice_deadline(self.received_on):
                errors["extension_notified_on"] = _(
                    "Een verlenging moet binnen de eerste maand gemeld worden (uiterlijk %(date)s)."
                ) % {"date": date_format(extension_notice_deadline(self.received_on), "j F Y")}
            if not self.extension_reason.strip():
                errors["extension_reason"] = _("Geef de reden van de verlenging.")
        if self.status in (self.Status.DONE, self.Status.REJECTED):
            if not self.decision_motivation.strip():
                errors["decision_motivation"] = _(
                    "Motiveer het besluit voordat u het verzoek afsluit."
                )
            if not self.decided_on:
                errors["decided_on"] = _("Vul de datum van het besluit in.")
        if errors:
            raise ValidationError(errors)


class RequestPause(models.Model):
    """A time the term stood still, waiting for proof of identity (if the board chose so)."""

    request = models.ForeignKey(
        RightsRequest, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("verzoek")
    )
    started_on = models.DateField(_("vanaf"))
    ended_on = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("pauze")
        verbose_name_plural = _("pauzes")
        ordering = ["request", "started_on"]

    def __str__(self) -> str:
        return f"{self.started_on} – {self.ended_on or '…'}"

    def days(self, today: datetime.date) -> int:
        return ((self.ended_on or today) - self.started_on).days


class RightsRequestEvent(models.Model):
    """One step in the timeline of a request; together they prove the request was on time."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("geregistreerd")
        STARTED = "started", _("in behandeling genomen")
        IDENTITY = "identity", _("identiteit gecontroleerd")
        EXTENDED = "extended", _("termijn verlengd")
        PAUSE = "pause", _("termijn stilgezet of hervat")
        CLOSED = "closed", _("afgesloten")
        # The reminders are events too, so that each is sent only once.
        REMINDER_7 = "reminder_7", _("herinnering: nog 7 dagen")
        REMINDER_1 = "reminder_1", _("herinnering: morgen uiterste datum")
        REMINDER_MISSED = "reminder_missed", _("herinnering: uiterste datum verstreken")

    request = models.ForeignKey(
        RightsRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("verzoek")
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    description = models.CharField(_("gebeurtenis"), max_length=300)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return self.description


class PublicHoliday(models.Model):
    """A day off that the Algemene termijnenwet does not list, added by the administrator."""

    date = models.DateField(_("datum"), unique=True)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("extra vrije dag")
        verbose_name_plural = _("extra vrije dagen")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"
