"""The register of processing activities (art. 30 AVG) and the statements built from it."""

import functools
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacyregister.limits import BOUNDED_TEXT
from privacyregister.models import Board, School, User, unique_with_optional
from privacyregister.permissions import Capability, Scope


@functools.cache
def _choices(model: type[models.Model], field_name: str) -> dict[object, object]:
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # a reverse relation has no choices
    return dict(field.flatchoices)


def choice_label(instance: models.Model, field_name: str) -> str:
    """get_FOO_display(), without rebuilding the field's choices on every call: a statement or
    an export of a large board asks for thousands of labels."""
    value = getattr(instance, field_name)
    return str(_choices(type(instance), field_name).get(value, value))


class LegalBasis(models.TextChoices):
    """Art. 6(1) AVG."""

    CONSENT = "a", _("toestemming (art. 6 lid 1 sub a AVG)")
    CONTRACT = "b", _("uitvoering van een overeenkomst (art. 6 lid 1 sub b AVG)")
    LEGAL_OBLIGATION = "c", _("wettelijke verplichting (art. 6 lid 1 sub c AVG)")
    VITAL_INTEREST = "d", _("vitaal belang (art. 6 lid 1 sub d AVG)")
    PUBLIC_TASK = "e", _("taak van algemeen belang (art. 6 lid 1 sub e AVG)")
    LEGITIMATE_INTEREST = "f", _("gerechtvaardigd belang (art. 6 lid 1 sub f AVG)")


class SpecialCategoryException(models.TextChoices):
    """Art. 9(2) AVG: the exception that lifts the ban on special categories."""

    EXPLICIT_CONSENT = "a", _("uitdrukkelijke toestemming (art. 9 lid 2 sub a)")
    EMPLOYMENT = "b", _("arbeidsrecht en sociale zekerheid (art. 9 lid 2 sub b)")
    VITAL_INTEREST = "c", _("vitaal belang, geen toestemming mogelijk (art. 9 lid 2 sub c)")
    FOUNDATION = "d", _("stichting of vereniging zonder winstoogmerk (art. 9 lid 2 sub d)")
    MADE_PUBLIC = "e", _("kennelijk openbaar gemaakt door betrokkene (art. 9 lid 2 sub e)")
    LEGAL_CLAIMS = "f", _("rechtsvordering (art. 9 lid 2 sub f)")
    SUBSTANTIAL_PUBLIC_INTEREST = "g", _("zwaarwegend algemeen belang bij wet (art. 9 lid 2 sub g)")
    HEALTH_CARE = "h", _("gezondheidszorg en arbeidsgeneeskunde (art. 9 lid 2 sub h)")
    PUBLIC_HEALTH = "i", _("volksgezondheid (art. 9 lid 2 sub i)")
    ARCHIVING_RESEARCH = "j", _("archivering, onderzoek of statistiek (art. 9 lid 2 sub j)")


def board_foreign_key(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("bestuur")
    )


class Vocabulary(models.Model):
    """A board's own list of terms, pre-filled from the reference fixtures."""

    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True, validators=[BOUNDED_TEXT])
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="%(app_label)s_%(class)s_unique_name_per_board",
                violation_error_message=_("Deze naam bestaat al bij dit bestuur."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DataSubjectGroup(Vocabulary):
    """Betrokkenen: leerlingen, ouders/verzorgers, medewerkers, sollicitanten, …"""

    board = board_foreign_key("subject_groups")

    class Meta(Vocabulary.Meta):
        verbose_name = _("groep betrokkenen")
        verbose_name_plural = _("groepen betrokkenen")


class DataCategory(Vocabulary):
    class Kind(models.TextChoices):
        ORDINARY = "gewoon", _("gewoon persoonsgegeven")
        SPECIAL = "bijzonder", _("bijzonder persoonsgegeven (art. 9 AVG)")
        CRIMINAL = "strafrechtelijk", _("strafrechtelijk gegeven (art. 10 AVG)")
        NATIONAL_ID = "bsn", _("wettelijk identificatienummer: BSN/PGN (art. 46 UAVG)")

    class SpecialType(models.TextChoices):
        RACE = "ras", _("ras of etnische afkomst")
        POLITICS = "politiek", _("politieke opvattingen")
        RELIGION = "religie", _("religieuze of levensbeschouwelijke overtuigingen")
        UNION = "vakbond", _("lidmaatschap van een vakbond")
        GENETIC = "genetisch", _("genetische gegevens")
        BIOMETRIC = "biometrisch", _("biometrische gegevens voor identificatie")
        HEALTH = "gezondheid", _("gezondheid")
        SEXUAL = "seksueel", _("seksueel gedrag of seksuele gerichtheid")

    board = board_foreign_key("data_categories")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.ORDINARY)
    special_type = models.CharField(
        _("soort bijzonder gegeven"), max_length=16, choices=SpecialType.choices, blank=True
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("categorie persoonsgegevens")
        verbose_name_plural = _("categorieën persoonsgegevens")
        constraints = [
            *Vocabulary.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(kind="bijzonder") & ~Q(special_type=""))
                | (~Q(kind="bijzonder") & Q(special_type="")),
                name="datacategory_special_type_iff_special",
                violation_error_message=_(
                    "Kies bij een bijzonder persoonsgegeven welk soort het is, en alleen dan."
                ),
            ),
        ]

    @property
    def is_ordinary(self) -> bool:
        return self.kind == self.Kind.ORDINARY


