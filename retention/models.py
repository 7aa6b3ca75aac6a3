"""Retention rules (bewaartermijnen): how long the board keeps what, and why."""

import datetime
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.models import HistoricalRecords

from privacyregister.dates import PeriodUnit, add_period, period_is_valid
from privacyregister.limits import BOUNDED_TEXT
from privacyregister.models import Board
from privacyregister.reference import read_fixture
from processing.models import DataCategory, DataSubjectGroup, ProcessingActivity

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The fields of a rule that, when they differ from the reference default, mark it as changed.
COMPARED_WITH_DEFAULT = ["period_amount", "period_unit", "period_kind", "start_event", "action"]
DEFAULTS_WHEN_MISSING = {"period_kind": "maximaal", "action": "vernietigen"}


def too_long(amount: int | None, unit: str) -> bool:
    """A period beyond a hundred years; an incomplete period is the constraints' business."""
    if not amount or not unit:
        return False
    return not period_is_valid(amount, unit)


def longer_than(period: tuple, maximum: tuple) -> bool:
    """Whether a period (amount, unit) ends after a maximum, counted from the same day. An
    incomplete or too long period is not compared: other checks refuse it."""
    if not all(period) or not all(maximum) or too_long(*period) or too_long(*maximum):
        return False
    start = datetime.date(2001, 1, 1)
    return add_period(start, *period) > add_period(start, *maximum)


@cache
def default_rules() -> dict[str, dict]:
    return {rule["reference_key"]: rule for rule in read_fixture("reference/retention_rules.json")}


# "1 week", "6 maanden", "7 jaar": a number with a year stays singular in Dutch.
# Lazy with "n" as the count: the language and the plural form are chosen when formatted.
UNIT_FORMS: dict[str, "StrOrPromise"] = {
    PeriodUnit.DAYS: ngettext_lazy("%(n)d dag", "%(n)d dagen", "n"),
    PeriodUnit.WEEKS: ngettext_lazy("%(n)d week", "%(n)d weken", "n"),
    PeriodUnit.MONTHS: ngettext_lazy("%(n)d maand", "%(n)d maanden", "n"),
    PeriodUnit.YEARS: ngettext_lazy("%(n)d jaar", "%(n)d jaar", "n"),
}


def period_text(amount: int, unit: str) -> str:
    return UNIT_FORMS[unit] % {"n": amount}


def period_complete(prefix: str, name: str, message: "StrOrPromise") -> models.CheckConstraint:
    """A period is either absent (no amount, no unit) or whole (an amount of at least 1 and a
    unit): the rule's active phase and maximum, and an exception's own period."""
    amount, unit = f"{prefix}_amount", f"{prefix}_unit"
    return models.CheckConstraint(
        condition=Q(**{f"{amount}__isnull": True, unit: ""})
        | Q(**{f"{amount}__gte": 1, f"{unit}__gt": ""}),
        name=name,
        violation_error_message=message,
    )


