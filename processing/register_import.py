"""Importing the register's own spreadsheet (the layout of register_sheets) into a board.

An import is read twice: once for its preview (what it would create, change or refuse, and
why), and again when the person who uploaded it confirms it, so that the commit acts on the
register as it is then and not as it was at the preview. Reading never writes; the commit
writes everything or nothing.

Terms, schools and retention rules are named in the file, and looked up by name only among the
importing board's own: a name that exists only in another board is unknown here.
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from privacyregister import audit
from privacyregister.models import Board, User
from processing import models as register
from processing import register_sheets, services, statements
from processing.findings import findings_deferred
from processing.models import RegisterImport
from processing.register_sheets import ACTIVITIES, PARTS, REGISTER_SHEETS, Column, Sheet
from processing.spreadsheet_upload import SpreadsheetRefused, open_spreadsheet
from retention.models import RetentionRule

logger = logging.getLogger(__name__)

# The vocabulary a column names, per sheet and column key; retention rules and schools are
# looked up as well but never created by an import (they are the board's schedule and its
# schools, kept on pages of their own).
TERM_COLUMNS: dict[tuple[str, str], type[register.Vocabulary]] = {
    ("activities", "subject_groups"): register.DataSubjectGroup,
    ("data", "subject_group"): register.DataSubjectGroup,
    ("data", "category"): register.DataCategory,
    ("sources", "source"): register.DataSource,
    ("sources", "subject_group"): register.DataSubjectGroup,
    ("recipients", "name"): register.Recipient,
    ("processors", "name"): register.Recipient,
    ("transfers", "recipient"): register.Recipient,
    ("security_measures", "name"): register.SecurityMeasure,
    ("staff_access", "role"): register.StaffRole,
}
# Columns that describe the term a row names rather than the activity: they give a new term
# its attributes, and an import never changes an existing term with them.
TERM_ATTRIBUTES = {
    "data": {"kind_label", "special_type"},
    "recipients": {"kind"},
    "processors": {"product", "country", "in_eea", "dpa"},
    "security_measures": {"kind", "description"},
    "retention": {
        "subject_group",
        "data_categories",
        "period",
        "start_event",
        "action",
        "legal_source",
        "exceptions",
    },
}
# A new term takes its attributes from the row that tells most of it: a recipient named on the
# processors' sheet is a processor with its agreement, one on the recipients' sheet has a kind.
TERM_SOURCES = {"processors": 2, "recipients": 1}
# Columns whose value is a label of a choice (register_sheets says which), checked and compared
# by their value; a file may give the Dutch or the English label. The status is the register's
# and the version is read apart; a term's attributes are read only for a new term.
CHOICES: dict[tuple[str, str], type[models.Choices]] = {
    (sheet.key, column.key): column.choices
    for sheet in REGISTER_SHEETS
    for column in sheet.columns
    if column.choices
    and column.key not in ("status", "version")
    and column.key not in TERM_ATTRIBUTES.get(sheet.key, ())
}
# Sheets whose rows are a set of terms linked to the activity, not rows of their own.
LINKED = {"processors": "processors", "security_measures": "security_measures"}
ROW_MODELS: dict[str, type[register.ActivityPart]] = {
    "purposes": register.Purpose,
    "data": register.ActivityDataCategory,
    "sources": register.ActivitySource,
    "recipients": register.ActivityRecipient,
    "transfers": register.Transfer,
    "staff_access": register.StaffAccess,
    "cookies": register.Cookie,
}
# The activity's own fields an import sets: the activities' sheet's columns that are plain
# fields of an activity, except what the register decides itself (its status and approval; the
# owner and the approver are people, not plain fields).
REGISTER_DECIDES = {"status", "approved_at"}
ACTIVITY_FIELDS = tuple(
    column.key
    for column in ACTIVITIES.columns
    if column.key not in REGISTER_DECIDES
    and column.key
    in {
        model_field.name
        for model_field in register.ProcessingActivity._meta.concrete_fields
        if model_field.editable and not model_field.is_relation
    }
)
IN_FORCE, DRAFT = register_sheets.Version.IN_FORCE, register_sheets.Version.DRAFT
ALL_SCHOOLS = {"", "alle scholen", "all schools"}


def _variants(text: object) -> set[str]:
    """A label as a file may give it: the whole label, or without its article reference."""
    label = str(text).strip().casefold()
    return {label, label.split(" (")[0].strip()}


def _both_languages(text: object) -> set[str]:
    found = set()
    for language in ("nl", "en"):
        with translation.override(language):
            found |= _variants(text)
    return found


def _titles(sheet: Sheet) -> list[str]:
    """The names a sheet may have: its Dutch or English title, exactly (open_spreadsheet checks
    the sheets of these names, and the import reads no other)."""
    titles = []
    for language in ("nl", "en"):
        with translation.override(language):
            titles.append(str(sheet.title))
    return titles


@functools.cache  # both languages, whichever is active
def _choice_lookup(choices: type[models.Choices]) -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        for variant in _both_languages(label):
            lookup.setdefault(variant, value)
        if value:
            lookup.setdefault(str(value).casefold(), value)
    return lookup


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_data(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "text": str(self)}

    def __str__(self) -> str:
        place = (
            _("blad %(sheet)s, rij %(row)s, kolom %(column)s")
            if self.column
            else _("blad %(sheet)s, rij %(row)s")
        ) % {"sheet": self.sheet, "row": self.row, "column": self.column}
        if self.row is None:
            place = _("blad %(sheet)s") % {"sheet": self.sheet}
        return f"{place}: {self.message}"


@dataclass
class Row:
    sheet: Sheet
    number: int  # the spreadsheet's row number, as a person sees it
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        column = next((c for c in self.sheet.columns if c.key == key), None)
        heading = str(column.heading) if column else key
        self.problems.append(Problem(str(self.sheet.title), self.number, heading, message))


@dataclass
class NewTerm:
    model: type[register.Vocabulary]
    name: str
    attributes: dict
    where: str
    source: int  # how much the sheet it was first named on tells of it (TERM_SOURCES)


@dataclass
class Planned:
    """One activity of the file: what it holds and what the import does with it."""

    row: Row
    key: int | None  # its Nr. in the file
    activity: register.ProcessingActivity | None  # the existing one with that number
    parts: dict[str, list[Row]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    changed_sheets: set[str] = field(default_factory=set)
    refusals: list[Problem] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.refusals:
            return "refused"
        if self.activity is None:
            return "create"
        return "change" if self.changes else "unchanged"

    @property
    def name(self) -> str:
        return self.row.values.get("name") or ""


@dataclass
class Plan:
    activities: list[Planned] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)  # not of one activity
    new_terms: dict[tuple[type, str], NewTerm] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "change": 0, "unchanged": 0, "refused": 0}
        for planned in self.activities:
            counts[planned.action] += 1
        counts["refused"] += len(self.refusals)
        counts["terms"] = len(self.new_terms)
        return counts

    @property
    def refused(self) -> bool:
        return bool(self.refusals) or any(p.refusals for p in self.activities)

    def as_data(self) -> dict:
        """The preview as the page shows it: refused activities first, then by Nr."""
        order = {"refused": 0, "create": 1, "change": 2, "unchanged": 3}
        planned = sorted(self.activities, key=lambda p: (order[p.action], p.key or 0))
        return {
            "counts": self.counts(),
            "refusals": [problem.as_data() for problem in self.refusals],
            "refused_activities": sum(1 for p in self.activities if p.refusals),
            "new_terms": [
                {
                    "vocabulary": str(term.model._meta.verbose_name),
                    "name": term.name,
                    "where": term.where,
                }
                for term in self.new_terms.values()
            ],
            "activities": [
                {
                    "number": p.key,
                    "name": p.name,
                    "action": p.action,
                    "pk": p.activity.pk if p.activity else None,
                    "changes": p.changes,
                    "notes": p.notes,
                    "refusals": [problem.as_data() for problem in p.refusals],
                }
                for p in planned
            ],
        }


class _Reader:
    """Reads the sheets of a workbook into rows of values, by the columns of register_sheets."""

    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self.refusals: list[Problem] = []

    def worksheet(self, sheet: Sheet):
        for title in _titles(sheet):
            if title in self.workbook.sheetnames:
                return self.workbook[title]
        return None

    def rows(self, sheet: Sheet) -> list[Row]:
        worksheet = self.worksheet(sheet)
        if worksheet is None:
            if sheet is ACTIVITIES:
                self.refusals.append(
                    Problem(str(sheet.title), None, "", _("Dit blad ontbreekt in het bestand."))
                )
            return []  # a part nobody filled in may be left out
        lines = worksheet.iter_rows(values_only=True)
        header = next(lines, ())
        columns = self._columns(sheet, header)
        if columns is None:
            return []
        rows = []
        for number, line in enumerate(lines, start=2):
            if all(value in (None, "") for value in line):
                continue
            row = Row(sheet, number, {})
            for index, column in columns.items():
                value = line[index] if index < len(line) else None
                row.values[column.key] = _value(row, column, value)
            rows.append(row)
        return rows

    def _columns(self, sheet: Sheet, header) -> dict[int, Column] | None:
        by_heading: dict[str, Column] = {}
        for column in sheet.columns:
            for heading in _both_languages(column.heading) | {column.key}:
                by_heading.setdefault(heading, column)
        columns: dict[int, Column] = {}
        for index, heading in enumerate(header):
            found = by_heading.get(str(heading or "").strip().casefold())
            if found is not None and found not in columns.values():
                columns[index] = found
        missing = [c for c in sheet.columns if c.required and c not in columns.values()]
        for column in missing:
            self.refusals.append(
                Problem(
                    str(sheet.title),
                    1,
                    str(column.heading),
                    _("Deze kolom ontbreekt; hij is verplicht."),
                )
            )
        return None if missing else columns


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # The export shows a text that starts like a formula as text (documents.neutralise).
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        text = text[1:]
    return text.strip()


def _value(row: Row, column: Column, value: object) -> Any:
    """A cell's value as the register holds it; a problem noted on the row if it cannot be."""
    if column.kind == "list":
        return [item.strip() for item in _text(value).split(";") if item.strip()]
    if column.kind == "yes_no":
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if text in ("ja", "yes", "waar", "true", "1"):
            return True
        if text in ("", "nee", "no", "onwaar", "false", "0"):
            return False
        row.problem(column.key, _("Vul “ja” of “nee” in, niet “%(value)s”.") % {"value": value})
        return False
    if column.kind in ("date", "datetime"):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date) or value in (None, ""):
            return value or None
        try:
            return datetime.date.fromisoformat(_text(value)[:10])
        except ValueError:
            row.problem(column.key, _("Dit is geen datum: “%(value)s”.") % {"value": value})
            return None
    if column.kind == "number":
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            row.problem(column.key, _("Dit is geen nummer: “%(value)s”.") % {"value": value})
            return None
        return int(text)
    return _text(value)


