"""The register of processing activities (art. 30 AVG) as PDF, for the FG and auditors, with
the change history, the authorisation matrix and open findings. The spreadsheets:
register_xlsx.py."""

from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacyregister.access import BoardAccess
from privacyregister.documents import render_document
from privacyregister.models import Board
from privacyregister.permissions import matrix_rows
from privacyregister.roles import Role
from processing.history import saves
from processing.lint import lint_activity
from processing.models import Comment, ProcessingActivity, choice_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


# (column heading, how to read it from an activity): the fields that the PDF groups
# (PDF_GROUPS).
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


# The PDF shows each activity as a few paragraphs of full-width lines (tables of narrow columns
# make WeasyPrint break ten times as many lines): the columns above, grouped.
PDF_GROUPS: list[tuple["StrOrPromise", list[tuple["StrOrPromise", "StrOrPromise"]]]] = [
    # (heading, [(column, its short label in the paragraph; "" for none)])
    ("", [(_("Status"), ""), (_("Geldt voor"), _("geldt voor")), (_("Beschrijving"), "")]),
    (
        _("Doelen en grondslagen"),
        [
            (_("Doelen en grondslagen"), ""),
            (_("Uitzondering bijzondere gegevens"), _("bijzondere gegevens")),
        ],
    ),
    (
        _("Betrokkenen en gegevens"),
        [
            (_("Betrokkenen"), _("betrokkenen")),
            (_("Categorieën persoonsgegevens"), ""),
            (_("Bronnen"), _("bronnen")),
        ],
    ),
    (
        _("Ontvangers en verwerkers"),
        [
            (_("Ontvangers"), ""),
            (_("Verwerkers en verwerkersovereenkomst"), _("verwerkers")),
            (_("Doorgifte buiten de EER"), _("buiten de EER")),
        ],
    ),
    (_("Bewaartermijnen"), [(_("Bewaartermijnen"), "")]),
    # Staff access (who inside the school sees what) is not an art. 30 field; it is in the
    # spreadsheet. Left out here, it saves a sixth of the rendering time of a large register.
    (_("Beveiligingsmaatregelen"), [(_("Beveiligingsmaatregelen"), "")]),
    (
        _("Beoordeling"),
        [
            (_("Geautomatiseerde besluiten / profilering"), _("geautomatiseerd besluit")),
            (_("DPIA"), _("DPIA")),
            (_("Vastgesteld op"), _("vastgesteld")),
            (_("Vastgesteld door"), _("door")),
            (_("Volgende controle"), _("volgende controle")),  # the last change: appendix A
        ],
    ),
]


def pdf_groups(activities) -> list:
    """Per activity, (heading, [(label, value)]) per group, leaving out empty values. Labels
    are translated once, not for every activity."""
    headings = [str(heading) for heading, _read in COLUMNS]
    groups = [
        (str(heading), [(str(column), str(label)) for column, label in fields])
        for heading, fields in PDF_GROUPS
    ]
    result = []
    for activity in activities:
        values = dict(zip(headings, (read(activity) for _heading, read in COLUMNS), strict=True))
        result.append(
            (
                activity,
                [
                    (
                        heading,
                        [
                            (label, values[column])
                            for column, label in fields
                            if values[column] or len(fields) == 1
                        ],
                    )
                    for heading, fields in groups
                ],
            )
        )
    return result


def export_pdf(*, board: Board, activities, log, filters, exported_by) -> bytes:
    activities = list(activities)
    today = timezone.localdate()  # the rows lint reads are among EXPORT_PREFETCH
    findings = [f for activity in activities for f in lint_activity(activity, today)]
    return render_document(
        "processing/register_pdf.html",
        {
            "board": board,
            "activities": pdf_groups(activities),
            "log": saves(log),
            "filters": filters,
            "exported_by": exported_by,
            "exported_at": timezone.now(),
            "roles": list(Role),
            "rows": matrix_rows(),
            "memberships": board.memberships_by_role(),
            "findings": findings,
            "comments": [c for a in activities for c in a.comments.all()],
        },
    )
