"""The data-breach register (datalekken, art. 33 and 34 AVG).

Every breach is documented, also the ones that are not notified (art. 33(5)): the facts, the
effects, the measures and the reasoning for notifying or not. A report from the public form
stores only what the reporter chose to give; after the board's period (default five years after
closing) the daily purge keeps that art. 33(5) record and drops who reported and the reporter's
own words (breaches/purge.py).
"""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from breaches.clock import DUTCH_TIME, hours_left, notification_deadline
from privacyregister.limits import BOUNDED_TEXT
from privacyregister.models import Board, School
from privacyregister.permissions import Capability, Scope
from processing.models import ProcessingActivity, Recipient

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A short report is enough; the reporter is not writing the assessment.
REPORT_TEXT_LIMIT = 5_000


class BreachQuerySet(models.QuerySet):
    def visible_to(self, access) -> "BreachQuerySet":
        """The breaches of access.board this user may see: all, those of the own school, or
        none. The one place that decides what the register and the dashboard show."""
        breaches = self.filter(board=access.board)
        scope = access.scope(Capability.VIEW_BREACHES)
        if scope == Scope.BOARD:
            return breaches
        if scope == Scope.SCHOOL:
            school_ids = access.school_ids(Capability.VIEW_BREACHES)
            return breaches.filter(Q(school__in=school_ids) | Q(schools__in=school_ids)).distinct()
        return breaches.none()

    def open(self) -> "BreachQuerySet":
        return self.exclude(status=Breach.Status.CLOSED)

    def awaiting_triage(self) -> "BreachQuerySet":
        """As Breach.awaiting_triage."""
        return self.filter(flood_suspected=True, status=Breach.Status.REPORTED)


