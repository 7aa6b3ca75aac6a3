"""The sector catalogue: standard activities every Dutch school board performs, written as data
in fixtures/catalogue/activities.json, that a board adopts as concepts to start its register.

An entry is an activity in the format of the demo boards (processing/activity_data.py) with a
stable `key`, a `version` that is raised whenever its content changes, a `theme`, a `summary`
for the adopt page, optionally the `sectors` it applies to, and `typical_processors`: the kinds
of supplier a board usually has for it. Those are a hint only and never become recipients: a
processor is a real company with a real processing agreement, which a catalogue cannot know, and
a made-up one would be a false statement to parents (and an unsigned agreement to the lint).

Terms are named as in fixtures/reference/; adopting adds the ones the board lacks.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from privacyregister import audit
from privacyregister.models import Board, User
from privacyregister.reference import read_fixture
from processing.activity_data import (
    BoardTerms,
    activity_create_from_data,
    next_statement_position,
)
from processing.findings import findings_deferred
from processing.models import (
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    SpecialCategoryException,
    StaffAccess,
)
from processing.services import vocabulary_add_missing
from processing.word_diff import word_diff
from retention.models import RetentionRule, period_text
from retention.services import retention_rules_add_missing

THEMES = {
    "leerlingen": gettext_lazy("Leerlingen en ouders"),
    "personeel": gettext_lazy("Personeel"),
    "organisatie": gettext_lazy("Organisatie"),
}
SECTORS = {"PO", "SO", "VSO", "VO"}
# Keys that describe the entry, not the activity built from it.
ENTRY_KEYS = {"key", "version", "theme", "summary", "sectors", "typical_processors"}
ACTIVITY_FIELDS = {
    "name",
    "description",
    "subject_groups",
    "data",
    "sources",
    "purposes",
    "recipients",
    "security_measures",
    "staff_access",
    "retention_rules",
    "dossiers",
    "provision_requirement",
    "consent_how_asked",
    "consent_how_withdrawn",
    "profiling",
    "automated_decision_making",
    "automated_logic",
    "automated_consequences",
    "dpia_required",
}


@dataclass(frozen=True)
class Entry:
    key: str
    version: int
    theme: str
    summary: str
    sectors: tuple[str, ...]
    typical_processors: tuple[str, ...]
    activity: dict[str, Any] = field(hash=False)  # the activity in the demo format
    raw: dict[str, Any] = field(hash=False)  # the entry as written, stored when adopted

    @property
    def name(self) -> str:
        return self.activity["name"]


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, Entry]  # by key, in the file's order

    def by_theme(self) -> list[tuple[str, list[Entry]]]:
        return [
            (str(label), [e for e in self.entries.values() if e.theme == theme])
            for theme, label in THEMES.items()
        ]


# ---------------------------------------------------------------------------- reading


@cache
def _reference_terms() -> dict[str, dict[str, dict]]:
    """The reference terms by vocabulary and name; retention rules under "retention_rules".
    Read once per process, like the catalogue: both ship with the code."""
    terms = {
        key: {item["name"]: item for item in items}
        for key, items in read_fixture("reference/vocabularies.json").items()
    }
    terms["retention_rules"] = {
        rule["name"]: rule for rule in read_fixture("reference/retention_rules.json")
    }
    return terms


def _term_uses(activity: dict) -> Iterable[tuple[str, str]]:
    """(vocabulary key, name) of every term the activity names."""
    for name in activity.get("subject_groups", []):
        yield "subject_groups", name
    for row in activity.get("data", []):
        yield "data_categories", row["category"]
        yield "subject_groups", row["subject_group"]
    for row in activity.get("sources", []):
        yield "data_sources", row["source"]
        if row.get("subject_group"):
            yield "subject_groups", row["subject_group"]
    for row in activity.get("recipients", []):
        yield "recipients", row["recipient"]
    for row in activity.get("staff_access", []):
        yield "staff_roles", row["role"]
    for name in activity.get("security_measures", []):
        yield "security_measures", name
    for name in activity.get("retention_rules", []):
        yield "retention_rules", name


def entry_problems(item: dict, reference: dict[str, dict[str, dict]]) -> list[str]:
    """What is wrong with one entry: its shape, the terms it names, and the rules of the
    register lint that can be checked on the data itself (so that an adopted entry is clean)."""
    key = item.get("key", "?")
    problems = []

    def problem(text: str) -> None:
        problems.append(f"{key}: {text}")

    unknown = set(item) - ENTRY_KEYS - ACTIVITY_FIELDS
    if unknown:
        problem(f"onbekende velden {sorted(unknown)}")
    if not isinstance(item.get("version"), int) or item["version"] < 1:
        problem("version moet een geheel getal van minstens 1 zijn")
    if item.get("theme") not in THEMES:
        problem(f"onbekend thema {item.get('theme')!r}")
    if not set(item.get("sectors", [])) <= SECTORS:
        problem(f"onbekende sector in {item.get('sectors')}")
    if not item.get("summary") or not item.get("name") or not item.get("description"):
        problem("summary, name en description zijn verplicht")
    for forbidden in ("processors", "transfers", "schools", "status"):
        if forbidden in item:
            problem(f"{forbidden} hoort bij een bestuur, niet in de catalogus")
    for vocabulary, name in _term_uses(item):
        if name not in reference.get(vocabulary, {}):
            problem(f"{vocabulary} '{name}' staat niet in de referentiegegevens")
    groups = set(item.get("subject_groups", []))
    for row in item.get("data", []):
        if row["subject_group"] not in groups:
            problem(f"gegevens van '{row['subject_group']}', geen betrokkene van deze verwerking")

    purposes = item.get("purposes", [])
    bases = {purpose.get("legal_basis") for purpose in purposes}
    if not purposes:
        problem("geen doel")
    if not bases <= set(LegalBasis.values):
        problem(f"onbekende grondslag in {sorted(map(str, bases))}")
    for purpose in purposes:
        if not purpose.get("legal_basis_detail", "").strip():
            problem(f"doel zonder wet of toelichting: {purpose['description']}")
        exception = purpose.get("special_category_exception")
        if exception and exception not in SpecialCategoryException.values:
            problem(f"onbekende uitzondering {exception!r}")
        if exception and not purpose.get("special_category_detail", "").strip():
            problem(f"uitzondering zonder artikel uit de UAVG: {purpose['description']}")
    for row in item.get("recipients", []):
        if row["ground"] not in LegalBasis.values or not row.get("ground_detail", "").strip():
            problem(f"ontvanger zonder geldige grondslag en toelichting: {row['recipient']}")
    for row in item.get("staff_access", []):
        if row["access"] not in StaffAccess.Access.values:
            problem(f"onbekende toegang {row['access']!r}")

    categories = reference["data_categories"]
    kinds = {
        categories[row["category"]]["kind"]
        for row in item.get("data", [])
        if row["category"] in categories
    }
    if DataCategory.Kind.SPECIAL in kinds and not any(
        p.get("special_category_exception") for p in purposes
    ):
        problem("bijzondere persoonsgegevens zonder uitzondering uit art. 9 lid 2 AVG")
    if DataCategory.Kind.CRIMINAL in kinds:
        problem("strafrechtelijke gegevens horen niet in de catalogus")
    # The BSN only where a law prescribes it (art. 46 UAVG): stricter than the lint, which
    # also accepts a public task, because a catalogue speaks for every board.
    if DataCategory.Kind.NATIONAL_ID in kinds and LegalBasis.LEGAL_OBLIGATION not in bases:
        problem("BSN zonder wettelijke verplichting als grondslag")
    if LegalBasis.CONSENT in bases and not item.get("consent_how_withdrawn", "").strip():
        problem("toestemming zonder uitleg hoe die wordt ingetrokken")
    if not item.get("retention_rules"):
        problem("geen bewaartermijn")
    return problems


def catalogue_problems(data: dict) -> list[str]:
    reference = _reference_terms()
    items = data.get("entries", [])
    problems = [problem for item in items for problem in entry_problems(item, reference)]
    keys = [item.get("key") for item in items]
    names = [item.get("name") for item in items]
    for what, values in (("key", keys), ("name", names)):
        duplicates = {value for value in values if values.count(value) > 1}
        if duplicates:
            problems.append(f"dubbele {what}: {sorted(map(str, duplicates))}")
    return problems


@cache
def _load(path: str) -> Catalogue:
    data = read_fixture(path)
    problems = catalogue_problems(data)
    if problems:
        raise ImproperlyConfigured(f"De catalogus {path} klopt niet: " + "; ".join(problems))
    entries = {}
    for item in data["entries"]:
        entries[item["key"]] = Entry(
            key=item["key"],
            version=item["version"],
            theme=item["theme"],
            summary=item["summary"],
            sectors=tuple(item.get("sectors", [])),
            typical_processors=tuple(item.get("typical_processors", [])),
            activity={k: v for k, v in item.items() if k not in ENTRY_KEYS},
            raw=item,
        )
    return Catalogue(entries)


def catalogue() -> Catalogue:
    """The catalogue, read and checked once per process (per file: tests point elsewhere)."""
    return _load(settings.CATALOGUE_FILE)


# ---------------------------------------------------------------------------- adopting

MAX_ADOPT = 100  # far more than the catalogue has: anything above is not a person ticking boxes


def _install_missing_terms(board: Board, entries: list[Entry]) -> None:
    """The reference terms and retention rules these entries name that the board lacks."""
    reference = _reference_terms()
    wanted: dict[str, dict[str, dict]] = {}
    for entry in entries:
        for vocabulary, name in _term_uses(entry.activity):
            wanted.setdefault(vocabulary, {})[name] = reference[vocabulary][name]
    rules = wanted.pop("retention_rules", {})
    vocabulary_add_missing(
        board=board, vocabularies={key: list(items.values()) for key, items in wanted.items()}
    )
    retention_rules_add_missing(board=board, rules=list(rules.values()))


@transaction.atomic
@findings_deferred()  # every adopted activity and all its rows, linted once at the end
def catalogue_adopt(*, actor: User, board: Board, keys: list[str]) -> list[ProcessingActivity]:
    """Create the chosen entries as concepts of the board, all or none."""
    entries = catalogue().entries
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ValidationError(_("Kies minstens één verwerking om over te nemen."))
    if len(keys) > min(MAX_ADOPT, len(entries)):
        raise ValidationError(_("Er zijn meer verwerkingen gekozen dan de catalogus heeft."))
    unknown = [key for key in keys if key not in entries]
    if unknown:
        raise ValidationError(
            _("Deze verwerkingen staan niet in de catalogus: %(keys)s")
            % {"keys": ", ".join(unknown)}
        )
    chosen = [entries[key] for key in keys]
    existing = board.activities.filter(catalogue_key__in=keys) | board.activities.filter(
        name__in=[entry.name for entry in chosen]
    )
    taken = sorted(existing.values_list("name", flat=True))
    if taken:
        raise ValidationError(
            ngettext(
                "Het register heeft al een verwerking %(names)s; er is niets overgenomen.",
                "Het register heeft al de verwerkingen %(names)s; er is niets overgenomen.",
                len(taken),
            )
            % {"names": ", ".join(taken)}
        )
    _install_missing_terms(board, chosen)
    terms = BoardTerms(board)
    # In the statements in the catalogue's order (pupils' activities first), after what the
    # board has put in order itself.
    order = list(entries)
    in_file_order = sorted(chosen, key=lambda entry: order.index(entry.key))
    first = next_statement_position(board)
    activities = [
        activity_create_from_data(
            board=board,
            data=entry.activity,
            terms=terms,
            owner=actor,
            status=ProcessingActivity.Status.CONCEPT,
            catalogue_key=entry.key,
            catalogue_version=entry.version,
            catalogue_snapshot=entry.raw,
            statement_position=first + index,
        )
        for index, entry in enumerate(in_file_order)
    ]
    audit.record("processing.catalogue.adopted", actor=actor, board=board, keys=keys)
    return activities


# ---------------------------------------------------------------------------- updates


@dataclass
class EntryChange:
    """One field of an entry that differs between the version seen and the current one."""

    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    old: str = ""
    new: str = ""

    @cached_property
    def marked(self) -> tuple[SafeString, SafeString]:
        """The old and the new text with the words that changed marked (<del>, <ins>), as the
        history of an activity shows them."""
        return word_diff(self.old, self.new)


def _basis(code: str) -> str:
    return str(LegalBasis(code).label) if code in LegalBasis.values else code


def _rows(item: dict, key: str) -> list[str]:
    """The rows of one part of an entry, each as one line of text, for comparison."""
    rows = item.get(key, [])
    if key == "purposes":
        return [
            f"{p['description']} — {_basis(p['legal_basis'])}: {p.get('legal_basis_detail', '')}"
            + (
                f" ({str(SpecialCategoryException(p['special_category_exception']).label)})"
                if p.get("special_category_exception") in SpecialCategoryException.values
                else ""
            )
            for p in rows
        ]
    if key == "data":
        return [
            f"{r['category']} ({r['subject_group']})"
            + (f", {r['dossier']}" if r.get("dossier") else "")
            for r in rows
        ]
    if key == "sources":
        return [
            r["source"] + (f" ({r['subject_group']})" if r.get("subject_group") else "")
            for r in rows
        ]
    if key == "recipients":
        return [
            f"{r['recipient']} — {_basis(r['ground'])}: {r.get('ground_detail', '')}" for r in rows
        ]
    if key == "staff_access":
        labels = dict(StaffAccess.Access.choices)
        return [
            f"{r['role']}: {labels.get(r['access'], r['access'])}"
            + (f" ({r['dossier']})" if r.get("dossier") else "")
            for r in rows
        ]
    if key == "dossiers":
        return [r["name"] for r in rows]
    return [str(value) for value in rows]


LIST_FIELDS = [
    ("purposes", gettext_lazy("Doelen en grondslagen")),
    ("subject_groups", gettext_lazy("Betrokkenen")),
    ("data", gettext_lazy("Gegevens")),
    ("sources", gettext_lazy("Bronnen")),
    ("recipients", gettext_lazy("Ontvangers")),
    ("retention_rules", gettext_lazy("Bewaartermijnen")),
    ("security_measures", gettext_lazy("Beveiliging")),
    ("staff_access", gettext_lazy("Toegang van functies")),
    ("dossiers", gettext_lazy("Dossiers")),
    ("typical_processors", gettext_lazy("Gebruikelijke verwerkers")),
]
TEXT_FIELDS = [
    ("name", gettext_lazy("Naam")),
    ("description", gettext_lazy("Uitleg in gewone taal")),
    ("provision_requirement", gettext_lazy("Moet u de gegevens geven")),
    ("consent_how_asked", gettext_lazy("Hoe toestemming wordt gevraagd")),
    ("consent_how_withdrawn", gettext_lazy("Hoe toestemming wordt ingetrokken")),
    ("automated_logic", gettext_lazy("Hoe het besluit of profiel tot stand komt")),
    ("automated_consequences", gettext_lazy("Gevolgen en waarborgen")),
    ("profiling", gettext_lazy("Profilering")),
    ("automated_decision_making", gettext_lazy("Geautomatiseerde besluitvorming")),
    ("dpia_required", gettext_lazy("DPIA nodig")),
    ("sectors", gettext_lazy("Sectoren")),
]


def entry_changes(seen: dict, current: dict) -> list[EntryChange]:
    """Field by field, what changed from the entry as the board saw it to the current one."""
    changes = []
    for key, label in LIST_FIELDS:
        old, new = _rows(seen, key), _rows(current, key)
        added, removed = [r for r in new if r not in old], [r for r in old if r not in new]
        if added or removed:
            changes.append(EntryChange(str(label), added=added, removed=removed))
    for key, label in TEXT_FIELDS:
        old, new = seen.get(key, ""), current.get(key, "")
        if old != new:
            changes.append(EntryChange(str(label), old=_text(old), new=_text(new)))
    return changes


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value or "")


@dataclass
class Update:
    activity: ProcessingActivity
    entry: Entry
    changes: list[EntryChange]


def catalogue_update(activity: ProcessingActivity) -> Update | None:
    """The newer version of the activity's catalogue entry, if there is one, with what changed
    since the version the board has seen. No query: the entry comes from the cached file."""
    entry = catalogue().entries.get(activity.catalogue_key)
    if entry is None or activity.catalogue_version is None:
        return None
    if entry.version <= activity.catalogue_version:
        return None
    return Update(activity, entry, entry_changes(activity.catalogue_snapshot or {}, entry.raw))


@transaction.atomic
def catalogue_mark_seen(*, actor: User, activity: ProcessingActivity, version: int) -> None:
    """Record that the board has seen this version of the entry; nothing else changes (the
    board takes over what it wants by editing). `version` is the one the user saw: a newer one
    published in between is not marked seen."""
    update = catalogue_update(activity)
    if update is None:
        return
    if update.entry.version != version:
        raise ValidationError(
            _("De catalogus is intussen opnieuw gewijzigd; bekijk de wijzigingen nog eens.")
        )
    activity.catalogue_version = update.entry.version
    activity.catalogue_snapshot = update.entry.raw
    activity._history_user = actor  # the history says who marked the update as seen
    activity.save(update_fields=["catalogue_version", "catalogue_snapshot"])


# ---------------------------------------------------------------------------- preview


def entry_preview(entry: Entry) -> dict[str, list]:
    """What the adopt page shows of an entry before it is adopted."""
    purposes = [
        {
            "description": p["description"],
            "basis": _basis(p["legal_basis"]),
            "detail": p.get("legal_basis_detail", ""),
            "exception": str(SpecialCategoryException(p["special_category_exception"]).label)
            if p.get("special_category_exception")
            else "",
            "exception_detail": p.get("special_category_detail", ""),
        }
        for p in entry.activity["purposes"]
    ]
    return {
        "purposes": purposes,
        "data": _rows(entry.raw, "data"),
        "sources": _rows(entry.raw, "sources"),
        "recipients": _rows(entry.raw, "recipients"),
        "retention": _retention(entry),
        "security": entry.activity.get("security_measures", []),
    }


def _retention(entry: Entry) -> list[str]:
    """The entry's retention rules as the defaults state them: name, period and start."""
    rules = _reference_terms()["retention_rules"]
    events = dict(RetentionRule.StartEvent.choices)
    return [
        _("%(name)s: %(period)s na %(event)s")
        % {
            "name": name,
            "period": period_text(rules[name]["period_amount"], rules[name]["period_unit"]),
            "event": events[rules[name]["start_event"]],
        }
        for name in entry.activity.get("retention_rules", [])
    ]
