"""The privacy statement (art. 13/14 AVG) of a school or a board, built from the register.

A statement is built from the last approved version of each activity that applies, frozen as a
snapshot (plain JSON) and rendered to HTML once, at publishing. Public pages and PDFs show the
stored result, never the live register.
"""

import difflib
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Exists,
    F,
    ForeignKey,
    ManyToManyField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacyregister import audit
from privacyregister.models import Board, School, User
from processing import models as register
from processing.history import end_of_save, historical_m2m_ids
from processing.json_rows import from_columns, model_columns, union_as_json
from processing.lint import Finding, lint_activity, missing_board_facts
from processing.models import choice_label, version_title
from processing.vocabularies import VOCABULARIES
from retention.models import RetentionException, RetentionRule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATEMENT_TEMPLATE = "processing/statement_body.html"


class PublishRefused(Exception):
    def __init__(self, findings: list[Finding], missing_facts: list[str] | None = None):
        super().__init__("lint errors")
        self.findings = findings
        self.missing_facts = missing_facts or []  # of the board itself (lint.BOARD_FACTS)


@dataclass
class ApprovedVersion:
    """An activity as it was last approved, with its rows and many-to-many values."""

    activity: register.ProcessingActivity
    m2m: dict[str, list]
    # Retention rules belong to the board and are linked to the live activity: read from it
    # (prefetched by with_rows()), also for a version from the history, which has none.
    retention_rules: list[RetentionRule]
    parts: dict[type[register.ActivityPart], list] = field(default_factory=dict)
    edited_since: bool = False  # the register holds a later draft that is not approved yet


# The statement does not list an activity's schools: they decide which statements show it
# (_applies_to), so they are not read with the rows. An export lists them (register_entries).
STATEMENT_M2M_FIELDS = [name for name in register.ACTIVITY_M2M_FIELDS if name != "schools"]


def live_version(
    activity: register.ProcessingActivity, m2m_fields=STATEMENT_M2M_FIELDS
) -> ApprovedVersion:
    """The activity as the register holds it now (prefetched by with_rows())."""
    return ApprovedVersion(
        activity,
        {name: list(getattr(activity, name).all()) for name in m2m_fields},
        list(activity.retention_rules.all()),
        {
            model: list(getattr(activity, _accessor(model)).all())
            for model in register.ACTIVITY_PARTS
        },
    )


def approved_version(
    activity: register.ProcessingActivity, m2m_fields=STATEMENT_M2M_FIELDS
) -> ApprovedVersion | None:
    if activity.is_approved:
        return live_version(activity, m2m_fields)
    record = activity.last_approved_record()
    if record is None:
        return None  # never approved: not for parents' eyes
    moment = end_of_save(record)
    m2m = {}
    for name in m2m_fields:
        model = register.ProcessingActivity._meta.get_field(name).related_model
        assert isinstance(model, type)  # a many-to-many field has its model
        m2m[name] = list(model._default_manager.filter(pk__in=historical_m2m_ids(record, name)))
    parts = {
        model: list(model.history.as_of(moment).filter(activity_id=activity.pk))
        for model in register.ACTIVITY_PARTS
    }
    return ApprovedVersion(
        record.instance, m2m, list(activity.retention_rules.all()), parts, edited_since=True
    )


def _accessor(part) -> str:
    return part._meta.get_field("activity").remote_field.related_name


def _applies_to(board: Board, school: School | None):
    # In the board's order: the snapshot keeps it, so a published version never reorders.
    activities = board.activities.exclude(approved_at=None).in_statement_order()
    return activities.for_schools([school.pk]) if school else activities


_VOCABULARY_MODELS = [v.model for v in VOCABULARIES if v.referred_to_by_rows]


# The fields by which each kind of row refers to a term of the board's vocabulary.
_TERM_FIELDS = {
    part: [
        term_field
        for term_field in part._meta.get_fields()
        if isinstance(term_field, ForeignKey) and term_field.related_model in _VOCABULARY_MODELS
    ]
    for part in register.ACTIVITY_PARTS
}


