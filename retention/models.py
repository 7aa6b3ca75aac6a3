"""Retention rules (bewaartermijnen): how long the board keeps what, and why."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacyregister.models import Board
from processing.models import DataCategory, DataSubjectGroup, ProcessingActivity


class PeriodUnit(models.TextChoices):
    DAYS = "dagen", _("dagen")
    WEEKS = "weken", _("weken")
    MONTHS = "maanden", _("maanden")
    YEARS = "jaren", _("jaren")


NON_NEGATIVE_PERIOD = MinValueValidator(0, _("Een bewaartermijn kan niet negatief zijn."))


class RetentionRule(models.Model):
    class StartEvent(models.TextChoices):
        END_OF_ENROLMENT = "einde_inschrijving", _("einde inschrijving (uitschrijving)")
        END_OF_EMPLOYMENT = "einde_dienstverband", _("einde dienstverband")
        END_OF_APPLICATION = "einde_sollicitatie", _("einde sollicitatieprocedure")
        END_OF_INTERNSHIP = "einde_stage", _("einde stage")
        RECORDING = "opname", _("opname")
        EXAM_RESULT = "examenuitslag", _("vaststelling examenuitslag")
        END_OF_SCHOOL_YEAR = "einde_schooljaar", _("einde schooljaar")
        END_OF_FINANCIAL_YEAR = "einde_boekjaar", _("einde boekjaar")
        END_OF_PROCEDURE = "einde_procedure", _("afhandeling van de procedure")
        CONSENT_WITHDRAWN = "intrekking_toestemming", _("intrekking van de toestemming")
        REFERRAL = "verwijzing", _("verwijzing")

    class Action(models.TextChoices):
        DESTROY = "vernietigen", _("vernietigen")
        ANONYMISE = "anonimiseren", _("anonimiseren")
        TRANSFER_TO_ARCHIVE = "archief", _("overdragen aan archief")

    class PeriodKind(models.TextChoices):
        AT_MOST = "maximaal", _("maximaal")
        AT_LEAST = "minimaal", _("minimaal")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="retention_rules", verbose_name=_("bestuur")
    )
    name = models.CharField(_("wat wordt bewaard"), max_length=200)
    subject_group = models.ForeignKey(
        DataSubjectGroup,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="retention_rules",
        verbose_name=_("van wie"),
    )
    period_amount = models.PositiveIntegerField(_("termijn"), validators=[NON_NEGATIVE_PERIOD])
    period_unit = models.CharField(_("eenheid"), max_length=8, choices=PeriodUnit.choices)
    period_kind = models.CharField(
        _("soort termijn"),
        max_length=8,
        choices=PeriodKind.choices,
        default=PeriodKind.AT_MOST,
        help_text=_("Maximaal: daarna weg. Minimaal: de wet verplicht zo lang te bewaren."),
    )
    start_event = models.CharField(
        _("termijn begint bij"), max_length=24, choices=StartEvent.choices
    )
    action = models.CharField(
        _("daarna"), max_length=12, choices=Action.choices, default=Action.DESTROY
    )
    legal_source = models.CharField(_("wettelijke bron"), max_length=300, blank=True)
    legal_source_url = models.URLField(_("link naar de bron"), blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    reference_key = models.SlugField(
        _("standaardregel"),
        max_length=60,
        blank=True,
        help_text=_("De standaardregel uit de referentiegegevens waarop deze regel is gebaseerd."),
    )
    activities = models.ManyToManyField(
        ProcessingActivity,
        blank=True,
        related_name="retention_rules",
        verbose_name=_("verwerkingen"),
    )
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="retention_rules", verbose_name=_("gegevens")
    )
    history = HistoricalRecords(m2m_fields=[activities, data_categories])

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        ordering = ["board", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="retentionrule_unique_name_per_board",
                violation_error_message=_("Dit bestuur heeft al een bewaartermijn met deze naam."),
            ),
            models.CheckConstraint(
                condition=Q(period_amount__gte=0), name="retentionrule_period_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_display(self) -> str:
        kind, unit = self.get_period_kind_display(), self.get_period_unit_display()
        return f"{kind} {self.period_amount} {unit}"


class RetentionException(models.Model):
    """An exception with its own period, e.g. applicants: up to 1 year with consent."""

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("regel")
    )
    condition = models.CharField(_("wanneer"), max_length=300)
    period_amount = models.PositiveIntegerField(
        _("termijn"), null=True, blank=True, validators=[NON_NEGATIVE_PERIOD]
    )
    period_unit = models.CharField(
        _("eenheid"), max_length=8, choices=PeriodUnit.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitzondering")
        verbose_name_plural = _("uitzonderingen")
        ordering = ["rule", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_amount__isnull=True, period_unit="")
                | Q(period_amount__gte=0, period_unit__gt=""),
                name="retentionexception_period_complete",
                violation_error_message=_(
                    "Vul bij een termijn zowel het aantal als de eenheid in."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.condition