POSITIVE_PERIOD = MinValueValidator(
    1, _("Een bewaartermijn is minstens 1 (dag, week, maand of jaar).")
)
AT_MOST_100_YEARS = _("Een bewaartermijn is hoogstens 100 jaar.")


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
    period_amount = models.PositiveIntegerField(_("termijn"), validators=[POSITIVE_PERIOD])
    period_unit = models.CharField(_("eenheid"), max_length=8, choices=PeriodUnit.choices)
    active_amount = models.PositiveIntegerField(
        _("actief in gebruik"),
        null=True,
        blank=True,
        validators=[POSITIVE_PERIOD],
        help_text=_(
            "Optioneel: zo lang in gebruik; daarna gearchiveerd tot het einde van de termijn."
        ),
    )
    active_unit = models.CharField(
        _("eenheid actief gebruik"), max_length=8, choices=PeriodUnit.choices, blank=True
    )
    is_statutory = models.BooleanField(
        _("wettelijke termijn"), default=False, help_text=_("De termijn staat in een wet.")
    )
    maximum_amount = models.PositiveIntegerField(
        _("wettelijk maximum"),
        null=True,
        blank=True,
        validators=[POSITIVE_PERIOD],
        help_text=_("Langer mag nooit, ook niet bij een uitzondering."),
    )
    maximum_unit = models.CharField(
        _("eenheid maximum"), max_length=8, choices=PeriodUnit.choices, blank=True
    )
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
    note = models.TextField(_("toelichting"), blank=True, validators=[BOUNDED_TEXT])
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
        ordering = ["board_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="retentionrule_unique_name_per_board",
                violation_error_message=_("Dit bestuur heeft al een bewaartermijn met deze naam."),
            ),
            models.CheckConstraint(
                condition=Q(period_amount__gte=1), name="retentionrule_period_positive"
            ),
            models.CheckConstraint(
                condition=Q(is_statutory=False) | ~Q(legal_source=""),
                name="retentionrule_statutory_has_source",
                violation_error_message=_(
                    "Noem bij een wettelijke termijn de wet (wettelijke bron)."
                ),
            ),
            period_complete(
                "active",
                "retentionrule_active_period_complete",
                _("Vul bij actief gebruik zowel het aantal als de eenheid in."),
            ),
            period_complete(
                "maximum",
                "retentionrule_maximum_complete",
                _("Vul bij het maximum zowel het aantal als de eenheid in."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_display(self) -> str:
        return (
            f"{self.get_period_kind_display()} {period_text(self.period_amount, self.period_unit)}"
        )

    @property
    def is_minimum(self) -> bool:
        """The law requires keeping the data at least this long (not: at most)."""
        return self.period_kind == self.PeriodKind.AT_LEAST

    @property
    def active_display(self) -> str:
        return period_text(self.active_amount, self.active_unit) if self.active_amount else ""

    def clean(self) -> None:
        super().clean()
        periods = {
            "period_amount": (self.period_amount, self.period_unit),
            "active_amount": (self.active_amount, self.active_unit),
            "maximum_amount": (self.maximum_amount, self.maximum_unit),
        }
        errors = {name: AT_MOST_100_YEARS for name, period in periods.items() if too_long(*period)}
        if errors:
            raise ValidationError(errors)
        if self.exceeds_maximum(self.period_amount, self.period_unit):
            raise ValidationError(
                {"period_amount": _("De termijn is langer dan het wettelijk maximum.")}
            )

    def exceeds_maximum(self, amount: int | None, unit: str) -> bool:
        """Whether a period, the rule's own or an exception's, ends after the legal maximum."""
        return longer_than((amount, unit), (self.maximum_amount, self.maximum_unit))

    @property
    def period_is_valid(self) -> bool:
        """False for a rule stored past validation (imported, or from before the bound of a
        hundred years): the calculator and the calendar leave it out instead of failing."""
        return period_is_valid(self.period_amount, self.period_unit) and (
            not self.active_amount or period_is_valid(self.active_amount, self.active_unit)
        )

    def destroy_by(self, start: datetime.date) -> datetime.date:
        """The date by which data must be gone, for a start event on `start`."""
        return add_period(start, self.period_amount, self.period_unit)

    def archive_from(self, start: datetime.date) -> datetime.date | None:
        if not self.active_amount:
            return None
        return add_period(start, self.active_amount, self.active_unit)

    @property
    def changed_from_default(self) -> bool:
        """A rule adopted from the reference defaults that the board has since changed."""
        default = default_rules().get(self.reference_key)
        if default is None:
            return False
        return any(
            str(getattr(self, name)) != str(default.get(name, DEFAULTS_WHEN_MISSING.get(name, "")))
            for name in COMPARED_WITH_DEFAULT
        )


class RetentionException(models.Model):
    """An exception with its own period, e.g. applicants: up to 1 year with consent."""

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("regel")
    )
    condition = models.CharField(_("wanneer"), max_length=300)
    period_amount = models.PositiveIntegerField(
        _("termijn"), null=True, blank=True, validators=[POSITIVE_PERIOD]
    )
    period_unit = models.CharField(
        _("eenheid"), max_length=8, choices=PeriodUnit.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitzondering")
        verbose_name_plural = _("uitzonderingen")
        ordering = ["rule_id", "pk"]
        constraints = [
            period_complete(
                "period",
                "retentionexception_period_complete",
                _("Vul bij een termijn zowel het aantal als de eenheid in."),
            ),
        ]

    def __str__(self) -> str:
        return self.condition

    @property
    def period_display(self) -> str:
        return period_text(self.period_amount, self.period_unit) if self.period_amount else ""

    def clean(self) -> None:
        super().clean()
        if too_long(self.period_amount, self.period_unit):
            raise ValidationError({"period_amount": AT_MOST_100_YEARS})
        rule = self.rule if self.rule_id else None
        if rule and rule.exceeds_maximum(self.period_amount, self.period_unit):
            raise ValidationError(
                {
                    "period_amount": _(
                        "Deze uitzondering is langer dan het wettelijk maximum van de regel."
                    )
                }
            )


class RetentionReminder(models.Model):
    """A destruction duty that was e-mailed to a school, so it is sent only once."""

    school = models.ForeignKey(
        "privacyregister.School",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school"),
    )
    rule = models.ForeignKey(
        RetentionRule, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("regel")
    )
    due_on = models.DateField(_("uiterlijk weg op"))
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["school", "rule", "due_on"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} — {self.school} ({self.due_on:%d-%m-%Y})"