@dataclass(frozen=True)
class _RowKind:
    """One kind of row that with_rows() reads: a row of `model`, read from `rows` (the model's
    own table, or a many-to-many table that reaches it through `prefix`), with the rows its
    foreign keys `along` point at, cached on its owner (whose id is in `owner`) as `cache`."""

    rows: QuerySet
    model: type[Model]
    owner: str
    cache: str
    prefix: str = ""
    along: tuple[ForeignKey, ...] = ()
    of_rule: bool = False  # the owner is a retention rule, not an activity

    def columns(self) -> dict:
        columns = {"owner": F(self.owner), **model_columns(self.model, self.prefix)}
        for key in self.along:
            columns |= model_columns(key.related_model, f"{self.prefix}{key.name}__")
        return columns

    def ordering(self) -> list[str]:
        # The model's own order, as a prefetch reads it; the pk makes it complete.
        return [
            f"-{self.prefix}{name[1:]}" if name.startswith("-") else f"{self.prefix}{name}"
            for name in [*map(str, self.model._meta.ordering or []), "pk"]
        ]

    def row(self, columns: dict, db: str) -> Model:
        row = from_columns(self.model, columns, self.prefix, db)
        for key in self.along:
            prefix = f"{self.prefix}{key.name}__"
            found = columns[f"{prefix}{key.related_model._meta.pk.attname}"] is not None
            key.set_cached_value(
                row, from_columns(key.related_model, columns, prefix, db) if found else None
            )
        return row


def _row_kinds(ids: list[int], m2m_fields: Sequence[str]) -> list[_RowKind]:
    activity = register.ProcessingActivity._meta
    kinds = [
        _RowKind(
            # django-stubs cannot resolve lookups on the subclasses of an abstract model
            part._default_manager.filter(activity_id__in=ids),  # type: ignore[misc]
            part,
            "activity_id",
            _accessor(part),
            along=tuple(_TERM_FIELDS[part]),
        )
        for part in register.ACTIVITY_PARTS
    ]
    for name in m2m_fields:
        m2m = cast(ManyToManyField, activity.get_field(name))
        through = cast(type[Model], m2m.remote_field.through)
        target = cast(type[Model], m2m.related_model)
        kinds.append(
            _RowKind(
                through._default_manager.filter(processingactivity_id__in=ids),
                target,
                "processingactivity_id",
                name,
                f"{target._meta.model_name}__",
            )
        )
    links = RetentionRule.activities.through.objects.filter(processingactivity_id__in=ids)
    rules = links.values("retentionrule_id")
    return [
        *kinds,
        _RowKind(
            links,
            RetentionRule,
            "processingactivity_id",
            "retention_rules",
            "retentionrule__",
            (RetentionRule._meta.get_field("subject_group"),),
        ),
        _RowKind(
            RetentionException.objects.filter(rule_id__in=rules),
            RetentionException,
            "rule_id",
            "exceptions",
            of_rule=True,
        ),
        _RowKind(
            RetentionRule.data_categories.through.objects.filter(retentionrule_id__in=rules),
            register.DataCategory,
            "retentionrule_id",
            "data_categories",
            "datacategory__",
            of_rule=True,
        ),
    ]


def with_rows(activities, m2m_fields: Sequence[str] = STATEMENT_M2M_FIELDS) -> list:
    """For approved_version() and live_version(): the activities, with their rows of every
    kind, the terms those name (terms_by_pk() then needs no query of its own for them) and
    their retention rules as the activities' prefetched rows; all rows in one query
    (json_rows), however many kinds there are."""
    activities = list(activities)
    kinds = _row_kinds([a.pk for a in activities], m2m_fields)
    db = kinds[0].rows.db
    found: dict[int, dict[int, list]] = {part: defaultdict(list) for part in range(len(kinds))}
    rules: dict[int, RetentionRule] = {}
    for part, _rank, columns in union_as_json([(k.rows, k.columns(), k.ordering()) for k in kinds]):
        row = kinds[part].row(columns, db)
        if isinstance(row, RetentionRule):
            # A rule of several activities is one rule: its exceptions and categories once.
            row = rules.setdefault(row.pk, row)
        found[part][columns["owner"]].append(row)
    for part, kind in enumerate(kinds):
        for owner in rules.values() if kind.of_rule else activities:
            _cache(owner, kind.cache, found[part][owner.pk])
    return activities


def _cache(instance: Model, name: str, rows: list) -> None:
    """Rows as the related manager `name` of the instance answers them, as prefetch_related()
    leaves them (its internals: Django has no public way to hand it rows read otherwise)."""
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _rows(version: ApprovedVersion, model) -> list:
    return version.parts[model]


