"""The register as a spreadsheet, written once as data: the sheets, their columns and what each
column holds. The XLSX and CSV exports write it and the import reads it back, so that what the
product exports it can import.

Every sheet but the activities' own repeats a part of an activity (its purposes, its data, …),
one row per part row, keyed by the activity's register number and the version ("in werking" or
"concept"). A column's key is the key of its value in the statements' plain data of a version
(statements.activity_snapshot) or, on the activities' sheet, a field of the activity.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from processing.models import (
    Cookie,
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    Recipient,
    SecurityMeasure,
    SpecialCategoryException,
    StaffAccess,
    Transfer,
)
from retention.models import RetentionRule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Column:
    key: str
    heading: "StrOrPromise"
    width: int = 20  # in characters, as a spreadsheet counts them
    kind: str = "text"  # text, number, date, datetime, yes_no, list ("; " between items)
    required: bool = False  # an import refuses a row without it
    # The values a choice column allows: the choices' labels, as the export writes them.
    choices: type[TextChoices] | None = None


@dataclass(frozen=True)
class Sheet:
    key: str
    title: "StrOrPromise"  # at most 31 characters: a spreadsheet's limit for a sheet's name
    columns: tuple[Column, ...]
    rows: str = ""  # the key of the version's data that holds its rows; "" for the activities


# The two versions of an activity a register can show (register_entries.py).
IN_FORCE, DRAFT = _("in werking"), _("concept")


class Version(TextChoices):
    IN_FORCE = "in_force", IN_FORCE
    DRAFT = "draft", DRAFT


NUMBER = Column("number", _("Nr."), width=6, kind="number", required=True)
VERSION = Column("version", _("Versie"), width=14, required=True, choices=Version)
ACTIVITY = Column("activity", _("Verwerking"), width=30)
KEYS = (NUMBER, ACTIVITY, VERSION)  # first on every sheet of a part

ACTIVITIES = Sheet(
    "activities",
    _("Verwerkingen"),
    (
        NUMBER,
        Column("name", _("Verwerking"), width=30, required=True),
        VERSION,
        Column("status", _("Status"), width=14, choices=ProcessingActivity.Status),
        Column("owner", _("Eigenaar"), width=22),
        Column("schools", _("Geldt voor"), width=24, kind="list"),
        Column("description", _("Uitleg in gewone taal"), width=60, required=True),
        Column("subject_groups", _("Betrokkenen"), width=30, kind="list"),
        Column("description_pupils", _("Uitleg voor leerlingen"), width=40),
        Column("name_en", _("Naam in het Engels"), width=30),
        Column("description_en", _("Uitleg in het Engels"), width=40),
        Column("provision_requirement", _("Verplicht om te geven, en de gevolgen"), width=40),
        Column("consent_how_asked", _("Hoe toestemming wordt gevraagd"), width=40),
        Column("consent_how_withdrawn", _("Hoe toestemming wordt ingetrokken"), width=40),
        Column("automated_decision_making", _("Geautomatiseerde besluitvorming"), kind="yes_no"),
        Column("profiling", _("Profilering"), width=12, kind="yes_no"),
        Column("automated_logic", _("Hoe het besluit of profiel tot stand komt"), width=40),
        Column("automated_consequences", _("Gevolgen en waarborgen"), width=40),
        Column("dpia_required", _("DPIA nodig"), width=12, kind="yes_no"),
        Column("dpia_done_on", _("DPIA uitgevoerd op"), width=14, kind="date"),
        Column("approved_at", _("Vastgesteld op"), width=14, kind="date"),
        Column("approved_by", _("Vastgesteld door"), width=22),
        Column("next_review_on", _("Volgende controle"), width=14, kind="date"),
        Column("last_change", _("Laatste wijziging"), width=18, kind="datetime"),
        Column("has_newer_draft", _("Nieuwere versie in bewerking"), kind="yes_no"),
    ),
)

PARTS = (
    Sheet(
        "purposes",
        _("Doelen"),
        (
            *KEYS,
            Column("description", _("Doel"), width=50, required=True),
            Column(
                "legal_basis_label", _("Grondslag"), width=30, required=True, choices=LegalBasis
            ),
            Column("legal_basis_detail", _("Toelichting grondslag"), width=40),
            Column(
                "special_exception",
                _("Uitzondering bijzondere gegevens"),
                width=30,
                choices=SpecialCategoryException,
            ),
            Column("special_detail", _("Toelichting uitzondering"), width=40),
            Column("description_en", _("Doel in het Engels"), width=40),
        ),
        rows="purposes",
    ),
    Sheet(
        "data",
        _("Gegevens"),
        (
            *KEYS,
            Column("subject_group", _("Betrokkenen"), width=20, required=True),
            Column("category", _("Gegevens"), width=30, required=True),
            Column("kind_label", _("Soort"), width=20, choices=DataCategory.Kind),
            Column(
                "special_type", _("Bijzonder gegeven"), width=20, choices=DataCategory.SpecialType
            ),
            Column("dossier", _("Dossier"), width=20),
        ),
        rows="data",
    ),
    Sheet(
        "sources",
        _("Bronnen"),
        (
            *KEYS,
            Column("source", _("Bron"), width=30, required=True),
            Column("subject_group", _("Over wie"), width=20),
            Column("note", _("Toelichting"), width=40),
        ),
        rows="sources",
    ),
    Sheet(
        "recipients",
        _("Ontvangers"),
        (
            *KEYS,
            Column("name", _("Ontvanger"), width=30, required=True),
            Column("kind", _("Soort"), width=20, choices=Recipient.Kind),
            Column("ground", _("Grond"), width=24, required=True, choices=LegalBasis),
            Column("ground_detail", _("Toelichting"), width=40),
            Column("dossier", _("Dossier"), width=20),
        ),
        rows="recipients",
    ),
    Sheet(
        "processors",
        _("Verwerkers"),
        (
            *KEYS,
            Column("name", _("Verwerker"), width=30, required=True),
            Column("product", _("Product"), width=24),
            Column("country", _("Land"), width=8),
            Column("in_eea", _("Binnen de EER"), width=12, kind="yes_no"),
            Column("dpa", _("Verwerkersovereenkomst"), width=24, choices=Recipient.DpaStatus),
        ),
        rows="processors",
    ),
    Sheet(
        "transfers",
        _("Doorgifte"),
        (
            *KEYS,
            Column("recipient", _("Ontvanger"), width=30, required=True),
            Column("country", _("Land"), width=8, required=True),
            Column("safeguard", _("Waarborg"), width=30, required=True, choices=Transfer.Safeguard),
            Column("safeguard_detail", _("Toelichting"), width=40),
        ),
        rows="transfers",
    ),
    Sheet(
        "security_measures",
        _("Beveiliging"),
        (
            *KEYS,
            Column("name", _("Maatregel"), width=40, required=True),
            Column("kind", _("Soort"), width=20, choices=SecurityMeasure.Kind),
            Column("description", _("Toelichting"), width=40),
        ),
        rows="security_measures",
    ),
    Sheet(
        "staff_access",
        _("Toegang"),
        (
            *KEYS,
            Column("role", _("Functie"), width=30, required=True),
            Column("access", _("Toegang"), width=20, required=True, choices=StaffAccess.Access),
            Column("dossier", _("Dossier"), width=20),
        ),
        rows="staff_access",
    ),
    Sheet(
        "retention",
        _("Bewaartermijnen"),
        (
            *KEYS,
            Column("name", _("Wat"), width=30, required=True),
            Column("subject_group", _("Van wie"), width=20),
            Column("data_categories", _("Gegevens"), width=30, kind="list"),
            Column("period", _("Termijn"), width=16, required=True),
            Column("start_event", _("Begint bij"), width=24, choices=RetentionRule.StartEvent),
            Column("action", _("Daarna"), width=16, choices=RetentionRule.Action),
            Column("legal_source", _("Bron"), width=40),
            Column("exceptions", _("Uitzonderingen"), width=40, kind="list"),
        ),
        rows="retention",
    ),
    Sheet(
        "cookies",
        _("Cookies"),
        (
            *KEYS,
            Column("name", _("Cookie"), width=24, required=True),
            Column("provider", _("Van wie"), width=24),
            Column("kind", _("Soort"), width=16, choices=Cookie.Kind),
            Column("purpose", _("Doel"), width=40),
            Column("lifetime", _("Bewaard"), width=16),
        ),
        rows="cookies",
    ),
)

CHANGES = Sheet(
    "changes",
    _("Wijzigingen"),
    (
        Column("when", _("Wanneer"), width=18, kind="datetime"),
        Column("who", _("Wie"), width=22),
        NUMBER,
        ACTIVITY,
        Column("what", _("Wat"), width=30),
        Column("field", _("Veld"), width=24),
        Column("old", _("Oud"), width=40),
        Column("new", _("Nieuw"), width=40),
    ),
)

# The sheets an import reads, in the workbook's order; the change log is export only.
REGISTER_SHEETS = (ACTIVITIES, *PARTS)
