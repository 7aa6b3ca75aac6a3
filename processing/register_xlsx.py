"""The register as a spreadsheet (XLSX) and as one CSV file per sheet in a ZIP, laid out as
processing/register_sheets.py describes: a sheet of activities (one row per version), a sheet per
repeating part keyed by register number and version, the board's recipients and processors, and
the change log field by field. Also the blank template an import starts from.

Both writers read the same rows (sheet_rows); they differ only in how a value is written: a
spreadsheet gets real dates and numbers, a CSV file text as a Dutch user types it."""

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import dateformat, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from privacyregister.documents import neutralise
from privacyregister.models import Board
from processing import register_sheets
from processing.history import KIND, Entry
from processing.models import choice_label
from processing.register_appendices import Appendix
from processing.register_entries import RegisterEntry, RegisterSelection, RegisterVersion
from processing.register_sheets import CHANGES, Column, Sheet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Value = str | int | date | datetime | bool | list[str] | None
Rows = list[dict[str, Value]]

# Board-wide, not per activity: every recipient and processor with its processing agreement.
RECIPIENTS = Sheet(
    "board_recipients",
    gettext_lazy("Ontvangers en verwerkers"),
    (
        Column("name", gettext_lazy("Naam"), width=30),
        Column("kind", gettext_lazy("Soort"), width=20),
        Column("country", gettext_lazy("Land"), width=8),
        Column("in_eea", gettext_lazy("Binnen de EER"), width=12, kind="yes_no"),
        Column("product", gettext_lazy("Product"), width=24),
        Column("dpa", gettext_lazy("Verwerkersovereenkomst"), width=24),
        Column("dpa_signed_on", gettext_lazy("Getekend op"), width=16, kind="date"),
        Column("dpa_valid_until", gettext_lazy("Geldig tot"), width=16, kind="date"),
    ),
)

# One line per sheet on the first sheet ("Over dit bestand") and in the template's "Uitleg".
ABOUT: dict[str, "StrOrPromise"] = {
    "activities": gettext_lazy(
        "Eén rij per versie van een verwerking: de versie in werking en, als die er is, het "
        "concept dat nog niet is vastgesteld."
    ),
    "purposes": gettext_lazy("De doelen van elke verwerking, met de grondslag."),
    "data": gettext_lazy("Welke gegevens van welke betrokkenen elke verwerking gebruikt."),
    "sources": gettext_lazy("Waar de gegevens vandaan komen."),
    "recipients": gettext_lazy("Aan wie de gegevens worden gegeven, en op welke grond."),
    "processors": gettext_lazy("Wie de gegevens voor de school verwerkt (verwerkers)."),
    "transfers": gettext_lazy("Doorgifte naar landen buiten de EER, met de waarborg."),
    "security_measures": gettext_lazy("De beveiligingsmaatregelen van elke verwerking."),
    "staff_access": gettext_lazy("Wie binnen de school welke toegang heeft."),
    "retention": gettext_lazy("Hoe lang de gegevens worden bewaard."),
    "cookies": gettext_lazy("De cookies van een website of app."),
    "board_recipients": gettext_lazy(
        "Alle ontvangers en verwerkers van het bestuur, met de verwerkersovereenkomst."
    ),
    "changes": gettext_lazy(
        "Eén rij per gewijzigd veld: wanneer, wie, welke verwerking, het veld, oud en nieuw."
    ),
}

DATE_FORMAT = "[$-413]d mmmm yyyy"  # 1 november 2025, with Dutch month names
DATETIME_FORMAT = "d-m-yyyy hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
BOLD = Font(bold=True)