def activity_snapshot(version: ApprovedVersion, vocabulary: dict[type, dict]) -> dict:
    a = version.activity
    dossiers = {d.pk: d.name for d in _rows(version, register.Dossier)}
    category, group = vocabulary[register.DataCategory], vocabulary[register.DataSubjectGroup]
    return {
        "name": a.name,
        "description": a.description,
        # For the pupils' and the English statement (statement_variants.py); may be empty.
        "description_pupils": a.description_pupils,
        "name_en": a.name_en,
        "description_en": a.description_en,
        "provision_requirement": a.provision_requirement,
        "consent_how_asked": a.consent_how_asked,
        "consent_how_withdrawn": a.consent_how_withdrawn,
        "automated_decision_making": a.automated_decision_making,
        "profiling": a.profiling,
        "automated_logic": a.automated_logic,
        "automated_consequences": a.automated_consequences,
        "subject_groups": [g.name for g in version.m2m["subject_groups"]],
        "purposes": [
            {
                "description": p.description,
                "description_en": p.description_en,
                "legal_basis": p.legal_basis,
                "legal_basis_label": choice_label(p, "legal_basis"),
                "legal_basis_detail": p.legal_basis_detail,
                "special_exception": choice_label(p, "special_category_exception")
                if p.special_category_exception
                else "",
                "special_detail": p.special_category_detail,
            }
            for p in _rows(version, register.Purpose)
        ],
        "data": [
            {
                "category": category[row.category_id].name,
                "kind": category[row.category_id].kind,
                "kind_label": choice_label(category[row.category_id], "kind"),
                "special_type": choice_label(category[row.category_id], "special_type"),
                "subject_group": group[row.subject_group_id].name,
                "dossier": dossiers.get(row.dossier_id, ""),
            }
            for row in _rows(version, register.ActivityDataCategory)
        ],
        "sources": [
            {
                "source": vocabulary[register.DataSource][row.source_id].name,
                "subject_group": group[row.subject_group_id].name if row.subject_group_id else "",
                "note": row.note,
            }
            for row in _rows(version, register.ActivitySource)
        ],
        "recipients": [
            {
                "name": vocabulary[register.Recipient][row.recipient_id].name,
                "kind": choice_label(vocabulary[register.Recipient][row.recipient_id], "kind"),
                "ground": choice_label(row, "ground"),
                "ground_detail": row.ground_detail,
                "dossier": dossiers.get(row.dossier_id, ""),
            }
            for row in _rows(version, register.ActivityRecipient)
        ],
        "processors": [
            {
                "name": p.name,
                "product": p.product,
                "country": p.country,
                "in_eea": p.in_eea,
                "dpa": choice_label(p, "dpa_status"),
            }
            for p in version.m2m["processors"]
        ],
        "transfers": [
            {
                "recipient": vocabulary[register.Recipient][row.recipient_id].name,
                "country": row.country,
                "safeguard": choice_label(row, "safeguard"),
                "safeguard_detail": row.safeguard_detail,
            }
            for row in _rows(version, register.Transfer)
        ],
        "security_measures": [
            {
                "name": m.name,
                "kind": choice_label(m, "kind"),
                "kind_value": m.kind,
                "description": m.description,
            }
            for m in version.m2m["security_measures"]
        ],
        "staff_access": [
            {
                "role": vocabulary[register.StaffRole][row.staff_role_id].name,
                "access": choice_label(row, "access"),
                "dossier": dossiers.get(row.dossier_id, ""),
            }
            for row in _rows(version, register.StaffAccess)
        ],
        "cookies": [
            {
                "name": c.name,
                "provider": c.provider,
                "kind": choice_label(c, "kind"),
                "purpose": c.purpose,
                "lifetime": c.lifetime,
            }
            for c in _rows(version, register.Cookie)
        ],
        "retention": [
            {
                "name": rule.name,
                "subject_group": rule.subject_group.name if rule.subject_group else "",
                "data_categories": [c.name for c in rule.data_categories.all()],
                "period": rule.period_display,
                "start_event": choice_label(rule, "start_event"),
                "action": choice_label(rule, "action"),
                "legal_source": rule.legal_source,
                "exceptions": [e.condition for e in rule.exceptions.all()],
            }
            for rule in version.retention_rules
        ],
    }


def approved_versions(board: Board, school: School | None) -> list[ApprovedVersion]:
    """The last approved version of each activity that applies: what a statement shows."""
    return [v for v in map(approved_version, with_rows(_applies_to(board, school))) if v]


