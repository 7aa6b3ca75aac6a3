"""The register of processing activities (art. 30 AVG) as XLSX and CSV, for the FG and auditors,
with the change history (the PDF: register_pdf.py)."""

import csv
import io

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from privacyregister.access import BoardAccess
from privacyregister.documents import neutralise, write_sheet
from privacyregister.models import Board
from processing.history import LogEntry
from processing.models import Comment, ProcessingActivity, choice_label

EXPORT_PREFETCH: list[str | Prefetch] = [
    "schools",
    "subject_groups",
    "processors",
    "security_measures",
    "retention_rules__exceptions",
    "purposes",
    "data_categories__category",
    "data_categories__subject_group",
    "sources__source",
    "recipients__recipient",
    "transfers__recipient",
    "staff_access__staff_role",
    "staff_access__dossier",
    Prefetch(
        "comments", queryset=Comment.objects.filter(resolved_at=None).select_related("author")
    ),
]


def export_activities(access: BoardAccess, cleaned: dict):
    """The activities of an export: what the exporting user may read, filtered as asked."""
    activities = (
        ProcessingActivity.objects.visible_to(access)
        .select_related("owner", "approved_by")
        .prefetch_related(*EXPORT_PREFETCH)
    )
    if cleaned.get("school"):
        activities = activities.for_schools([cleaned["school"].pk])
    if cleaned.get("status"):
        activities = activities.filter(status=cleaned["status"])
    last_change = ProcessingActivity.history.filter(id=OuterRef("pk")).order_by("-history_date")
    return activities.annotate(
        last_change=Subquery(last_change.values("history_date")[:1])
    ).order_by("name")


# (column heading, how to read it from an activity): the activity sheet, the CSV and the
# order of the fields in the PDF.
def _join(items) -> str:
    return "; ".join(str(item) for item in items)


def _with_detail(name, label, detail) -> str:
    return f"{name} ({label}: {detail})" if detail else f"{name} ({label})"


def _per_group(rows) -> str:
    """Data categories per group of people: "Leerlingen: naam, adres; Ouders: naam"."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(str(row.subject_group), []).append(str(row.category))
    return _join(f"{group}: {', '.join(categories)}" for group, categories in groups.items())


COLUMNS = [
    (_("Verwerking"), lambda a: a.name),
    (_("Status"), lambda a: choice_label(a, "status")),
    (
        _("Geldt voor"),
        lambda a: str(_("alle scholen")) if a.applies_to_all_schools else _join(a.schools.all()),
    ),
    (_("Beschrijving"), lambda a: a.description),
    (
        _("Doelen en grondslagen"),
        lambda a: _join(
            _with_detail(p.description, choice_label(p, "legal_basis"), p.legal_basis_detail)
            for p in a.purposes.all()
        ),
    ),
    (
        _("Uitzondering bijzondere gegevens"),
        lambda a: _join(
            choice_label(p, "special_category_exception")
            for p in a.purposes.all()
            if p.special_category_exception
        ),
    ),
    (_("Betrokkenen"), lambda a: _join(a.subject_groups.all())),
    (
        _("Categorieën persoonsgegevens"),
        lambda a: _per_group(a.data_categories.all()),
    ),
    (_("Bronnen"), lambda a: _join(r.source for r in a.sources.all())),
    (
        _("Ontvangers"),
        lambda a: _join(f"{r.recipient} ({choice_label(r, 'ground')})" for r in a.recipients.all()),
    ),
    (
        _("Verwerkers en verwerkersovereenkomst"),
        lambda a: _join(
            f"{p} ({choice_label(p, 'dpa_status') or '—'})" for p in a.processors.all()
        ),
    ),
    (
        _("Doorgifte buiten de EER"),
        lambda a: (
            _join(
                f"{t.recipient} → {t.country}: {choice_label(t, 'safeguard')}"
                for t in a.transfers.all()
            )
            or str(_("geen"))
        ),
    ),
    (
        _("Bewaartermijnen"),
        lambda a: _join(
            f"{r.name}: {r.period_display} na {choice_label(r, 'start_event')}"
            for r in a.retention_rules.all()
        ),
    ),
    (_("Beveiligingsmaatregelen"), lambda a: _join(a.security_measures.all())),
    (
        _("Toegang binnen de school"),
        lambda a: _join(
            _with_detail(r.staff_role, choice_label(r, "access"), r.dossier)
            for r in a.staff_access.all()
        ),
    ),
    (
        _("Geautomatiseerde besluiten / profilering"),
        lambda a: (
            _join(
                label
                for flag, label in [
                    (a.automated_decision_making, _("besluitvorming")),
                    (a.profiling, _("profilering")),
                ]
                if flag
            )
            or str(_("nee"))
        ),
    ),
    (
        _("DPIA"),
        lambda a: (
            (a.dpia_done_on.isoformat() if a.dpia_done_on else str(_("nodig")))
            if a.dpia_required
            else str(_("niet nodig"))
        ),
    ),
    (
        _("Vastgesteld op"),
        lambda a: timezone.localtime(a.approved_at).strftime("%Y-%m-%d") if a.approved_at else "",
    ),
    (_("Vastgesteld door"), lambda a: str(a.approved_by or "")),
    (
        _("Laatste wijziging"),
        lambda a: (
            timezone.localtime(a.last_change).strftime("%Y-%m-%d %H:%M") if a.last_change else ""
        ),
    ),
    (_("Volgende controle"), lambda a: a.next_review_on.isoformat() if a.next_review_on else ""),
]


def activity_rows(activities) -> list[list[str]]:
    return [[neutralise(read(a)) for _, read in COLUMNS] for a in activities]


def export_csv(activities) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(heading) for heading, _ in COLUMNS])
    writer.writerows(activity_rows(activities))
    # Excel reads UTF-8 only with a byte order mark.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def export_xlsx(board: Board, activities, log: list[LogEntry]) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # the one a new workbook starts with
    sheet.title = str(_("Verwerkingen"))
    write_sheet(
        sheet, [h for h, _ in COLUMNS], [[read(a) for _, read in COLUMNS] for a in activities]
    )
    write_sheet(
        workbook.create_sheet(str(_("Ontvangers en verwerkers"))),
        [
            _("Naam"),
            _("Soort"),
            _("Land"),
            _("Binnen de EER"),
            _("Product"),
            _("Verwerkersovereenkomst"),
            _("Getekend op"),
            _("Geldig tot"),
        ],
        [
            [
                r.name,
                r.get_kind_display(),
                r.country,
                _("ja") if r.in_eea else _("nee"),
                r.product,
                r.get_dpa_status_display(),
                r.dpa_signed_on,
                r.dpa_valid_until,
            ]
            for r in board.recipients.all()
        ],
    )
    write_sheet(
        workbook.create_sheet(str(_("Bewaartermijnen"))),
        [_("Wat"), _("Van wie"), _("Termijn"), _("Begint bij"), _("Daarna"), _("Bron")],
        [
            [
                r.name,
                str(r.subject_group or ""),
                r.period_display,
                r.get_start_event_display(),
                r.get_action_display(),
                r.legal_source,
            ]
            for r in board.retention_rules.select_related("subject_group")
        ],
    )
    write_sheet(
        workbook.create_sheet(str(_("Wijzigingen"))),
        [_("Wanneer"), _("Wie"), _("Verwerking"), _("Wat")],
        [
            [timezone.localtime(e.when).strftime("%Y-%m-%d %H:%M"), e.who, e.activity, e.what]
            for e in log
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