# The rows, typed, shared by both writers.
def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _activity_row(entry: RegisterEntry, version: RegisterVersion) -> dict[str, Value]:
    data, fields = version.data, version.activity
    return {
        "number": entry.number,
        "name": data["name"],
        "version": _version_label(version),
        "status": choice_label(fields, "status"),
        "owner": str(entry.activity.owner or ""),
        "schools": _("alle scholen") if version.schools is None else version.schools,
        "description": data["description"],
        "subject_groups": data["subject_groups"],
        "description_pupils": data["description_pupils"],
        "name_en": data["name_en"],
        "description_en": data["description_en"],
        "provision_requirement": data["provision_requirement"],
        "consent_how_asked": data["consent_how_asked"],
        "consent_how_withdrawn": data["consent_how_withdrawn"],
        "automated_decision_making": data["automated_decision_making"],
        "profiling": data["profiling"],
        "automated_logic": data["automated_logic"],
        "automated_consequences": data["automated_consequences"],
        "dpia_required": fields.dpia_required,
        "dpia_done_on": fields.dpia_done_on,
        "approved_at": _local_date(version.approved_at),
        "approved_by": version.approved_by,
        "next_review_on": entry.activity.next_review_on,
        "last_change": getattr(entry.activity, "last_change", None),
        "has_newer_draft": entry.has_newer_draft,
    }


def _version_label(version: RegisterVersion) -> str:
    return str(register_sheets.IN_FORCE if version.in_force else register_sheets.DRAFT)


def _change_rows(changes: list[Entry], entries: list[RegisterEntry]) -> Rows:
    """One row per changed field. A row of an activity added or removed changes no field: its
    text stands under new or old."""
    by_pk = {entry.activity.pk: entry for entry in entries}
    removed = str(KIND["-"])
    rows: Rows = []
    for change in changes:
        entry = by_pk.get(change.activity_id or 0)
        common: dict[str, Value] = {
            "when": change.when,
            "who": str(change.who or _("systeem")),
            "number": entry.number if entry else None,
            # As the activities sheet names it (the version in force), not the live draft.
            "activity": entry.name if entry else "",
        }
        if change.changes:
            rows += [
                {**common, "what": change.what, "field": c.label, "old": c.old, "new": c.new}
                for c in change.changes
            ]
            continue
        # history.timeline_entries names an added or removed row "<kind> <toegevoegd>: <row>".
        what, _sep, text = change.what.partition(": ")
        was_removed = what.endswith(removed)
        rows.append(
            {
                **common,
                "what": what,
                "field": "",
                "old": text if was_removed else "",
                "new": "" if was_removed else text,
            }
        )
    return rows


def sheet_rows(selection: RegisterSelection, changes: list[Entry]) -> dict[str, Rows]:
    """The rows of every sheet of the register (register_sheets.REGISTER_SHEETS and the change
    log) by sheet key, each row a value per column key."""
    rows: dict[str, Rows] = {sheet.key: [] for sheet in register_sheets.REGISTER_SHEETS}
    for entry in selection.entries:
        for version in entry.versions:
            rows["activities"].append(_activity_row(entry, version))
            keys = {
                "number": entry.number,
                "activity": version.data["name"],
                "version": _version_label(version),
            }
            for sheet in register_sheets.PARTS:
                rows[sheet.key] += [{**keys, **part} for part in version.data[sheet.rows]]
    rows[CHANGES.key] = _change_rows(changes, selection.entries)
    return rows


def recipient_rows(board: Board) -> Rows:
    return [
        {
            "name": recipient.name,
            "kind": recipient.get_kind_display(),
            "country": recipient.country,
            "in_eea": recipient.in_eea,
            "product": recipient.product,
            "dpa": recipient.get_dpa_status_display(),
            "dpa_signed_on": recipient.dpa_signed_on,
            "dpa_valid_until": recipient.dpa_valid_until,
        }
        for recipient in board.recipients.all()
    ]


@dataclass
class About:
    """What the first sheet says of the export: whose register, read when, by whom, how."""

    board: Board
    moment: datetime
    exported_by: object
    filters: Sequence[Sequence[str]]  # (filter, value in words), RegisterExport.description
    approved_only: bool