class _Terms(dict):
    """A vocabulary's terms of one board by pk. It starts with the terms the rows were read
    with; a term it lacks is looked up among all of the board's terms (one query, at most
    once), and a version approved before one of its terms was deleted still names that term:
    it is read from the term's history, as it was last."""

    def __init__(self, model: type[register.Vocabulary], board: Board, known: list):
        super().__init__((term.pk, term) for term in known if term.board_id == board.pk)
        self.model, self.board, self.complete = model, board, False

    def __missing__(self, pk: int):
        if not self.complete:
            self.complete = True
            # django-stubs cannot resolve lookups on the subclasses of an abstract model
            terms = self.model._default_manager.filter(board=self.board)  # type: ignore[misc]
            self.update((term.pk, term) for term in terms)
            if pk in self:
                return self[pk]
        record = (
            self.model.history.filter(id=pk, board_id=self.board.pk)
            .order_by("-history_date")
            .first()
        )
        if record is None:
            raise KeyError(pk)
        self[pk] = record.instance
        return self[pk]


def terms_by_pk(board: Board, versions: Sequence[ApprovedVersion] = ()) -> dict[type, dict]:
    """The board's terms by pk, per vocabulary model: the rows of a version refer to them by id.
    The live rows of these versions carry their terms already (with_rows); other terms are read
    when a version asks for them."""
    known: dict[type, list] = {model: [] for model in _VOCABULARY_MODELS}
    for version in versions:
        for part, rows in version.parts.items():
            for row in rows:
                for term_field in _TERM_FIELDS[part]:
                    if term_field.is_cached(row) and (term := term_field.get_cached_value(row)):
                        known[type(term)].append(term)
    return {model: _Terms(model, board, terms) for model, terms in known.items()}


def build_snapshot(board: Board, school: School | None) -> dict:
    """Everything the statement says, as plain data, from the last approved versions."""
    return _snapshot(board, school, approved_versions(board, school))


def _snapshot(board: Board, school: School | None, versions: list[ApprovedVersion]) -> dict:
    vocabulary = terms_by_pk(board, versions)
    return {
        "board": {
            "name": board.name,
            "visiting_address": board.visiting_address,
            "postal_address": board.postal_address,
            "kvk_number": board.kvk_number,
            "website": board.website,
            "privacy_email": board.privacy_email,
            "privacy_phone": board.privacy_phone,
            "fg_name": board.fg_name,
            "fg_email": board.fg_email,
            "fg_phone": board.fg_phone,
            "fg_organisation": board.fg_organisation,
            "fg_is_external": board.fg_is_external,
            "rights_request_instructions": board.rights_request_instructions,
            "rights_request_instructions_en": board.rights_request_instructions_en,
            "complaint_authority_text": board.complaint_authority_text,
            "complaint_authority_text_en": board.complaint_authority_text_en,
            "documents": [{"title": d.title, "url": d.url} for d in board.documents.all()],
            # The logo's content-addressed name: the file it names never changes, so a
            # published version keeps the logo it was published with.
            "logo": board.logo_file,
            "house_colour": board.house_colour,
        },
        "school": {
            "name": school.name,
            "brin": school.brin,
            "address": school.address,
            "director_name": school.director_name,
            "director_email": school.director_email,
            "website": school.website,
            "audience": school.audience,
        }
        if school
        else None,
        "schools": [s.name for s in board.schools.active()],
        "activities": [activity_snapshot(v, vocabulary) for v in versions],
    }


def _unique(items, key=lambda item: item):
    seen = OrderedDict()
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


# A legal basis in a plain sentence first, its article after (LEGAL.md §8).
LEGAL_BASIS_EXPLAINED = {
    register.LegalBasis.CONSENT: gettext_lazy(
        "U heeft ons toestemming gegeven (artikel 6 lid 1 onder a AVG)."
    ),
    register.LegalBasis.CONTRACT: gettext_lazy(
        "Dit is nodig voor een overeenkomst met u, zoals een arbeidscontract "
        "(artikel 6 lid 1 onder b AVG)."
    ),
    register.LegalBasis.LEGAL_OBLIGATION: gettext_lazy(
        "Wij mogen dit doen omdat de wet het ons verplicht (artikel 6 lid 1 onder c AVG)."
    ),
    register.LegalBasis.VITAL_INTEREST: gettext_lazy(
        "Dit is nodig om iemands leven of gezondheid te beschermen (artikel 6 lid 1 onder d AVG)."
    ),
    register.LegalBasis.PUBLIC_TASK: gettext_lazy(
        "Dit hoort bij onze taak: onderwijs geven. Dat is een taak van algemeen belang "
        "(artikel 6 lid 1 onder e AVG)."
    ),
    register.LegalBasis.LEGITIMATE_INTEREST: gettext_lazy(
        "Wij hebben hier een goede reden voor, die zwaarder weegt dan uw privacy. Dat heet een "
        "gerechtvaardigd belang (artikel 6 lid 1 onder f AVG)."
    ),
}

