"""The register of processing activities (art. 30 AVG) as a PDF an auditor accepts: a cover with
the controller, the FG and the reference moment, a contents page, per numbered activity a table
of the art. 30(1) fields of the version in force (and, where asked, the draft beside it), the
changes in the period field by field, the authorisation matrix and the open findings.

Every value comes from register_entries (the statements' plain data of each version) and
register_changes, so the PDF tells the same story as the spreadsheet and the statements.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacyregister.dates import dutch_date, dutch_moment
from privacyregister.documents import render_document
from privacyregister.models import Board
from privacyregister.permissions import matrix_rows
from privacyregister.roles import Role
from processing.history import Entry
from processing.lint import lint_activity
from processing.models import DataCategory, ProcessingActivity, choice_label
from processing.register_appendices import Appendix
from processing.register_entries import RegisterEntry, RegisterSelection, RegisterVersion

# A field of the table: its label and its value, one item per line.
Row = tuple[str, list[str]]


@dataclass
class PdfTable:
    caption: str  # empty for the version in force of an activity that has no draft shown
    rows: list[Row]
    draft: bool


@dataclass
class PdfActivity:
    pk: int
    number: int
    name: str
    anchor: str
    tables: list[PdfTable]
    note: str  # one line, e.g. that a newer draft waits for approval


def _kind_mark(row: dict) -> str:
    """What an auditor must see at a glance: special categories, criminal data, the BSN."""
    if row["kind"] == DataCategory.Kind.SPECIAL:
        detail = f", {row['special_type']}" if row["special_type"] else ""
        return " " + _("[bijzonder persoonsgegeven, art. 9 AVG%(detail)s]") % {"detail": detail}
    if row["kind"] == DataCategory.Kind.CRIMINAL:
        return " " + _("[strafrechtelijk gegeven, art. 10 AVG]")
    if row["kind"] == DataCategory.Kind.NATIONAL_ID:
        return " " + _("[BSN/PGN, art. 46 UAVG]")
    return ""


def _data_per_group(data: list[dict]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for row in data:
        groups.setdefault(row["subject_group"], []).append(row["category"] + _kind_mark(row))
    return [f"{group}: {', '.join(categories)}" for group, categories in groups.items()]


def _purpose(purpose: dict) -> str:
    text = _("%(purpose)s — grondslag: %(basis)s") % {
        "purpose": purpose["description"],
        "basis": purpose["legal_basis_label"],
    }
    if purpose["legal_basis_detail"]:
        text += "; " + purpose["legal_basis_detail"]
    if purpose["special_exception"]:
        text += "; " + _("uitzondering bijzondere gegevens: %(exception)s") % {
            "exception": purpose["special_exception"]
        }
        if purpose["special_detail"]:
            text += "; " + purpose["special_detail"]
    return text


def _recipient(row: dict) -> str:
    text = f"{row['name']} — {row['ground']}"
    return f"{text}; {row['ground_detail']}" if row["ground_detail"] else text


def _processor(row: dict) -> str:
    name = f"{row['name']}, {row['product']}" if row["product"] else row["name"]
    return _("%(name)s — verwerkersovereenkomst: %(dpa)s") % {
        "name": name,
        "dpa": row["dpa"] or "—",
    }


def _transfer(row: dict) -> str:
    text = _("%(recipient)s naar %(country)s — waarborg: %(safeguard)s") % {
        "recipient": row["recipient"],
        "country": row["country"],
        "safeguard": row["safeguard"] or _("geen"),
    }
    return f"{text}; {row['safeguard_detail']}" if row["safeguard_detail"] else text


def _retention(rule: dict) -> str:
    text = _("%(name)s: %(period)s na %(start)s, daarna %(action)s") % {
        "name": rule["name"],
        "period": rule["period"],
        "start": rule["start_event"],
        "action": rule["action"],
    }
    return f"{text}; {rule['legal_source']}" if rule["legal_source"] else text


def _dpia(activity: ProcessingActivity) -> str:
    if not activity.dpia_required:
        return _("niet nodig")
    if activity.dpia_done_on:
        return _("nodig, uitgevoerd op %(date)s") % {"date": dutch_date(activity.dpia_done_on)}
    return _("nodig, nog niet uitgevoerd")


def version_rows(version: RegisterVersion) -> list[Row]:
    """The art. 30(1) fields of one version (the controller and the FG are on the cover), and
    what the law asks beside them: legal basis, processors and their agreements, the DPIA.
    Sources, staff access and automated decisions are in the spreadsheet: each row costs
    rendering time on a register of hundreds of activities."""
    data = version.data
    return [
        (_("Geldt voor"), version.schools or [_("alle scholen")]),
        (_("Beschrijving"), [data["description"]]),
        (_("Doelen en grondslagen"), [_purpose(p) for p in data["purposes"]]),
        (_("Betrokkenen"), data["subject_groups"]),
        (_("Persoonsgegevens per groep"), _data_per_group(data["data"])),
        (_("Ontvangers"), [_recipient(row) for row in data["recipients"]]),
        (_("Verwerkers"), [_processor(row) for row in data["processors"]]),
        (
            _("Doorgifte buiten de EER"),
            [_transfer(row) for row in data["transfers"]] or [_("geen")],
        ),
        (_("Bewaartermijnen"), [_retention(rule) for rule in data["retention"]]),
        (_("Beveiligingsmaatregelen"), [m["name"] for m in data["security_measures"]]),
        (_("DPIA"), [_dpia(version.activity)]),
    ]


def _entry_tables(entry: RegisterEntry, approved_only: bool) -> tuple[list[PdfTable], str]:
    live = entry.activity
    last_change = getattr(live, "last_change", None)  # annotated by export_activities
    # The facts of the activity as it is now: once, in one row of its first table. WeasyPrint's
    # time grows with the cells more than with the text (a row per fact: 3 more rows an
    # activity, 6 more pages on 150 activities).
    facts: list[Row] = [
        (
            _("Status"),
            [
                " · ".join(
                    [
                        choice_label(live, "status"),
                        _("eigenaar: %(owner)s") % {"owner": live.owner or "—"},
                        _("volgende controle: %(date)s")
                        % {"date": dutch_date(live.next_review_on) or "—"},
                        _("laatste wijziging: %(moment)s")
                        % {"moment": dutch_moment(last_change) if last_change else "—"},
                    ]
                )
            ],
        )
    ]
    tables: list[PdfTable] = []
    for version in entry.versions:
        rows = version_rows(version)
        if version.in_force:
            approved = dutch_date(version.approved_at)
            if version.approved_by:
                approved = _("%(date)s door %(name)s") % {
                    "date": approved,
                    "name": version.approved_by,
                }
            rows.append((_("Vastgesteld"), [approved]))
            caption = _("Vastgestelde versie, geldt nu") if entry.draft else ""
        else:
            caption = _("Concept, nog niet vastgesteld")
            if entry.in_force and version.data["name"] != entry.in_force.data["name"]:
                rows.insert(0, (_("Naam"), [version.data["name"]]))
        if not tables:
            rows = facts + rows
        tables.append(PdfTable(caption, rows, draft=not version.in_force))
    note = ""
    if approved_only and entry.has_newer_draft:
        note = _(
            "Er is een nieuwer concept van deze verwerking dat nog niet is vastgesteld. Hier "
            "staat de vastgestelde versie die nu geldt."
        )
    return tables, note


def pdf_activities(selection: RegisterSelection) -> list[PdfActivity]:
    result = []
    for entry in selection.entries:
        tables, note = _entry_tables(entry, selection.approved_only)
        result.append(
            PdfActivity(
                entry.activity.pk,
                entry.number,
                entry.name,
                f"verwerking-{entry.number}",
                tables,
                note,
            )
        )
    return result


@dataclass
class PdfSave:
    """Changes of one person to one activity within a few seconds: one save writes the
    activity and then its rows. Each change: what (e.g. "doel gewijzigd"), then per field
    "field: old → new"."""

    when: datetime
    who: str
    changes: list[tuple[str, list[str]]]
    # The save that created the activity: what it filled in is counted, not listed (its rows
    # would double the appendix of a register built in one go; the spreadsheet lists them).
    created: bool = False
    filled_in: int = 0

    @property
    def moment(self) -> str:
        return dutch_moment(self.when)

    @property
    def lines(self) -> list[tuple[str, list[str]]]:
        if not self.filled_in:
            return self.changes
        what, _fields = self.changes[0]
        counted = ngettext(
            "%(what)s, met %(n)s veld of rij ingevuld",
            "%(what)s, met %(n)s velden en rijen ingevuld",
            self.filled_in,
        ) % {"what": what, "n": self.filled_in}
        return [(counted, [])]


SAVE_WITHIN = timedelta(seconds=5)


def pdf_changes(
    activities: list[PdfActivity], changes: list[Entry]
) -> list[tuple[PdfActivity, list[PdfSave]]]:
    """The changes per activity, in register order, each oldest first: an auditor follows one
    activity through the period."""
    per_activity: dict[int | None, list[PdfSave]] = defaultdict(list)
    for change in changes:
        record: Any = change.record  # a version of the activity, for its activity's entries
        saves = per_activity[change.activity_id]
        who = str(change.who or _("systeem"))
        if not saves or saves[-1].who != who or change.when - saves[-1].when > SAVE_WITHIN:
            created = record is not None and record.history_type == "+"
            saves.append(PdfSave(change.when, who, [], created=created))
        elif saves[-1].created:
            saves[-1].filled_in += max(len(change.changes), 1)
            continue
        lines = [f"{c.label}: {c.old} → {c.new}" for c in change.changes]
        saves[-1].changes.append((change.what, lines))
    return [(a, per_activity[a.pk]) for a in activities if per_activity.get(a.pk)]


def _appendix_value(value: object) -> str:
    if isinstance(value, datetime):
        return dutch_moment(value)
    if isinstance(value, date):
        return dutch_date(value)
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(value or "")


@dataclass
class PdfAppendix:
    """An appendix another app added (register_appendices.py): after A to C, per row a small
    table, headed by the row's first value (a breach's reference)."""

    letter: str
    title: str
    anchor: str
    items: list[tuple[str, list[tuple[str, str]]]]


def _pdf_appendix(letter: str, appendix: Appendix) -> PdfAppendix:
    first, *rest = appendix.sheet.columns
    items = [
        (
            _appendix_value(row.get(first.key)),
            [(str(column.heading), _appendix_value(row.get(column.key))) for column in rest],
        )
        for row in appendix.rows
    ]
    key = appendix.sheet.key
    return PdfAppendix(letter, str(appendix.sheet.title), f"bijlage-{key}", items)


def pdf_appendices(appendices: Sequence[Appendix]) -> list[PdfAppendix]:
    # A, B and C are the register's own.
    return [_pdf_appendix(letter, item) for letter, item in zip("DEFGH", appendices, strict=False)]


def register_pdf(
    *,
    board: Board,
    selection: RegisterSelection,
    changes: list[Entry],
    filters: list,
    exported_by,
    appendices: Sequence[Appendix] = (),
) -> bytes:
    entries = selection.entries
    listed = pdf_activities(selection)
    # The live activities as register_entries read them: with_rows() prefetched every row the
    # rules read (lint_prefetch's), so linting them reads nothing again. The rules check the
    # register as it is now, so an activity's findings are of its newer draft where it has
    # one: appendix C says so at each, also when the export shows only the version in force.
    # Both lists name an activity by its entry, as every format does.
    findings = [
        (entry, finding)
        for entry in entries
        for finding in lint_activity(entry.activity, selection.today)
    ]
    return render_document(
        "processing/register_pdf.html",
        {
            "board": board,
            "activities": listed,
            "changes": pdf_changes(listed, changes),
            "filters": filters,
            "exported_by": exported_by,
            "moment": dutch_moment(selection.moment),
            "approved_only": selection.approved_only,
            "roles": list(Role),
            "rows": matrix_rows(),
            "memberships": board.memberships_by_role(),
            "findings": findings,
            "comments": [(e, c) for e in entries for c in e.activity.comments.all()],
            "appendices": pdf_appendices(appendices),
        },
    )