def _about_rows(
    about: About, sheets: list[Sheet], appendices: Sequence[Appendix] = ()
) -> list[tuple[str, Value]]:
    texts = ABOUT | {appendix.sheet.key: appendix.about for appendix in appendices}
    version = (
        _("alleen de versie in werking; een nieuwere versie in bewerking is gemarkeerd")
        if about.approved_only
        else _("de versie in werking en, apart gemarkeerd, het concept")
    )
    return [
        (_("Register van verwerkingen"), about.board.name),
        (_("Peilmoment"), about.moment),
        (_("Geëxporteerd door"), str(about.exported_by)),
        (_("Versies"), version),
        *((str(name), str(value)) for name, value in about.filters),
        ("", ""),
        (_("Blad"), _("Wat er op staat")),
        *((str(sheet.title), str(texts[sheet.key])) for sheet in sheets),
    ]


# Writing a value: the spreadsheet keeps types, the CSV writes text as Dutch users type it.
def _text(value: Value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value is None:
        return ""
    return str(value)


def _naive(moment: datetime) -> datetime:
    # Excel has no time zones: the local time, as the board reads it, to the second.
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _csv_value(value: Value) -> str:
    if isinstance(value, datetime):
        return dateformat.format(timezone.localtime(value), "j-n-Y H:i")
    if isinstance(value, date):
        return dateformat.format(value, "j-n-Y")
    return neutralise(_text(value))


def _write_xlsx_sheet(sheet: Worksheet, layout: Sheet, rows: Rows) -> None:
    """A sheet under a bold, wrapped header row with filters; frozen below it and, where an
    activity's number and name lead, beside them; every text cell wrapped."""
    sheet.append([str(column.heading) for column in layout.columns])
    for cell in sheet[1]:
        cell.font, cell.alignment = BOLD, WRAP
    for row in rows:
        sheet.append([_xlsx_value(row.get(column.key)) for column in layout.columns])
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        text = column.kind in ("text", "list")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = WRAP if text else TOP
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "datetime":
                cell.number_format = DATETIME_FORMAT
    keys = [column.key for column in layout.columns[:2]]
    sheet.freeze_panes = "C2" if keys in (["number", "name"], ["number", "activity"]) else "A2"
    last = get_column_letter(len(layout.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"


def _xlsx_value(value: Value) -> object:
    if isinstance(value, datetime):
        return _naive(value)
    if isinstance(value, date | int) and not isinstance(value, bool):
        return value
    return neutralise(_text(value))


def _write_about(sheet: Worksheet, lines: list[tuple[str, Value]]) -> None:
    for name, value in lines:
        sheet.append([name, _naive(value) if isinstance(value, datetime) else value])
        if isinstance(value, datetime):
            sheet.cell(sheet.max_row, 2).number_format = DATETIME_FORMAT
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.font = BOLD
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 90
    for (cell,) in sheet.iter_rows(min_col=2, max_col=2):
        cell.alignment = WRAP


def _sheets(
    selection: RegisterSelection,
    changes: list[Entry],
    board: Board,
    appendices: Sequence[Appendix],
) -> list[tuple[Sheet, Rows]]:
    rows = sheet_rows(selection, changes)
    return [
        *((sheet, rows[sheet.key]) for sheet in register_sheets.REGISTER_SHEETS),
        (RECIPIENTS, recipient_rows(board)),
        (CHANGES, rows[CHANGES.key]),
        *((appendix.sheet, appendix.rows) for appendix in appendices),
    ]


def _about(selection: RegisterSelection, board: Board, exported_by, filters) -> About:
    return About(board, selection.moment, exported_by, filters, selection.approved_only)


def _xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_xlsx(
    *,
    board: Board,
    selection: RegisterSelection,
    changes: list[Entry],
    filters: Sequence[Sequence[str]],
    exported_by: object,
    appendices: Sequence[Appendix] = (),
) -> bytes:
    sheets = _sheets(selection, changes, board, appendices)
    workbook = Workbook()
    about = workbook.worksheets[0]  # the one a new workbook starts with
    about.title = _("Over dit bestand")
    _write_about(
        about,
        _about_rows(
            _about(selection, board, exported_by, filters), [s for s, _r in sheets], appendices
        ),
    )
    for layout, rows in sheets:
        _write_xlsx_sheet(workbook.create_sheet(str(layout.title)), layout, rows)
    return _xlsx_bytes(workbook)


def _csv(headings: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    writer.writerows(rows)
    # Excel reads UTF-8 only with a byte order mark.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def export_csv(
    *,
    board: Board,
    selection: RegisterSelection,
    changes: list[Entry],
    filters: Sequence[Sequence[str]],
    exported_by: object,
    appendices: Sequence[Appendix] = (),
) -> bytes:
    """A ZIP with a CSV file per sheet (";" between fields, UTF-8 with a byte order mark, as
    Excel opens it in the Netherlands), the first one saying what the files are."""
    sheets = _sheets(selection, changes, board, appendices)
    about = _about_rows(
        _about(selection, board, exported_by, filters), [s for s, _r in sheets], appendices
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "00-over-dit-bestand.csv",
            _csv(
                [_("Over dit bestand"), ""],
                [[name, _csv_value(value)] for name, value in about],
            ),
        )
        for position, (layout, rows) in enumerate(sheets, start=1):
            archive.writestr(
                f"{position:02d}-{slugify(str(layout.title))}.csv",
                _csv(
                    [str(column.heading) for column in layout.columns],
                    [
                        [_csv_value(row.get(column.key)) for column in layout.columns]
                        for row in rows
                    ],
                ),
            )
    return buffer.getvalue()


# The blank template of an import: the register's sheets with their headings, and what to fill in.
KIND_HINTS: dict[str, "StrOrPromise"] = {
    "text": gettext_lazy("Tekst."),
    "number": gettext_lazy("Een getal."),
    "date": gettext_lazy("Een datum, bijvoorbeeld 1-11-2025."),
    "datetime": gettext_lazy("Een datum en tijd, bijvoorbeeld 1-11-2025 14:05."),
    "yes_no": gettext_lazy("ja of nee."),
    "list": gettext_lazy("Eén of meer waarden, gescheiden door een puntkomma (;)."),
}

COLUMN_HINTS: dict[str, "StrOrPromise"] = {
    "number": gettext_lazy(
        "Het registernummer van de verwerking. Op de andere bladen verwijst het naar de "
        "verwerking op het blad Verwerkingen. Een nieuw nummer maakt een nieuwe verwerking."
    ),
    "version": gettext_lazy(
        "Welke versie de rij beschrijft. Een verwerking die u importeert, begint als concept."
    ),
    "schools": gettext_lazy("'alle scholen', of de namen van de scholen, gescheiden door ;."),
}

UITLEG = Sheet(
    "explanation",
    gettext_lazy("Uitleg"),
    (
        Column("sheet", gettext_lazy("Blad"), width=20),
        Column("column", gettext_lazy("Kolom"), width=30),
        Column("required", gettext_lazy("Verplicht"), width=10, kind="yes_no"),
        Column("hint", gettext_lazy("Wat u invult"), width=60),
        Column("values", gettext_lazy("Toegestane waarden"), width=60, kind="list"),
    ),
)


def _explanation_rows() -> Rows:
    return [
        {
            "sheet": str(sheet.title),
            "column": str(column.heading),
            "required": column.required,
            "hint": str(COLUMN_HINTS.get(column.key, KIND_HINTS[column.kind])),
            "values": [str(label) for label in column.choices.labels]
            if column.choices
            else [_("ja"), _("nee")]
            if column.kind == "yes_no"
            else [],
        }
        for sheet in register_sheets.REGISTER_SHEETS
        for column in sheet.columns
    ]


def register_template() -> bytes:
    """An empty register to fill in and import: every sheet the import reads, with its
    headings, after a sheet that explains each column."""
    workbook = Workbook()
    explanation = workbook.worksheets[0]
    explanation.title = str(UITLEG.title)
    _write_xlsx_sheet(explanation, UITLEG, _explanation_rows())
    for sheet in register_sheets.REGISTER_SHEETS:
        _write_xlsx_sheet(workbook.create_sheet(str(sheet.title)), sheet, [])
    return _xlsx_bytes(workbook)