class Breach(models.Model):
    class Status(models.TextChoices):
        REPORTED = "gemeld", _("gemeld")
        IN_PROGRESS = "in_behandeling", _("in behandeling")
        ASSESSED = "beoordeeld", _("beoordeeld")
        CLOSED = "afgesloten", _("afgesloten")

    class Source(models.TextChoices):
        PUBLIC = "publiek", _("melding via de website")
        STAFF = "medewerker", _("melding van een medewerker")
        PROCESSOR = "verwerker", _("melding van een verwerker (art. 33 lid 2 AVG)")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("bestuur")
    )
    # The reference the reporter gets: DL-<year>-<number>, the number counted per board.
    number = models.PositiveIntegerField(_("volgnummer"), editable=False)
    source = models.CharField(_("gemeld via"), max_length=12, choices=Source.choices)
    # The school the reporter named; the schools concerned are chosen in the assessment.
    school = models.ForeignKey(
        School,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="reported_breaches",
        verbose_name=_("school volgens de melder"),
    )
    what_happened = models.TextField(
        _("wat is er gebeurd"), validators=[BOUNDED_TEXT], max_length=REPORT_TEXT_LIMIT
    )
    occurred_at = models.DateTimeField(_("wanneer gebeurd"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("wanneer ontdekt"))
    # The 72 hours run from here: the moment the board knew (for a report, when it came in).
    aware_at = models.DateTimeField(_("bekend bij het bestuur op"))
    reported_at = models.DateTimeField(_("gemeld op"), default=timezone.now, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeld door (gebruiker)"),
    )
    reporter_name = models.CharField(_("naam melder"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("e-mailadres melder"), blank=True)
    reporter_phone = models.CharField(_("telefoonnummer melder"), max_length=30, blank=True)
    reporting_processor = models.ForeignKey(
        Recipient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_breaches",
        verbose_name=_("verwerker die het lek meldde"),
    )
    # A public report that came in past the board's hourly limit (breaches/limits.py): stored
    # all the same, for a real parent's report may be among them, but without a mail or
    # reminders of its own until someone takes it on. It stays a fact of the report after that.
    flood_suspected = models.BooleanField(_("mogelijke massamelding"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REPORTED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_breaches",
        verbose_name=_("behandelaar"),
    )

    # What the register knows: the activities, processors and schools concerned.
    activities = models.ManyToManyField(
        ProcessingActivity,
        blank=True,
        related_name="breaches",
        verbose_name=_("verwerkingen"),
    )
    processors = models.ManyToManyField(
        Recipient,
        blank=True,
        related_name="breaches",
        verbose_name=_("systemen en verwerkers"),
    )
    schools = models.ManyToManyField(
        School, blank=True, related_name="breaches", verbose_name=_("scholen")
    )

    # The facts of art. 33(3) and 33(5), filled in from the register and edited.
    nature = models.TextField(_("aard van het lek"), blank=True, validators=[BOUNDED_TEXT])
    data_categories = models.TextField(
        _("soorten persoonsgegevens"), blank=True, validators=[BOUNDED_TEXT]
    )
    subject_groups = models.TextField(_("betrokkenen"), blank=True, validators=[BOUNDED_TEXT])
    approx_people = models.PositiveIntegerField(
        _("aantal betrokkenen (ongeveer)"), null=True, blank=True
    )
    approx_records = models.PositiveIntegerField(
        _("aantal gegevensrecords (ongeveer)"), null=True, blank=True
    )
    consequences = models.TextField(
        _("waarschijnlijke gevolgen"), blank=True, validators=[BOUNDED_TEXT]
    )
    measures_taken = models.TextField(
        _("genomen maatregelen"), blank=True, validators=[BOUNDED_TEXT]
    )
    measures_proposed = models.TextField(
        _("voorgestelde maatregelen"), blank=True, validators=[BOUNDED_TEXT]
    )

    # The decision aid, after the questions of the Autoriteit Persoonsgegevens. None: not
    # answered yet.
    personal_data_involved = models.BooleanField(
        _("gaat het om persoonsgegevens?"), null=True, blank=True
    )
    risk_unlikely = models.BooleanField(
        _("is een risico voor de betrokkenen onwaarschijnlijk?"), null=True, blank=True
    )
    high_risk = models.BooleanField(
        _("is er een hoog risico voor de betrokkenen?"), null=True, blank=True
    )
    decision_motivation = models.TextField(
        _("motivering van het besluit"), blank=True, validators=[BOUNDED_TEXT]
    )
    decided_at = models.DateTimeField(_("besluit genomen op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluit genomen door"),
    )

    # The FG advises (art. 39(1)(a)); the board decides.
    fg_advice = models.TextField(_("advies van de FG"), blank=True, validators=[BOUNDED_TEXT])
    fg_advised_at = models.DateTimeField(_("advies gegeven op"), null=True, blank=True)

    # The notifications made.
    ap_notified_at = models.DateTimeField(_("gemeld bij de AP op"), null=True, blank=True)
    ap_reference = models.CharField(_("meldnummer van de AP"), max_length=50, blank=True)
    ap_late_reason = models.TextField(
        _("reden van te late melding"), blank=True, validators=[BOUNDED_TEXT]
    )
    subjects_informed_at = models.DateTimeField(
        _("betrokkenen geïnformeerd op"), null=True, blank=True
    )
    subjects_not_informed_reason = models.TextField(
        _("waarom de betrokkenen niet zijn geïnformeerd"),
        blank=True,
        help_text=_(
            "Alleen bij een uitzondering van art. 34 lid 3 AVG, bijvoorbeeld omdat de gegevens "
            "versleuteld waren."
        ),
        validators=[BOUNDED_TEXT],
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[activities, processors, schools])

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("datalek")
        verbose_name_plural = _("datalekken")
        ordering = ["board", "-aware_at"]
        indexes = [models.Index(fields=["board", "status", "aware_at"])]
        constraints = [
            models.UniqueConstraint(fields=["board", "number"], name="breach_number_per_board"),
            models.CheckConstraint(
                condition=Q(occurred_at__isnull=True) | Q(occurred_at__lte=F("discovered_at")),
                name="breach_occurred_before_discovered",
                violation_error_message=_("Een lek kan niet ontdekt zijn voordat het gebeurde."),
            ),
            models.CheckConstraint(
                condition=Q(discovered_at__lte=F("aware_at")),
                name="breach_discovered_before_aware",
                violation_error_message=_(
                    "Het bestuur kan het lek niet kennen voordat het ontdekt was."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        # The year the report came in: it cannot be edited, so the reference the reporter got
        # stays the same when the assessment moves the moment the board became aware.
        reported = (self.reported_at or timezone.now()).astimezone(DUTCH_TIME)
        return f"DL-{reported:%Y}-{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def deadline(self) -> datetime.datetime:
        """The last moment to notify the AP (art. 33(1)), in Dutch time."""
        return notification_deadline(self.aware_at)

    def hours_left(self, now: datetime.datetime) -> int | None:
        """Hours left to notify the AP; None once that no longer matters: notified, decided not
        to notify, or closed."""
        if not self.is_open or self.ap_notified_at or (self.decided_at and not self.must_notify_ap):
            return None
        return hours_left(self.deadline, now)

    @property
    def awaiting_triage(self) -> bool:
        """A report of a possible flood nobody took on yet: no reminders, and on the dashboard
        only in a count."""
        return self.flood_suspected and self.status == self.Status.REPORTED

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def must_notify_ap(self) -> bool | None:
        """The outcome of the decision aid for the AP: notify unless no personal data is
        involved or a risk is unlikely (art. 33(1)). None while a needed answer is missing."""
        if self.personal_data_involved is False:
            return False
        if self.personal_data_involved is None or self.risk_unlikely is None:
            return None
        return not self.risk_unlikely

    @property
    def must_inform_subjects(self) -> bool | None:
        """Inform the people concerned when the risk is high (art. 34(1))."""
        notify = self.must_notify_ap
        if notify is not True:
            return notify
        return self.high_risk

    @property
    def decision_outcome(self) -> "StrOrPromise":
        """The decision in one sentence, for the timeline and the breach's page; empty while
        there is none."""
        if not self.is_decided:
            return ""
        if not self.must_notify_ap:
            return _("Niet melden bij de AP; het lek is wel vastgelegd in het register.")
        if self.must_inform_subjects:
            return _("Melden bij de AP en de betrokkenen informeren.")
        return _("Melden bij de AP; de betrokkenen hoeven niet geïnformeerd te worden.")

    @property
    def notified_late(self) -> bool:
        return bool(self.ap_notified_at and self.ap_notified_at > self.deadline)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        now = timezone.now()
        for field in ("occurred_at", "discovered_at", "aware_at"):
            moment = getattr(self, field)
            if moment and moment > now:
                errors[field] = _("Dit tijdstip ligt in de toekomst.")
        if self.occurred_at and self.discovered_at and self.occurred_at > self.discovered_at:
            errors.setdefault(
                "occurred_at", _("Een lek kan niet ontdekt zijn voordat het gebeurde.")
            )
        if self.aware_at and self.reported_at and self.aware_at > self.reported_at:
            # A report is knowledge of the board: the 72 hours cannot start later.
            errors.setdefault(
                "aware_at", _("Het bestuur kende het lek uiterlijk toen het gemeld werd.")
            )
        if self.school is not None and self.board_id and self.school.board_id != self.board_id:
            errors["school"] = _("Deze school hoort niet bij dit bestuur.")
        processor = self.reporting_processor
        if processor is not None and processor.board_id != self.board_id:
            errors["reporting_processor"] = _("Deze verwerker hoort niet bij dit bestuur.")
        if self.decided_at and not self.decision_motivation.strip():
            errors["decision_motivation"] = _("Motiveer het besluit om wel of niet te melden.")
        if self.notified_late and not self.ap_late_reason.strip():
            errors["ap_late_reason"] = _(
                "De melding bij de AP was later dan 72 uur: geef de reden (art. 33 lid 1 AVG)."
            )
        if self.ap_notified_at and not self.ap_reference.strip():
            errors["ap_reference"] = _("Vul het meldnummer in dat de AP heeft gegeven.")
        if errors:
            raise ValidationError(errors)


class BreachMeasure(models.Model):
    """A measure to end the breach or prevent the next one, with an owner and a due date."""

    breach = models.ForeignKey(
        Breach, on_delete=models.CASCADE, related_name="measures", verbose_name=_("datalek")
    )
    description = models.CharField(_("maatregel"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="breach_measures",
        verbose_name=_("eigenaar"),
    )
    due_on = models.DateField(_("klaar op"), null=True, blank=True)
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["breach", "done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class BreachEvent(models.Model):
    """One step in the timeline of a breach; the reminders are events too, so that each is
    sent once."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("gemeld")
        STARTED = "started", _("in behandeling genomen")
        ASSESSED = "assessed", _("beoordeling bijgewerkt")
        DECIDED = "decided", _("besluit over melden vastgelegd")
        AP_NOTIFIED = "ap_notified", _("gemeld bij de AP")
        SUBJECTS_INFORMED = "subjects_informed", _("betrokkenen geïnformeerd")
        ADVICE = "advice", _("advies van de FG")
        MEASURE = "measure", _("maatregel bijgewerkt")
        CLOSED = "closed", _("afgesloten")
        REOPENED = "reopened", _("heropend")
        REMINDER_24 = "reminder_24", _("herinnering: 24 uur verstreken")
        REMINDER_48 = "reminder_48", _("herinnering: 48 uur verstreken")
        REMINDER_MISSED = "reminder_missed", _("herinnering: 72 uur verstreken")

    breach = models.ForeignKey(
        Breach, on_delete=models.CASCADE, related_name="events", verbose_name=_("datalek")
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("gebeurtenis"), max_length=300)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["breach", "at", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_report(self) -> bool:
        """The step whose actor is the reporter, shown only to who follows the breach up."""
        return self.kind == self.Kind.REPORTED