class _Terms:
    """The board's terms, schools and retention rules by name; unknown names are collected."""

    def __init__(self, board: Board):
        self.board = board
        self.by_model: dict[type, dict[str, Any]] = {}
        self.schools = {school.name: school for school in board.schools.all()}
        self.rules = {rule.name: rule for rule in RetentionRule.objects.filter(board=board)}

    def get(self, model: type[register.Vocabulary], name: str):
        if model not in self.by_model:
            # django-stubs cannot resolve lookups on the subclasses of an abstract model
            terms = model._default_manager.filter(board=self.board)  # type: ignore[misc]
            self.by_model[model] = {term.name: term for term in terms}
        return self.by_model[model].get(name)


def _choice(row: Row, key: str, choices: type[models.Choices]) -> Any:
    text = row.values.get(key, "")
    if not text:
        return ""
    value = _choice_lookup(choices).get(text.casefold())
    if value is None:
        with translation.override("nl"):
            allowed = "; ".join(str(label) for label in choices.labels if label)
        row.problem(
            key,
            _("“%(value)s” is geen geldige keuze. Kies uit: %(allowed)s.")
            % {"value": text, "allowed": allowed},
        )
        return ""
    return value


def _label(choices: type[models.Choices], value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def _new_term_attributes(sheet_key: str, row: Row, model: type) -> dict:
    values = row.values
    if model is register.DataCategory and sheet_key == "data":
        kind = _choice(row, "kind_label", register.DataCategory.Kind) or "gewoon"
        special = _choice(row, "special_type", register.DataCategory.SpecialType)
        return {"kind": kind, "special_type": special if kind == "bijzonder" else ""}
    if model is register.Recipient and sheet_key == "processors":
        return {
            "kind": register.Recipient.Kind.PROCESSOR,
            "product": values.get("product", ""),
            "country": values.get("country") or "Nederland",
            "in_eea": values.get("in_eea", True) if values.get("country") else True,
            "dpa_status": _choice(row, "dpa", register.Recipient.DpaStatus) or "ontbreekt",
        }
    if model is register.Recipient:
        kind = _choice(row, "kind", register.Recipient.Kind) if sheet_key == "recipients" else ""
        return {"kind": kind or register.Recipient.Kind.THIRD_PARTY}
    if model is register.SecurityMeasure:
        kind = _choice(row, "kind", register.SecurityMeasure.Kind)
        return {"kind": kind or "organisatorisch", "description": values.get("description", "")}
    return {}


def _compare_value(sheet_key: str, key: str, value: Any) -> Any:
    """A value as it is compared with the register's: a choice by its Dutch label."""
    choices = CHOICES.get((sheet_key, key))
    if choices is None or not value:
        return value
    code = _choice_lookup(choices).get(str(value).casefold(), value)
    with translation.override("nl"):
        return _label(choices, code)


def _compared_rows(sheet: Sheet, rows: list[dict]) -> list[tuple]:
    keys = [
        c.key
        for c in sheet.columns
        if c not in register_sheets.KEYS and c.key not in TERM_ATTRIBUTES.get(sheet.key, ())
    ]
    compared = [
        tuple(
            _compare_value(
                sheet.key, key, tuple(v) if isinstance(v := row.get(key, ""), list) else v
            )
            for key in keys
        )
        for row in rows
    ]
    # Linked terms and retention rules are a set: their order in the register is by name.
    return sorted(compared) if sheet.key in (*LINKED, "retention") else compared


def _activity_values(activity: register.ProcessingActivity, data: dict) -> dict:
    schools = None
    if not activity.applies_to_all_schools:
        schools = sorted(s.name for s in activity.schools.all())
    return {
        **{name: getattr(activity, name) for name in ACTIVITY_FIELDS},
        "subject_groups": sorted(data["subject_groups"]),
        "schools": schools,
    }


def _planned_values(planned: Planned) -> dict:
    values = planned.row.values
    schools = values.get("schools") or []
    return {
        **{name: values.get(name, _default(name)) for name in ACTIVITY_FIELDS},
        "subject_groups": sorted(values.get("subject_groups", [])),
        "schools": None if _all_schools(schools) else sorted(schools),
    }


def _default(name: str) -> Any:
    model_field = register.ProcessingActivity._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    if isinstance(model_field, (models.DateField,)):
        return None
    return model_field.get_default()


def _all_schools(schools: list[str]) -> bool:
    return not schools or (len(schools) == 1 and schools[0].casefold() in ALL_SCHOOLS)


def _heading(sheet: Sheet, key: str) -> str:
    column = next((c for c in sheet.columns if c.key == key), None)
    if column is not None:
        return str(column.heading)
    model_field = register.ProcessingActivity._meta.get_field(key)
    return str(getattr(model_field, "verbose_name", key))


def _check_schools(planned: Planned, terms: _Terms) -> None:
    """The schools exist at the board; an archived one only where the activity already concerns
    it (as in the editor: an archived school gets no new work, but keeps what it had)."""
    row = planned.row
    if _all_schools(row.values.get("schools", [])):
        return
    kept = {s.pk for s in planned.activity.schools.all()} if planned.activity else set()
    for name in row.values["schools"]:
        school = terms.schools.get(name)
        if school is None:
            row.problem(
                "schools", _("De school “%(name)s” bestaat niet bij dit bestuur.") % {"name": name}
            )
        elif school.is_archived and school.pk not in kept:
            row.problem(
                "schools",
                _(
                    "De school “%(name)s” is gearchiveerd: er komen geen verwerkingen meer bij. "
                    "Haal de school uit deze rij, of zet haar eerst terug bij Scholen."
                )
                % {"name": name},
            )


def _check_refs(plan: Plan, planned: Planned, terms: _Terms) -> None:
    """Every name the activity's rows give, looked up in the board."""
    rows = [planned.row, *(row for rows in planned.parts.values() for row in rows)]
    for row in rows:
        sheet_key = row.sheet.key
        for key, value in row.values.items():
            model = TERM_COLUMNS.get((sheet_key, key))
            names = value if isinstance(value, list) else [value]
            for name in names if model is not None else []:
                assert model is not None
                if not name or terms.get(model, name) is not None:
                    continue
                known = plan.new_terms.get((model, name))
                if known is None or TERM_SOURCES.get(sheet_key, 0) > known.source:
                    plan.new_terms[(model, name)] = NewTerm(
                        model,
                        name,
                        _new_term_attributes(sheet_key, row, model),
                        _("blad %(sheet)s, rij %(row)s")
                        % {"sheet": row.sheet.title, "row": row.number},
                        TERM_SOURCES.get(sheet_key, 0),
                    )
            if (sheet_key, key) in CHOICES:
                _choice(row, key, CHOICES[(sheet_key, key)])
        if sheet_key == "activities":
            _check_schools(planned, terms)
            for key, message in register.ProcessingActivity.combination_errors(row.values).items():
                row.problem(key, message)
        rule = row.values.get("name") if sheet_key == "retention" else None
        if rule and rule not in terms.rules:
            row.problem(
                "name",
                _(
                    "De bewaartermijn “%(name)s” bestaat niet bij dit bestuur. Voeg hem "
                    "eerst toe bij Bewaartermijnen."
                )
                % {"name": rule},
            )
        for column in row.sheet.columns:
            if column.required and row.values.get(column.key) in (None, "", []):
                if column.key == "number" and sheet_key == "activities":
                    continue  # a new activity: it gets the next number
                row.problem(column.key, _("Dit veld is verplicht."))
        for problem in row.problems:
            if str(problem) not in map(str, planned.refusals):
                planned.refusals.append(problem)


def _changes(planned: Planned, current: dict) -> list[str]:
    """The fields and sheets in which the file differs from the register now (the sheets also
    noted by key: only their rows are written)."""
    activity = planned.activity
    assert activity is not None
    changed = []
    new, old = _planned_values(planned), _activity_values(activity, current)
    for key in new:
        if new[key] != old[key]:
            changed.append(_heading(ACTIVITIES, key))
    for sheet in PARTS:
        rows = [row.values for row in planned.parts.get(sheet.key, [])]
        if _compared_rows(sheet, rows) != _compared_rows(sheet, current[sheet.rows]):
            changed.append(str(sheet.title))
            planned.changed_sheets.add(sheet.key)
    return changed


def import_plan(board: Board, workbook) -> Plan:
    """What the workbook would do to the board's register: read, never written."""
    plan = Plan()
    reader = _Reader(workbook)
    activity_rows = reader.rows(ACTIVITIES)
    part_rows = {sheet.key: reader.rows(sheet) for sheet in PARTS}
    plan.refusals.extend(reader.refusals)
    if plan.refusals:
        return plan
    # With the schools too: _changes compares them, which would otherwise be a query per activity.
    existing = {
        a.number: a
        for a in statements.with_rows(
            board.activities.select_related("board"), register.ACTIVITY_M2M_FIELDS
        )
    }
    versions = _choice_lookup(register_sheets.Version)

    # Per Nr. the row to import: the concept where there is one (it is the newest).
    chosen: dict[int, Row] = {}
    both: set[int] = set()
    new_rows: list[Row] = []
    for row in activity_rows:
        version = versions.get(str(row.values.get("version", "")).casefold())
        if version is None:
            row.problem("version", _("Vul “in werking” of “concept” in."))
        number = row.values.get("number")
        if number is None:
            new_rows.append(row)
            continue
        row.values["_version"] = version
        if number in chosen:
            earlier = chosen[number]
            if {earlier.values.get("_version"), version} == {IN_FORCE, DRAFT}:
                both.add(number)
                if version == DRAFT:
                    chosen[number] = row
                continue
            row.problem(
                "number", _("Dit nummer staat al op rij %(row)s.") % {"row": earlier.number}
            )
            new_rows.append(row)  # refused, shown on its own
            continue
        chosen[number] = row
    planned_by_number = {}
    for number, row in sorted(chosen.items()):
        planned = Planned(row, number, existing.get(number))
        if number in both:
            planned.notes.append(
                _(
                    "Het bestand heeft een rij “in werking” en een rij “concept”; de conceptrij "
                    "wordt ingelezen, die is het nieuwst."
                )
            )
        planned_by_number[number] = planned
        plan.activities.append(planned)
    for row in new_rows:
        plan.activities.append(Planned(row, row.values.get("number"), None))

    for sheet in PARTS:
        for row in part_rows[sheet.key]:
            number = row.values.get("number")
            found = planned_by_number.get(number) if number is not None else None
            if found is None:
                problem = Problem(
                    str(sheet.title),
                    row.number,
                    str(register_sheets.NUMBER.heading),
                    _("Nr. %(number)s staat niet op het blad %(sheet)s.")
                    % {"number": number, "sheet": ACTIVITIES.title},
                )
                plan.refusals.append(problem)
                continue
            version = versions.get(str(row.values.get("version", "")).casefold())
            if version is None:
                row.problem("version", _("Vul “in werking” of “concept” in."))
            elif version != found.row.values.get("_version"):
                continue  # a row of the version that is not imported
            found.parts.setdefault(sheet.key, []).append(row)

    terms = _Terms(board)
    names: dict[str, Planned] = {}
    existing_names = {a.name: a for a in existing.values()}
    vocabulary = statements.terms_by_pk(board)
    for planned in plan.activities:
        _check_refs(plan, planned, terms)
        name = planned.name
        other = names.get(name)
        if name and other is not None:
            planned.row.problem("name", _("Deze naam staat ook bij Nr. %(n)s.") % {"n": other.key})
            planned.refusals.extend(planned.row.problems[-1:])
        names[name] = planned
        holder = existing_names.get(name)
        if name and holder is not None and holder is not planned.activity:
            planned.row.problem(
                "name",
                _("Dit bestuur heeft al een verwerking met deze naam (Nr. %(n)s).")
                % {"n": holder.number},
            )
            planned.refusals.extend(planned.row.problems[-1:])
        if planned.activity is not None and not planned.refusals:
            current = statements.activity_snapshot(
                statements.live_version(planned.activity), vocabulary
            )
            planned.changes = _changes(planned, current)
    return plan


def _opened(record: RegisterImport):
    # Only the sheets the import reads are checked and counted: an export's change log is not.
    names = [title for sheet in REGISTER_SHEETS for title in _titles(sheet)]
    return open_spreadsheet(bytes(record.content), sheets=names)


def import_preview(record: RegisterImport) -> RegisterImport:
    """Read the uploaded file into its preview; the task does this, never a request."""
    try:
        plan = import_plan(record.board, _opened(record))
    except SpreadsheetRefused as refusal:
        record.status = RegisterImport.Status.REFUSED
        record.preview = {"error": " ".join(refusal.messages)}
    except Exception:
        logger.exception("Import %s mislukt", record.pk)
        record.status = RegisterImport.Status.FAILED
    else:
        record.status = RegisterImport.Status.PREVIEW
        record.preview = plan.as_data()
        record.counts = plan.counts()
    record.save(update_fields=["status", "preview", "counts"])
    return record


class ImportRefused(Exception):
    """Something is refused: nothing is written."""


def _activity_fields(planned: Planned, terms: _Terms) -> tuple[dict, dict]:
    values = _planned_values(planned)
    fields = {name: values[name] for name in ACTIVITY_FIELDS}
    fields["applies_to_all_schools"] = values["schools"] is None
    m2m = {
        "schools": [terms.schools[name] for name in values["schools"] or []],
        "subject_groups": [
            terms.get(register.DataSubjectGroup, name) for name in values["subject_groups"]
        ],
        "processors": [
            terms.get(register.Recipient, row.values["name"])
            for row in planned.parts.get("processors", [])
        ],
        "security_measures": [
            terms.get(register.SecurityMeasure, row.values["name"])
            for row in planned.parts.get("security_measures", [])
        ],
    }
    return fields, m2m


def _part_rows(planned: Planned, terms: _Terms, dossier) -> dict[type[register.ActivityPart], list]:
    """The activity's rows, built from the file (unsaved; `dossier` gives one by name)."""

    def term(model: type[register.Vocabulary], name: str | None):
        return terms.get(model, name) if name else None

    built: dict[type[register.ActivityPart], list] = {}
    for key, model in ROW_MODELS.items():
        if planned.activity is not None and key not in planned.changed_sheets:
            continue  # rows the file leaves as they are keep what it does not hold (notes)
        rows = []
        for row in planned.parts.get(key, []):
            v = row.values
            obj: register.ActivityPart
            if key == "purposes":
                obj = register.Purpose(
                    description=v["description"],
                    description_en=v.get("description_en", ""),
                    legal_basis=_choice(row, "legal_basis_label", register.LegalBasis),
                    legal_basis_detail=v.get("legal_basis_detail", ""),
                    special_category_exception=_choice(
                        row, "special_exception", register.SpecialCategoryException
                    ),
                    special_category_detail=v.get("special_detail", ""),
                )
            elif key == "data":
                obj = register.ActivityDataCategory(
                    category=term(register.DataCategory, v["category"]),
                    subject_group=term(register.DataSubjectGroup, v["subject_group"]),
                    dossier=dossier(v.get("dossier")),
                )
            elif key == "sources":
                obj = register.ActivitySource(
                    source=term(register.DataSource, v["source"]),
                    subject_group=term(register.DataSubjectGroup, v.get("subject_group")),
                    note=v.get("note", ""),
                )
            elif key == "recipients":
                obj = register.ActivityRecipient(
                    recipient=term(register.Recipient, v["name"]),
                    ground=_choice(row, "ground", register.LegalBasis),
                    ground_detail=v.get("ground_detail", ""),
                    dossier=dossier(v.get("dossier")),
                )
            elif key == "transfers":
                obj = register.Transfer(
                    recipient=term(register.Recipient, v["recipient"]),
                    country=v["country"],
                    safeguard=_choice(row, "safeguard", register.Transfer.Safeguard),
                    safeguard_detail=v.get("safeguard_detail", ""),
                )
            elif key == "staff_access":
                obj = register.StaffAccess(
                    staff_role=term(register.StaffRole, v["role"]),
                    access=_choice(row, "access", register.StaffAccess.Access),
                    dossier=dossier(v.get("dossier")),
                )
            else:
                obj = register.Cookie(
                    name=v["name"],
                    provider=v.get("provider", ""),
                    kind=_choice(row, "kind", register.Cookie.Kind),
                    purpose=v.get("purpose", ""),
                    lifetime=v.get("lifetime", ""),
                )
            rows.append(obj)
        built[model] = rows
    return built


def _write_terms(plan: Plan, board: Board) -> None:
    for term in plan.new_terms.values():
        # Every list has a board foreign key; django-stubs checks the abstract base's fields.
        obj = term.model(board=board, name=term.name, **term.attributes)  # type: ignore[misc]
        obj.full_clean()
        obj.save()


@transaction.atomic
@findings_deferred()  # every imported activity linted once, at the end
def import_commit(record: RegisterImport) -> dict[str, int]:
    """Write the file into the register: all of it, or nothing (ImportRefused)."""
    board, actor = record.board, record.uploaded_by
    plan = import_plan(board, _opened(record))
    if plan.refused:
        raise ImportRefused(plan)
    if plan.new_terms and not record.create_terms:
        raise ImportRefused(plan)
    counts = plan.counts()
    _write_terms(plan, board)
    terms = _Terms(board)
    rules = terms.rules
    written = []
    for planned in plan.activities:
        if planned.action == "unchanged":
            continue
        fields, m2m = _activity_fields(planned, terms)
        activity = planned.activity
        if activity is None:
            activity = register.ProcessingActivity(board=board, owner=actor)
        activity = services.activity_replace(
            actor=actor,
            activity=activity,
            fields=fields,
            m2m=m2m,
            rows=functools.partial(_part_rows, planned, terms),
            retention_rules=[
                rules[row.values["name"]] for row in planned.parts.get("retention", [])
            ],
            expected_version=activity.version if activity.pk else None,
        )
        written.append({"pk": activity.pk, "number": activity.number, "name": activity.name})
    counts.pop("refused")
    audit.record(
        "processing.register.imported",
        actor=actor,
        board=board,
        file_name=record.file_name,
        created=counts["create"],
        changed=counts["change"],
        unchanged=counts["unchanged"],
        terms_created=counts["terms"],
    )
    record.status, record.done_at = RegisterImport.Status.DONE, timezone.now()
    record.counts = counts
    record.preview = {**record.preview, "written": written}
    record.save(update_fields=["status", "done_at", "counts", "preview"])
    return counts


def import_start(*, actor: User, board: Board, upload) -> RegisterImport:
    record = RegisterImport.objects.create(
        board=board, uploaded_by=actor, file_name=upload.name[:255], content=upload.read()
    )
    transaction.on_commit(lambda: read_import.enqueue(record.pk))
    return record


def import_confirm(*, record: RegisterImport, create_terms: bool) -> None:
    """Queue the commit, once: of two confirmations sent at the same moment only the first
    finds the preview still waiting."""
    confirmed = RegisterImport.objects.filter(
        pk=record.pk, status=RegisterImport.Status.PREVIEW
    ).update(
        status=RegisterImport.Status.COMMITTING,
        create_terms=create_terms,
        requested_at=timezone.now(),
    )
    if confirmed:
        transaction.on_commit(lambda: commit_import.enqueue(record.pk))


def import_retry(*, record: RegisterImport) -> bool:
    """Queue an interrupted job again: the reading or the writing, whichever it was doing.
    Writing is one transaction, so a worker that died wrote nothing; and of two retries sent at
    the same moment only the first finds the old request time."""
    if not record.interrupted:
        return False
    job = read_import if record.is_reading else commit_import
    retried = RegisterImport.objects.filter(
        pk=record.pk, status=record.status, requested_at=record.requested_at
    ).update(requested_at=timezone.now())
    if retried:
        transaction.on_commit(lambda: job.enqueue(record.pk))
    return bool(retried)


def _back_to_preview(record: RegisterImport, plan: Plan) -> None:
    record.status = RegisterImport.Status.PREVIEW
    record.preview = plan.as_data()
    record.counts = plan.counts()
    record.save(update_fields=["status", "preview", "counts"])


def import_run_commit(record: RegisterImport) -> None:
    try:
        import_commit(record)
    except ImportRefused as refused:
        _back_to_preview(record, refused.args[0])
    except services.EditConflict:
        # Someone saved an activity of the file while it was being written. Nothing was written
        # (one transaction); the preview is read again, against the register as it is now.
        _back_to_preview(record, import_plan(record.board, _opened(record)))
    except ValidationError as error:
        # A value the register's own checks refuse that the preview let through.
        record.status = RegisterImport.Status.FAILED
        record.preview = {**record.preview, "error": " ".join(error.messages)}
        record.save(update_fields=["status", "preview"])
    except Exception:
        logger.exception("Import %s mislukt bij het doorvoeren", record.pk)
        RegisterImport.objects.filter(pk=record.pk).update(status=RegisterImport.Status.FAILED)


def _record(pk: int) -> RegisterImport:
    return RegisterImport.objects.select_related("board", "uploaded_by").get(pk=pk)


@task()
def read_import(import_pk: int) -> None:
    import_preview(_record(import_pk))


@task()
def commit_import(import_pk: int) -> None:
    import_run_commit(_record(import_pk))