class DataSource(Vocabulary):
    """Where data comes from: the person, DUO, the previous school, …"""

    board = board_foreign_key("data_sources")

    class Meta(Vocabulary.Meta):
        verbose_name = _("bron van gegevens")
        verbose_name_plural = _("bronnen van gegevens")


class Recipient(Vocabulary):
    """A party that receives data; for a processor also its data processing agreement (DPA).

    One DPA signed by the board covers all its schools, so it lives here, not per activity.
    """

    class Kind(models.TextChoices):
        PUBLIC_BODY = "overheid", _("overheidsinstantie")
        PROCESSOR = "verwerker", _("verwerker (leverancier)")
        OTHER_SCHOOL = "school", _("andere school of onderwijsinstelling")
        CARE_PARTNER = "zorgpartner", _("zorg- of ketenpartner")
        THIRD_PARTY = "derde", _("andere derde")

    class DpaStatus(models.TextChoices):
        MISSING = "ontbreekt", _("ontbreekt")
        DRAFT = "concept", _("concept")
        SENT = "verstuurd", _("verstuurd")
        SIGNED = "getekend", _("getekend")
        EXPIRED = "verlopen", _("verlopen")

    board = board_foreign_key("recipients")
    kind = models.CharField(_("soort ontvanger"), max_length=16, choices=Kind.choices)
    country = models.CharField(_("land"), max_length=100, default="Nederland")
    in_eea = models.BooleanField(_("binnen de EER"), default=True)
    product = models.CharField(_("product of dienst"), max_length=200, blank=True)
    data_location = models.CharField(_("opslaglocatie van de gegevens"), max_length=200, blank=True)
    dpa_status = models.CharField(
        _("verwerkersovereenkomst"), max_length=16, choices=DpaStatus.choices, blank=True
    )
    dpa_signed_on = models.DateField(_("getekend op"), null=True, blank=True)
    dpa_valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    dpa_uses_sector_model = models.BooleanField(
        _("volgens het Model Verwerkersovereenkomst van het Privacyconvenant"), default=False
    )
    dpa_document_url = models.URLField(_("link naar de overeenkomst"), blank=True)
    # While it is deleted: the activities to lint again afterwards (processing.findings).
    _linted_activities: set[int]

    class Meta(Vocabulary.Meta):
        verbose_name = _("ontvanger of verwerker")
        verbose_name_plural = _("ontvangers en verwerkers")
        constraints = [
            *Vocabulary.Meta.constraints,
            models.CheckConstraint(
                condition=Q(dpa_valid_until__isnull=True)
                | Q(dpa_signed_on__isnull=True)
                | Q(dpa_valid_until__gte=F("dpa_signed_on")),
                name="recipient_dpa_valid_after_signed",
                violation_error_message=_(
                    "De verwerkersovereenkomst kan niet eindigen voordat hij is getekend."
                ),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.PROCESSOR and not self.dpa_status:
            self.dpa_status = self.DpaStatus.MISSING
        if self.kind != self.Kind.PROCESSOR and self.dpa_status:
            raise ValidationError(
                {"dpa_status": _("Alleen een verwerker heeft een verwerkersovereenkomst.")}
            )


class StaffRole(Vocabulary):
    """A role within the school that may see data: schooldirectie, OP, OOP, IB'er, …"""

    board = board_foreign_key("staff_roles")

    class Meta(Vocabulary.Meta):
        verbose_name = _("functie met toegang")
        verbose_name_plural = _("functies met toegang")


class SecurityMeasure(Vocabulary):
    class Kind(models.TextChoices):
        TECHNICAL = "technisch", _("technisch")
        ORGANISATIONAL = "organisatorisch", _("organisatorisch")

    board = board_foreign_key("security_measures")
    kind = models.CharField(_("soort maatregel"), max_length=16, choices=Kind.choices)

    class Meta(Vocabulary.Meta):
        verbose_name = _("beveiligingsmaatregel")
        verbose_name_plural = _("beveiligingsmaatregelen")


class ActivityQuerySet(models.QuerySet):
    def in_statement_order(self) -> "ActivityQuerySet":
        """The order the board chose for its statements; activities it never placed follow,
        alphabetically."""
        return self.order_by(F("statement_position").asc(nulls_last=True), "name")

    def for_schools(self, school_ids) -> "ActivityQuerySet":
        """Activities that concern at least one of these schools (board-wide ones included)."""
        return self.filter(
            Q(applies_to_all_schools=True)
            | Q(pk__in=self.filter(schools__in=school_ids).values("pk"))
        )

    def with_open_advice(self) -> "ActivityQuerySet":
        """Each activity with the number of the FG's advices that are still open, counted in
        the list's own query so that a page of the register makes as many queries whatever its
        size."""
        open_advice = (
            Comment.objects.open()
            .filter(activity=OuterRef("pk"))
            .values("activity")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            open_advice=Coalesce(Subquery(open_advice, output_field=IntegerField()), 0)
        )

    def with_open_advice_only(self, value: bool = True) -> "ActivityQuerySet":
        """The activities with (or, value False, without) open advice of the FG."""
        has_open = Exists(Comment.objects.open().filter(activity=OuterRef("pk")))
        return self.filter(has_open if value else ~has_open)

    def visible_to(self, access) -> "ActivityQuerySet":
        """The activities of access.board this user may read: everything, or only what is
        approved, for the whole board or only for their own school. The one place that decides
        what a register page, the dashboard or an export shows."""
        activities = self.filter(board=access.board)
        approved = activities.filter(status=ProcessingActivity.Status.APPROVED)
        for capability, subset in [
            (Capability.VIEW_REGISTER, activities),
            (Capability.VIEW_APPROVED_REGISTER, approved),
        ]:
            scope = access.scope(capability)
            if scope == Scope.BOARD:
                return subset
            if scope == Scope.SCHOOL:
                return subset.for_schools(access.school_ids(capability))
        return activities.none()


class ProcessingActivity(models.Model):
    """One processing activity (verwerking) of the board, for all or some of its schools."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        IN_REVIEW = "ter_review", _("ter review")
        APPROVED = "vastgesteld", _("vastgesteld")

    board = board_foreign_key("activities")
    # The activity's number in the board's register, given when it is created and never
    # reused (see next_number): an audit, an export and an import refer to it by this number.
    number = models.PositiveIntegerField(_("registernummer"), editable=False)
    applies_to_all_schools = models.BooleanField(_("geldt voor alle scholen"), default=True)
    schools = models.ManyToManyField(
        School,
        blank=True,
        related_name="local_activities",
        verbose_name=_("scholen"),
        help_text=_("Alleen invullen als de verwerking niet voor alle scholen geldt."),
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("uitleg in gewone taal"), validators=[BOUNDED_TEXT])
    # Optional texts for the other statements (statement_variants.py); left empty, the pupils'
    # statement says what the rows say and the English one shows the Dutch text with a note.
    description_pupils = models.TextField(
        _("uitleg voor leerlingen"),
        blank=True,
        help_text=_(
            "Voor de verklaring voor leerlingen: korte zinnen met je en jij, bijvoorbeeld "
            "“Wij bewaren je cijfers zodat je docent kan zien hoe het gaat.”"
        ),
        validators=[BOUNDED_TEXT],
    )
    name_en = models.CharField(_("naam in het Engels"), max_length=200, blank=True)
    description_en = models.TextField(
        _("uitleg in het Engels"), blank=True, validators=[BOUNDED_TEXT]
    )
    subject_groups = models.ManyToManyField(
        DataSubjectGroup, blank=True, related_name="activities", verbose_name=_("betrokkenen")
    )
    processors = models.ManyToManyField(
        Recipient,
        blank=True,
        related_name="processed_activities",
        limit_choices_to={"kind": Recipient.Kind.PROCESSOR},
        verbose_name=_("verwerkers"),
    )
    security_measures = models.ManyToManyField(
        SecurityMeasure, blank=True, related_name="activities", verbose_name=_("beveiliging")
    )
    automated_decision_making = models.BooleanField(
        _("geautomatiseerde besluitvorming"), default=False
    )
    profiling = models.BooleanField(_("profilering"), default=False)
    automated_logic = models.TextField(
        _("hoe het besluit of profiel tot stand komt"), blank=True, validators=[BOUNDED_TEXT]
    )
    automated_consequences = models.TextField(
        _("gevolgen en waarborgen voor betrokkenen"), blank=True, validators=[BOUNDED_TEXT]
    )
    dpia_required = models.BooleanField(_("DPIA nodig"), default=False)
    dpia_done_on = models.DateField(_("DPIA uitgevoerd op"), null=True, blank=True)
    provision_requirement = models.TextField(
        _("moet u de gegevens geven, en wat als u dat niet doet"),
        blank=True,
        help_text=_(
            "Art. 13 lid 2 sub e AVG: wettelijk of contractueel verplicht, en de gevolgen."
        ),
        validators=[BOUNDED_TEXT],
    )
    consent_how_asked = models.TextField(
        _("hoe toestemming wordt gevraagd"), blank=True, validators=[BOUNDED_TEXT]
    )
    consent_how_withdrawn = models.TextField(
        _("hoe toestemming wordt ingetrokken"), blank=True, validators=[BOUNDED_TEXT]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONCEPT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_activities",
        verbose_name=_("eigenaar"),
    )
    approved_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_activities",
        verbose_name=_("vastgesteld door"),
    )
    next_review_on = models.DateField(_("volgende controle op"), null=True, blank=True)
    # Where the statements show it: the board's choice (services.activity_move). Empty for an
    # activity that was never placed; those follow the placed ones, alphabetically. Presentation,
    # not a fact of the register: a move is no new version (no history record, no new
    # approval), and not editable, so the history pages do not list it as a change.
    statement_position = models.PositiveIntegerField(
        _("plaats in de privacyverklaring"), null=True, blank=True, editable=False
    )
    # Raised on every save; a save that started from an older version is a conflict.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    # Where an activity adopted from the sector catalogue (processing/catalogue.py) came from:
    # the entry, the version the board has seen, and that entry as it was then, so that a
    # later version of the entry can be shown field by field against it.
    catalogue_key = models.SlugField(
        _("uit de catalogus"), max_length=60, blank=True, editable=False
    )
    catalogue_version = models.PositiveIntegerField(
        _("catalogusversie"), null=True, blank=True, editable=False
    )
    catalogue_snapshot = models.JSONField(
        _("catalogusitem zoals gezien"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(m2m_fields=[schools, subject_groups, processors, security_measures])
    # Who the next save is by, for its history record; without it simple-history takes the
    # user of the request (services set it, so a command's change names its actor too).
    _history_user: User

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingen")
        ordering = ["board_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="activity_unique_name_per_board",
                violation_error_message=_("Dit bestuur heeft al een verwerking met deze naam."),
            ),
            models.UniqueConstraint(
                fields=["board", "number"], name="activity_unique_number_per_board"
            ),
            models.UniqueConstraint(
                fields=["board", "catalogue_key"],
                condition=~Q(catalogue_key=""),
                name="activity_catalogue_entry_once_per_board",
                violation_error_message=_("Dit bestuur heeft deze verwerking al uit de catalogus."),
            ),
            models.CheckConstraint(
                condition=~Q(status="vastgesteld") | Q(approved_at__isnull=False),
                name="activity_approved_has_date",
                violation_error_message=_(
                    "Een vastgestelde verwerking heeft een datum van vaststelling."
                ),
            ),
        ]
        indexes = [models.Index(fields=["board", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.number is not None:
            return super().save(*args, **kwargs)
        with transaction.atomic():  # the number and the row that takes it, together
            self.number = self.next_number(self.board)
            super().save(*args, **kwargs)

    @classmethod
    def next_number(cls, board: Board) -> int:
        """The board's next register number. The history counts too: a deleted activity's
        number stays its own in old exports and the change log. The board's row is locked so
        that two activities created at once get different numbers (PostgreSQL; SQLite writes
        one at a time anyway)."""
        Board.objects.select_for_update().only("pk").get(pk=board.pk)
        last = [
            cls.objects.filter(board=board).aggregate(last=Max("number"))["last"],
            cls.history.filter(board_id=board.pk).aggregate(last=Max("number"))["last"],
        ]
        return max(number or 0 for number in last) + 1

    @staticmethod
    def combination_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """What is wrong between fields that each hold a valid value, by the field to correct:
        the editor and the import both apply these, so an import cannot bring in what the
        editor refuses. Read from a mapping, because the editor checks one part at a time."""
        errors = {}
        if values.get("dpia_done_on") and not values.get("dpia_required"):
            errors["dpia_required"] = gettext("Er is een DPIA gedaan; vink aan dat die nodig was.")
        automated = values.get("automated_decision_making") or values.get("profiling")
        if automated and not str(values.get("automated_logic") or "").strip():
            errors["automated_logic"] = gettext(
                "Leg uit hoe het geautomatiseerde besluit of profiel tot stand komt."
            )
        return errors

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def can_be_submitted(self) -> bool:
        """Only a concept is offered for review: one in review waits for its approver, and an
        approved one becomes a concept again when it is edited."""
        return self.status == self.Status.CONCEPT

    @property
    def changed_since_approval(self) -> bool:
        """Approved once, edited since: parents still see the approved version."""
        return not self.is_approved and self.approved_at is not None

    def last_approved_record(self):
        """The history record of the version that was last approved, if any.

        Every save of an approved activity turns it into a concept first (see
        services.activity_save), so the newest approved record is the approved version.
        """
        return self.history.filter(status=self.Status.APPROVED).order_by("-history_date").first()

    def reach(self) -> dict:
        """Which schools this activity concerns, as BoardAccess.can() takes it."""
        if self.applies_to_all_schools:
            return {"whole_board": True}
        return {"schools": [school.pk for school in self.schools.all()]}


class ActivityPart(models.Model):
    """A row that belongs to one activity and is versioned with it."""

    history = HistoricalRecords(inherit=True)
    _history_user: User  # as on ProcessingActivity
    # Every concrete part declares its own `activity` foreign key (activity_foreign_key()), for
    # its own related name; the type checker learns them here.
    activity: "ProcessingActivity"
    activity_id: int

    class Meta:
        abstract = True


def activity_foreign_key(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        ProcessingActivity,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("verwerking"),
    )


class Dossier(ActivityPart):
    """A separate file within one activity with its own access, e.g. the speciaal zorgdossier."""

    activity = activity_foreign_key("dossiers")
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True, validators=[BOUNDED_TEXT])

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="dossier_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class DossierPart(ActivityPart):
    """A row that may be limited to one dossier of its activity."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        dossier = self.dossier
        if dossier is not None and self.activity_id and dossier.activity_id != self.activity_id:
            raise ValidationError({"dossier": _("Dit dossier hoort bij een andere verwerking.")})


class Purpose(ActivityPart):
    """A purpose (doel) with its legal basis; for special categories the art. 9(2) exception."""

    activity = activity_foreign_key("purposes")
    description = models.TextField(_("doel"), validators=[BOUNDED_TEXT])
    description_en = models.TextField(
        _("doel in het Engels"), blank=True, validators=[BOUNDED_TEXT]
    )
    legal_basis = models.CharField(_("grondslag"), max_length=1, choices=LegalBasis.choices)
    legal_basis_detail = models.TextField(
        _("wet of toelichting bij de grondslag"),
        blank=True,
        help_text=_("Bij een wettelijke plicht de wet; bij gerechtvaardigd belang welk belang."),
        validators=[BOUNDED_TEXT],
    )
    special_category_exception = models.CharField(
        _("uitzondering voor bijzondere gegevens"),
        max_length=1,
        choices=SpecialCategoryException.choices,
        blank=True,
    )
    special_category_detail = models.TextField(
        _("toelichting bij de uitzondering"), blank=True, validators=[BOUNDED_TEXT]
    )

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity

    def __str__(self) -> str:
        return self.description


class ActivityDataCategory(DossierPart):
    """A data category the activity processes, for one subject group."""

    activity = activity_foreign_key("data_categories")
    category = models.ForeignKey(
        DataCategory, on_delete=models.RESTRICT, related_name="+", verbose_name=_("gegevens")
    )
    subject_group = models.ForeignKey(
        DataSubjectGroup, on_delete=models.RESTRICT, related_name="+", verbose_name=_("van wie")
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("verwerkt gegeven")
        verbose_name_plural = _("verwerkte gegevens")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity
        constraints = [
            *unique_with_optional(
                ["activity", "category", "subject_group"], "dossier", name="activitydata_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.subject_group})"


class ActivitySource(ActivityPart):
    activity = activity_foreign_key("sources")
    source = models.ForeignKey(
        DataSource, on_delete=models.RESTRICT, related_name="+", verbose_name=_("bron")
    )
    subject_group = models.ForeignKey(
        DataSubjectGroup,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gegevens van"),
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity

    def __str__(self) -> str:
        return str(self.source)


class ActivityRecipient(DossierPart):
    """A recipient (not a processor) and the ground on which it receives the data."""

    activity = activity_foreign_key("recipients")
    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.RESTRICT,
        related_name="activity_links",
        verbose_name=_("ontvanger"),
    )
    ground = models.CharField(_("grondslag"), max_length=1, choices=LegalBasis.choices)
    ground_detail = models.TextField(
        _("waarom en op grond waarvan"), blank=True, validators=[BOUNDED_TEXT]
    )

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity

    def __str__(self) -> str:
        return str(self.recipient)


class Transfer(ActivityPart):
    """A transfer outside the EEA (chapter V AVG) and its safeguard."""

    class Safeguard(models.TextChoices):
        NONE = "", _("geen waarborg vastgelegd")
        ADEQUACY = "adequaatheid", _("adequaatheidsbesluit (art. 45 AVG)")
        DPF = "dpf", _("EU-U.S. Data Privacy Framework (art. 45 AVG)")
        SCC = "scc", _("standaardcontractbepalingen (art. 46 AVG)")
        BCR = "bcr", _("bindende bedrijfsvoorschriften (art. 47 AVG)")
        DEROGATION = "uitzondering", _("uitzondering voor een specifieke situatie (art. 49 AVG)")

    activity = activity_foreign_key("transfers")
    recipient = models.ForeignKey(
        Recipient, on_delete=models.RESTRICT, related_name="+", verbose_name=_("ontvanger")
    )
    country = models.CharField(_("land"), max_length=100)
    safeguard = models.CharField(
        _("waarborg"), max_length=16, choices=Safeguard.choices, blank=True
    )
    safeguard_detail = models.TextField(_("toelichting"), blank=True, validators=[BOUNDED_TEXT])

    class Meta:
        verbose_name = _("doorgifte buiten de EER")
        verbose_name_plural = _("doorgiften buiten de EER")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity

    def __str__(self) -> str:
        return f"{self.recipient} ({self.country})"


class StaffAccess(DossierPart):
    """Which staff role may read or change the data: the school's own authorisation matrix."""

    class Access(models.TextChoices):
        READ = "lezen", _("inzien")
        WRITE = "wijzigen", _("inzien en wijzigen")

    activity = activity_foreign_key("staff_access")
    staff_role = models.ForeignKey(
        StaffRole, on_delete=models.RESTRICT, related_name="+", verbose_name=_("functie")
    )
    access = models.CharField(_("toegang"), max_length=10, choices=Access.choices)

    class Meta:
        verbose_name = _("toegang van een functie")
        verbose_name_plural = _("toegang van functies")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity
        constraints = [
            *unique_with_optional(["activity", "staff_role"], "dossier", name="staffaccess_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_role}: {self.get_access_display()}"


class Cookie(ActivityPart):
    """A cookie a website of the board places, for the cookie table of the statement."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functioneel", _("functioneel")
        ANALYTICAL = "analytisch", _("analytisch")
        TRACKING = "tracking", _("tracking")

    activity = activity_foreign_key("cookies")
    name = models.CharField(_("naam"), max_length=100)
    provider = models.CharField(_("van wie"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    purpose = models.CharField(_("waarvoor"), max_length=300)
    lifetime = models.CharField(_("vervalt na"), max_length=50)
    needs_consent = models.BooleanField(_("toestemming nodig"), default=False)

    class Meta:
        verbose_name = _("cookie")
        verbose_name_plural = _("cookies")
        ordering = ["activity_id", "pk"]  # the column: no join with the activity
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="cookie_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CommentQuerySet(models.QuerySet):
    def open(self) -> "CommentQuerySet":
        """The advices the privacy officer has not resolved yet."""
        return self.filter(resolved_at=None)


class Comment(models.Model):
    """A remark of the FG on an activity, until the privacy officer resolves it."""

    activity = activity_foreign_key("comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("van"),
    )
    text = models.TextField(_("advies of opmerking"), validators=[BOUNDED_TEXT])
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    resolution = models.TextField(_("wat ermee is gedaan"), blank=True, validators=[BOUNDED_TEXT])

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("advies van de FG")
        verbose_name_plural = _("adviezen van de FG")
        ordering = ["activity_id", "created_at", "pk"]
        indexes = [models.Index(fields=["activity", "resolved_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class FindingQuerySet(models.QuerySet):
    def applying_on(self, day) -> "FindingQuerySet":
        """The findings that hold on this day (see lint.Finding.applies_on)."""
        return self.filter(
            Q(applies_from__isnull=True) | Q(applies_from__lte=day),
            Q(applies_until__isnull=True) | Q(applies_until__gt=day),
        )


class ActivityFinding(models.Model):
    """A finding of the register lint (processing/lint.py), worked out when the activity or
    something it reads changes (processing/findings.py) and kept, so that the dashboard counts
    them in the database and the lint page lists them without running the rules. A rule about
    a date is stored with the day from or until which it holds, so it never goes stale."""

    class Severity(models.TextChoices):
        ERROR = "error", _("fout")
        WARNING = "warning", _("aandachtspunt")

    activity = activity_foreign_key("findings")
    position = models.PositiveSmallIntegerField(_("volgorde"))  # as the rules give them
    severity = models.CharField(_("ernst"), max_length=7, choices=Severity.choices)
    code = models.CharField(_("regel"), max_length=40)
    anchor = models.CharField(_("onderdeel"), max_length=20)
    params = models.JSONField(_("gegevens in de melding"), default=dict, blank=True)
    applies_from = models.DateField(_("geldt vanaf"), null=True, blank=True)
    applies_until = models.DateField(_("geldt tot"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["activity_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "position"], name="activityfinding_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.code}"


# The rows that belong to an activity, in the order they can be recreated (dossiers first:
# the others may point at one).
ACTIVITY_PARTS: list[type[ActivityPart]] = [
    Dossier,
    Purpose,
    ActivityDataCategory,
    ActivitySource,
    ActivityRecipient,
    Transfer,
    StaffAccess,
    Cookie,
]
ACTIVITY_M2M_FIELDS = ["schools", "subject_groups", "processors", "security_measures"]


class RegisterExport(models.Model):
    """An export of the register: who took which data out and when, and the file itself.

    The file is made by a job on the task queue (processing.export_jobs) and waits here until
    it is downloaded.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", _("CSV (ZIP, één bestand per blad)")

    class Status(models.TextChoices):
        PENDING = "bezig", _("wordt gemaakt")
        READY = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    board = board_foreign_key("exports")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    exported_at = models.DateTimeField(_("op"), auto_now_add=True)
    format = models.CharField(_("formaat"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict)
    description = models.JSONField(_("filters in woorden"), default=list)
    activity_count = models.PositiveIntegerField(_("aantal verwerkingen"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(_("bestand"), null=True, editable=False)
    # When the file was last asked for: at the export, and again at "Opnieuw".
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)

    class Meta:
        verbose_name = _("export van het register")
        verbose_name_plural = _("exports van het register")
        ordering = ["board_id", "-exported_at"]

    def __str__(self) -> str:
        return f"{self.board} {self.format} {self.exported_at:%Y-%m-%d %H:%M}"

    @property
    def interrupted(self) -> bool:
        """Still being made long after it was asked for: its worker died in the middle of the
        job (which the task queue never hears of), or no worker has run since."""
        return (
            self.status == self.Status.PENDING
            and timezone.now() - self.requested_at > settings.EXPORT_JOB_TIMEOUT
        )

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.interrupted


def version_title(number: int, label: str, effective_from: date | None) -> str:
    """How a published version names itself: the board's own label beside the number, and the
    date it holds from, e.g. "Versie 3.1 (nummer 7), geldt vanaf 1 juli 2022"."""
    if label:
        title = gettext("Versie %(label)s (nummer %(number)s)") % {"label": label, "number": number}
    else:
        title = gettext("Versie %(number)s") % {"number": number}
    if effective_from:
        title = gettext("%(title)s, geldt vanaf %(date)s") % {
            "title": title,
            "date": dateformat.format(effective_from, "j F Y"),
        }
    return title


class StatementVersion(models.Model):
    """An immutable published privacy statement of one school, or of the board (school empty).

    Public pages and PDFs are served from `snapshot` and `html`, never from the live register.
    """

    board = board_foreign_key("statement_versions")
    school = models.ForeignKey(
        School,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="statement_versions",
        verbose_name=_("school"),
    )
    number = models.PositiveIntegerField(_("versie"))
    published_at = models.DateTimeField(_("gepubliceerd op"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    change_summary = models.TextField(_("wat is er veranderd"), validators=[BOUNDED_TEXT])
    # The board's own name for the version and the date it holds from, beside the number.
    version_label = models.CharField(_("eigen versieaanduiding"), max_length=30, blank=True)
    effective_from = models.DateField(_("geldt vanaf"), null=True, blank=True)
    snapshot = models.JSONField(_("gegevens uit het register"))
    html = models.TextField(_("verklaring (HTML)"))
    pdf = models.BinaryField(_("verklaring (PDF)"), null=True, editable=False)
    # The other statements, rendered from the same snapshot at the same moment (see
    # statement_variants.py); empty when the version has none, as versions published before.
    html_pupils = models.TextField(_("verklaring voor leerlingen (HTML)"), blank=True)
    pdf_pupils = models.BinaryField(
        _("verklaring voor leerlingen (PDF)"), null=True, editable=False
    )
    html_en = models.TextField(_("Engelse verklaring (HTML)"), blank=True)
    pdf_en = models.BinaryField(_("Engelse verklaring (PDF)"), null=True, editable=False)

    # The large fields: the snapshot and each statement's HTML and PDF (statement_variants.py
    # names which variant keeps which). Deferred wherever versions are listed or only their
    # numbers and titles are read, so a list does not load megabytes per row.
    DOCUMENT_FIELDS = ("snapshot", "html", "pdf", "html_pupils", "pdf_pupils", "html_en", "pdf_en")

    class Meta:
        verbose_name = _("gepubliceerde privacyverklaring")
        verbose_name_plural = _("gepubliceerde privacyverklaringen")
        ordering = ["board_id", "school_id", "-number"]
        get_latest_by = "number"
        constraints = [
            *unique_with_optional(
                ["board", "number"],
                "school",
                name="statement_unique_number",
                message=_("Dit versienummer bestaat al."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="statement_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.school or self.board} v{self.number}"

    def save(self, *args, **kwargs):
        # A published version is what parents read; it is never changed afterwards.
        if not self._state.adding:
            raise ValueError("Een gepubliceerde privacyverklaring kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return version_title(self.number, self.version_label, self.effective_from)


class RegisterImport(models.Model):
    """An upload of the register's own spreadsheet (processing.register_import): read by a job
    on the task queue into a preview, and written into the register by a second job only when
    the person who uploaded it confirms it and nothing is refused."""

    class Status(models.TextChoices):
        PENDING = "wacht", _("wordt gelezen")
        PREVIEW = "voorbeeld", _("voorbeeld klaar")
        COMMITTING = "bezig", _("wordt doorgevoerd")
        DONE = "doorgevoerd", _("doorgevoerd")
        FAILED = "mislukt", _("mislukt")
        REFUSED = "geweigerd", _("geweigerd")

    board = board_foreign_key("imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    content = models.BinaryField(_("bestand"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # What the file would do (register_import.Preview as data), and after the commit what it
    # did; the counts as the audit log records them.
    preview = models.JSONField(_("voorbeeld"), default=dict, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    create_terms = models.BooleanField(_("nieuwe begrippen aanmaken"), default=False)
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    # When a job was last queued for it: at the upload, the confirmation and "Opnieuw".
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    done_at = models.DateTimeField(_("doorgevoerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import van het register")
        verbose_name_plural = _("imports van het register")
        ordering = ["board_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.board} {self.file_name} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_waiting(self) -> bool:
        """The page refreshes itself while a job works on the import."""
        return self.status in (self.Status.PENDING, self.Status.COMMITTING)

    @property
    def interrupted(self) -> bool:
        """Still being read or written long after its job was queued: the worker died in the
        middle (the task queue never hears of it) or none has run since. As for an export."""
        return self.is_waiting and timezone.now() - self.requested_at > settings.EXPORT_JOB_TIMEOUT

    @property
    def is_reading(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REFUSED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def can_commit(self) -> bool:
        """Offered only when nothing is refused and there is something to write."""
        counts = self.counts
        return (
            self.status == self.Status.PREVIEW
            and not counts.get("refused")
            and bool(counts.get("create") or counts.get("change"))
        )