MEASURE_GROUPS = [
    (register.SecurityMeasure.Kind.TECHNICAL, gettext_lazy("Technische maatregelen")),
    (
        register.SecurityMeasure.Kind.ORGANISATIONAL,
        gettext_lazy("Afspraken en regels (organisatorische maatregelen)"),
    ),
]

# "In het kort" names this many activities, the first in the board's order.
SUMMARY_ACTIVITIES = 3


def _in_sentence(name: str) -> str:
    """A term's name inside a sentence: "Leerlingen" becomes "leerlingen", "ICT" stays. A name
    that is marked up already (the English statement's Dutch names in <span lang="nl">) stays."""
    if isinstance(name, SafeString):
        return name
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _sentence(text: str, **values: str) -> SafeString:
    """A translated text with values put in, each escaped unless it is marked up already."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(text) % escaped)  # every part escaped above


def _enumeration(names: list[str]) -> SafeString:
    """ "a, b en c": a list in a sentence."""
    if len(names) < 2:
        return _sentence("%(only)s", only=names[0] if names else "")
    first = mark_safe(", ".join(conditional_escape(name) for name in names[:-1]))  # escaped
    return _sentence(_("%(first)s en %(last)s"), first=first, last=names[-1])


def asks_consent(activity: dict) -> bool:
    """An activity of a snapshot that rests on consent for a purpose: every statement names it,
    as the reader may withdraw it (art. 7(3) and 13(2)(c) AVG)."""
    return any(p["legal_basis"] == register.LegalBasis.CONSENT for p in activity["purposes"])


def decides_automatically(activity: dict) -> bool:
    """An activity of a snapshot with automated decisions or profiling (art. 13(2)(f) AVG)."""
    return bool(activity["automated_decision_making"] or activity["profiling"])


def _explained(activity: dict) -> dict:
    purposes = [
        {**p, "legal_basis_explained": LEGAL_BASIS_EXPLAINED.get(p["legal_basis"], "")}
        for p in activity["purposes"]
    ]
    return {**activity, "purposes": purposes}


def _measure_groups(measures: list[dict]) -> list[tuple["StrOrPromise", list[dict]]]:
    """Technical and organisational measures apart, each under a heading; a kind without
    measures is left out."""
    groups: list[tuple[StrOrPromise, list[dict]]] = []
    for kind, heading in MEASURE_GROUPS:
        # Versions published before kind_value was kept hold only the (Dutch) label.
        found = [m for m in measures if m.get("kind_value", m["kind"]) == kind]
        if found:
            groups.append((heading, found))
    return groups


def _summary(snapshot: dict) -> dict:
    """What "In het kort" says, from the register: whose data and what for."""
    activities = snapshot["activities"]
    groups = _unique(
        (name for activity in activities for name in activity["subject_groups"]), key=str
    )
    return {
        "groups": _enumeration([_in_sentence(name) for name in groups]),
        # "voor" before each: an activity's name may hold "en" itself.
        "activities": _enumeration(
            [
                _sentence(_("voor %(activity)s"), activity=_in_sentence(a["name"]))
                for a in activities[:SUMMARY_ACTIVITIES]
            ]
        ),
        "more_activities": len(activities) > SUMMARY_ACTIVITIES,
    }


def statement_context(snapshot: dict) -> dict:
    """What the template needs, grouped the way a parent reads it: per subject group first."""
    activities = [_explained(activity) for activity in snapshot["activities"]]
    groups: OrderedDict[str, dict] = OrderedDict()
    for activity in activities:
        for row in activity["data"]:
            group = groups.setdefault(
                row["subject_group"],
                {"data": OrderedDict(), "sources": OrderedDict(), "activities": []},
            )
            group["data"].setdefault(row["category"], row)
            if activity["name"] not in group["activities"]:
                group["activities"].append(activity["name"])
        for row in activity["sources"]:
            for name in (
                [row["subject_group"]] if row["subject_group"] else activity["subject_groups"]
            ):
                if name in groups:
                    groups[name]["sources"].setdefault(row["source"], row)
    return {
        "snapshot": snapshot,
        "board": snapshot["board"],
        "school": snapshot["school"],
        "activities": activities,
        "groups": groups,
        "consent_activities": [a for a in activities if asks_consent(a)],
        "recipients": _unique(
            (r for a in activities for r in a["recipients"]), key=lambda r: (r["name"], r["ground"])
        ),
        "processors": _unique(
            (p for a in activities for p in a["processors"]), key=lambda p: p["name"]
        ),
        "transfers": _unique(
            (t for a in activities for t in a["transfers"]),
            key=lambda t: (t["recipient"], t["country"]),
        ),
        "measure_groups": _measure_groups(
            _unique(
                (m for a in activities for m in a["security_measures"]), key=lambda m: m["name"]
            )
        ),
        "summary": _summary(snapshot),
        "retention": _unique(
            (r for a in activities for r in a["retention"]), key=lambda r: r["name"]
        ),
        "cookies": _unique((c for a in activities for c in a["cookies"]), key=lambda c: c["name"]),
        "automated": [a for a in activities if decides_automatically(a)],
        "special": any(
            row["kind"] == register.DataCategory.Kind.SPECIAL
            for a in activities
            for row in a["data"]
        ),
        # The snapshot keeps a category's kind as its stored value; the template compares it
        # with these names, not with the raw strings.
        "Kind": register.DataCategory.Kind,
        "Audience": School.Audience,
    }


@dataclass(frozen=True)
class VersionFacts:
    """What every kind of statement says about its version (number None: a preview): built
    once per version and handed to each render, so they all say the same."""

    number: int | None
    published_at: datetime
    change_summary: str
    # (title, published_at, change summary) of the earlier versions, newest first
    history: list[tuple[str, datetime, str]]
    version_label: str = ""
    effective_from: date | None = None

    def context(self) -> dict:
        """For a template. Called inside the statement's language: the title is translated
        ("Versie 3" in the parents' statement, "Version 3" in the English one)."""
        return {
            "number": self.number,
            "published_at": self.published_at,
            "title": version_title(self.number, self.version_label, self.effective_from)
            if self.number
            else "",
            "effective_from": self.effective_from,
            "change_summary": self.change_summary,
            "history": self.history,
        }


def render_statement(
    snapshot: dict,
    version: VersionFacts,
    *,
    template: str = STATEMENT_TEMPLATE,
    language: str | None = None,
) -> str:
    # In the product language whoever publishes (unless a variant asks for its own): parents
    # read the statement their school published, not the language the privacy officer chose
    # for the editor.
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(
            template,
            {**statement_context(snapshot), **version.context()},
        )
    # Stripped: the stored HTML then survives a backup round trip exactly (XML trims ends).
    return html.strip()


def version_cache_key(board_slug: str, school_slug: str | None, number: int | None) -> str:
    """The public pages keep which version a URL shows for a short while (public_views)."""
    return f"versie:{board_slug}:{school_slug or ''}:{'laatste' if number is None else number}"


def forget_public_lookup(*, instance: School, raw: bool = False, **kwargs: object) -> None:
    """Receiver of School's post_save: this worker's public pages follow an archived or restored
    school at once; the other workers within public_views.LOOKUP_SECONDS, as after publishing."""
    if not raw:
        cache.delete(version_cache_key(instance.board.slug, instance.slug, None))


class _Rows(list):
    """A list that answers .all(), as a related manager with prefetched rows does."""

    def all(self) -> "_Rows":
        return self


class _AsApproved:
    """An approved version read the way lint_activity() reads an activity, so the gate checks
    what the statement will say with the one definition of each rule: the rows and
    many-to-many values of that version, their terms from the board's vocabulary (not a query
    per row), and every other attribute from the activity as it was approved."""

    def __init__(self, version: ApprovedVersion, vocabulary: dict[type, dict]):
        self._activity = version.activity
        self.edited_since_approval = version.edited_since
        for name, values in version.m2m.items():
            setattr(self, name, _Rows(values))
        for model, rows in version.parts.items():
            setattr(self, _accessor(model), _Rows(rows))
        for row in self.data_categories:
            row.category = vocabulary[register.DataCategory][row.category_id]
        for row in self.recipients:
            row.recipient = vocabulary[register.Recipient][row.recipient_id]

    def __getattr__(self, name: str):
        return getattr(self._activity, name)


def _publish_errors(board: Board, versions: list[ApprovedVersion]) -> list[Finding]:
    """Lint errors that block publishing, in the versions the statement would show: the last
    approved ones, not the drafts being worked on."""
    vocabulary, today = terms_by_pk(board, versions), timezone.localdate()
    return [
        finding
        for version in versions
        # The version reads like the activity it was (duck typing, see _AsApproved).
        for finding in lint_activity(
            cast(register.ProcessingActivity, _AsApproved(version, vocabulary)), today
        )
        if finding.is_error
    ]


def _history(board: Board, school: School | None) -> list[tuple[str, datetime, str]]:
    return [
        (v.title, v.published_at, v.change_summary)
        for v in board.statement_versions.filter(school=school)
        .defer(*register.StatementVersion.DOCUMENT_FIELDS)
        .order_by("-number")
    ]


@transaction.atomic
def statement_publish(
    *,
    actor: User,
    board: Board,
    school: School | None,
    change_summary: str,
    version_label: str = "",
    effective_from: date | None = None,
) -> register.StatementVersion:
    # One read of the approved versions: the gate passes exactly what is published.
    approved = approved_versions(board, school)
    errors, missing_facts = _publish_errors(board, approved), missing_board_facts(board)
    if errors or missing_facts:
        raise PublishRefused(errors, missing_facts)
    # Lock the board row: two publications at the same moment get consecutive numbers.
    Board.objects.select_for_update().get(pk=board.pk)
    versions = board.statement_versions.filter(school=school)
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    snapshot = _snapshot(board, school, approved)
    version = VersionFacts(
        number=number,
        published_at=now,
        change_summary=change_summary,
        history=_history(board, school),
        version_label=version_label,
        effective_from=effective_from,
    )
    # Imported here: the variants are built from this module's snapshot and context.
    from processing.statement_variants import render_variants

    variants = render_variants(board, school, approved, snapshot, version)
    statement = register.StatementVersion(
        board=board,
        school=school,
        number=number,
        published_at=now,
        published_by=actor,
        change_summary=change_summary,
        version_label=version_label,
        effective_from=effective_from,
        snapshot=snapshot,
        html=render_statement(snapshot, version),
        **variants,
    )
    statement.full_clean()
    statement.save()
    # This worker shows the new version at once; the others within public_views.LOOKUP_SECONDS.
    cache.delete(version_cache_key(board.slug, school.slug if school else None, None))
    audit.record(
        "processing.statement.published",
        actor=actor,
        board=board,
        school=school.name if school else None,
        number=number,
    )
    return statement


def out_of_date_statements(board: Board) -> list[School | None]:
    """The published statements that no longer say what the register says: an activity they
    concern was approved, or an approved activity deleted, after their last publication. None
    stands for the board's own statement. A school that never published has nothing out of
    date (it shows the board's). Two queries, however many schools and activities."""

    def last_published(school) -> Subquery:
        versions = register.StatementVersion.objects.filter(board=board, school=school)
        return Subquery(versions.order_by("-published_at").values("published_at")[:1])

    newer = board.activities.filter(approved_at__gt=OuterRef("last_published"))
    # A deleted activity has no schools left (they go before its last history record is
    # written), so a school counts if any earlier version of the activity concerned it: at
    # worst one publication too many, never a statement that keeps a deleted activity.
    deleted = register.ProcessingActivity.history.filter(board=board, history_type="-").exclude(
        approved_at=None
    )
    had_school = apps.get_model(
        "processing", "HistoricalProcessingActivity_schools"
    ).objects.filter(history__id=OuterRef("id"), school=OuterRef(OuterRef("pk")))
    schools = (
        board.schools.annotate(last_published=last_published(OuterRef("pk")))
        .filter(
            Exists(newer.filter(Q(applies_to_all_schools=True) | Q(schools=OuterRef("pk"))))
            | Exists(
                deleted.filter(history_date__gt=OuterRef("last_published")).filter(
                    Q(applies_to_all_schools=True) | Exists(had_school)
                )
            )
        )
        .order_by("name")
    )
    # Compared with NULL when the board never published: no row, so not behind.
    board_behind = Board.objects.filter(
        Exists(board.activities.filter(approved_at__gt=last_published(None)))
        | Exists(deleted.filter(history_date__gt=last_published(None))),
        pk=board.pk,
    ).exists()
    return [*([None] if board_behind else []), *schools]


def statements_showing(activity: register.ProcessingActivity) -> list[register.StatementVersion]:
    """The current published versions (the board's and each school's) that show the activity:
    their snapshot names it as it was at one of its approvals. The board's first, then the
    schools by name. Three queries."""
    if activity.approved_at is None:
        return []  # never approved: in no statement
    names = set(
        activity.history.filter(status=register.ProcessingActivity.Status.APPROVED).values_list(
            "name", flat=True
        )
    )
    versions = activity.board.statement_versions
    latest = Q(pk__in=[])
    for school_id, number in versions.values_list("school").annotate(number=Max("number")):
        latest |= Q(school_id=school_id, number=number)
    showing = [
        version
        for version in versions.filter(latest)
        .select_related("school")
        .only("school__name", "number", "version_label", "effective_from", "snapshot")
        if any(entry["name"] in names for entry in version.snapshot["activities"])
    ]
    return sorted(showing, key=lambda v: (v.school is not None, v.school.name if v.school else ""))


@dataclass
class SnapshotChanges:
    """What a new version would change against the published one, by activity name."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    facts_changed: bool  # the board's or the school's own facts (contact, FG, address, ...)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.facts_changed)


def _differs(old: dict | None, new: dict | None) -> bool:
    # Only what both say: a version published before a field existed did not change it.
    if old is None or new is None:
        return old != new
    return any(old[key] != new[key] for key in old.keys() & new.keys())


def snapshot_changes(old: dict, new: dict) -> SnapshotChanges:
    before = {activity["name"]: activity for activity in old["activities"]}
    after = {activity["name"]: activity for activity in new["activities"]}
    return SnapshotChanges(
        added=[name for name in after if name not in before],
        removed=[name for name in before if name not in after],
        changed=[name for name in after if name in before and _differs(before[name], after[name])],
        facts_changed=_differs(old["board"], new["board"])
        or _differs(old["school"], new["school"]),
    )


def statement_preview(
    board: Board, school: School | None
) -> tuple[list[Finding], str, SnapshotChanges | None]:
    """The errors that block publishing now, the statement as it would be published, and what
    it changes against the published version (None before the first), from one read of the
    approved versions."""
    approved = approved_versions(board, school)
    snapshot = _snapshot(board, school, approved)
    # With the board's id: the board's manager gives each version its board, which reads a
    # deferred board_id with a query of its own.
    current = (
        board.statement_versions.filter(school=school)
        .order_by("-number")
        .only("board", "snapshot")
        .first()
    )
    return (
        _publish_errors(board, approved),
        render_statement(
            snapshot,
            VersionFacts(
                number=None,
                published_at=timezone.now(),
                change_summary="",
                history=_history(board, school),
            ),
        ),
        snapshot_changes(current.snapshot, snapshot) if current else None,
    )


class PublishAllRefused(PublishRefused):
    """Publishing several statements stopped at one that has errors; nothing was published."""

    def __init__(self, refused: PublishRefused, school: School | None):
        super().__init__(refused.findings, refused.missing_facts)
        self.school = school


@transaction.atomic
def statements_publish(
    *,
    actor: User,
    board: Board,
    schools: list[School | None],
    change_summary: str,
    effective_from: date | None = None,
) -> list[register.StatementVersion]:
    """Publish several statements (None: the board's) with one summary, all or none."""
    published = []
    for school in schools:
        try:
            published.append(
                statement_publish(
                    actor=actor,
                    board=board,
                    school=school,
                    change_summary=change_summary,
                    effective_from=effective_from,
                )
            )
        except PublishRefused as refused:
            raise PublishAllRefused(refused, school) from refused
    return published


# A diff line is a tuple of cells: one for a paragraph, one per cell for a table row. Inside
# the diff, the cells of a row are joined by a character no text of a statement contains.
CELL = "\x1f"
LINE_ENDS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "caption", "dt", "dd", "div"}


class _Lines(HTMLParser):
    """The text of a stored statement, line by line. The parser decodes entities (the stored
    HTML says Foto&#x27;s), so the page escapes the text once, not twice."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []

    def _end_cell(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.cells.append(text.replace(CELL, " "))
        self.text = []

    def _end_line(self) -> None:
        self._end_cell()
        if self.cells:
            self.lines.append(CELL.join(self.cells))
        self.cells = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag == "br":
            self.text.append(" ")
        elif tag in LINE_ENDS or tag in ("ul", "ol", "table"):
            self._end_line()  # the text before a nested list is a line of its own

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in LINE_ENDS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _text_lines(html: str) -> list[str]:
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return parser.lines


def statement_diff(
    old: register.StatementVersion, new: register.StatementVersion
) -> list[tuple[str, list[str]]]:
    """Lines removed ('-') and added ('+') between two versions, in reading order; each line
    as its cells, so a table row keeps its columns apart."""
    diff = difflib.ndiff(_text_lines(old.html), _text_lines(new.html))
    return [(line[0], line[2:].split(CELL)) for line in diff if line[:1] in "+-"]
