"""What a register export shows of each activity, by one rule for every format (PDF, XLSX, CSV):
the version in force — the one last approved, which the statements show — and, where the register
holds a newer draft, that draft, marked as not in force.

An export with status "vastgesteld" holds the version in force of every activity that has one,
marking those with a newer draft; any other export holds the version in force and, separately,
the draft. Both come as the statements' plain data (statements.activity_snapshot), so that an
export and a statement can never tell a different story about the same version.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from privacyregister.access import BoardAccess
from processing import statements
from processing.models import ACTIVITY_M2M_FIELDS, Comment, ProcessingActivity


@dataclass
class RegisterVersion:
    """One version of an activity: its fields (`activity`, the live row or a history record's
    instance) and its rows and terms as plain data (`data`, the statement snapshot's format)."""

    activity: ProcessingActivity
    data: dict
    schools: list[str] | None  # None: all schools of the board
    in_force: bool
    # Who approved the version in force ("" for a draft): the live row's approver, which an
    # edit keeps, so that no writer reads the user again.
    approved_by: str

    @property
    def approved_at(self) -> datetime | None:
        return self.activity.approved_at if self.in_force else None


@dataclass
class RegisterEntry:
    """An activity of the register: the live row (number, owner, status, next review, last
    change) and the versions the export shows, the one in force first."""

    activity: ProcessingActivity
    versions: list[RegisterVersion] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.activity.number

    @property
    def name(self) -> str:
        """Named as in force; an activity never approved by its draft. Every format names an
        entry so: a renamed draft must not give one number two names in one export."""
        return self.versions[0].data["name"] if self.versions else self.activity.name

    @property
    def in_force(self) -> RegisterVersion | None:
        return next((v for v in self.versions if v.in_force), None)

    @property
    def draft(self) -> RegisterVersion | None:
        return next((v for v in self.versions if not v.in_force), None)

    @property
    def has_newer_draft(self) -> bool:
        """A newer draft waits for approval, whether or not the export shows it."""
        return self.activity.changed_since_approval


@dataclass
class RegisterSelection:
    """The entries of an export and the moment the register was read: every export states it."""

    moment: datetime
    entries: list[RegisterEntry]
    approved_only: bool

    @property
    def today(self) -> date:
        return timezone.localdate(self.moment)


def _version(
    live: ProcessingActivity,
    version: statements.ApprovedVersion,
    vocabulary: dict,
    in_force: bool,
) -> RegisterVersion:
    activity = version.activity
    schools = None
    if not activity.applies_to_all_schools:
        schools = sorted(school.name for school in version.m2m["schools"])
    approved_by = str(live.approved_by or "") if in_force else ""
    return RegisterVersion(
        activity,
        statements.activity_snapshot(version, vocabulary),
        schools,
        in_force,
        approved_by,
    )


def export_activities(access: BoardAccess, cleaned: dict):
    """The activities of an export: what the exporting user may read, filtered as asked.
    "Vastgesteld" selects every activity with a version in force, also one edited since."""
    activities = (
        ProcessingActivity.objects.visible_to(access)
        .select_related("owner", "approved_by")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.open().select_related("author"))
        )
    )
    if cleaned.get("school"):
        activities = activities.for_schools([cleaned["school"].pk])
    if cleaned.get("status") == ProcessingActivity.Status.APPROVED:
        activities = activities.exclude(approved_at=None)
    elif cleaned.get("status"):
        activities = activities.filter(status=cleaned["status"])
    last_change = ProcessingActivity.history.filter(id=OuterRef("pk")).order_by("-history_date")
    return activities.annotate(
        last_change=Subquery(last_change.values("history_date")[:1])
    ).order_by("number")


def register_entries(access: BoardAccess, cleaned: dict) -> RegisterSelection:
    """The entries of an export with these filters (ExportFilterForm), as the register holds
    them now."""
    moment = timezone.now()
    approved_only = cleaned.get("status") == ProcessingActivity.Status.APPROVED
    # The schools too: the export says which schools each version applies to.
    m2m_fields = ACTIVITY_M2M_FIELDS
    activities = statements.with_rows(export_activities(access, cleaned), m2m_fields)
    found: list[tuple[ProcessingActivity, list[tuple[statements.ApprovedVersion, bool]]]] = []
    for activity in activities:
        versions = []
        in_force = statements.approved_version(activity, m2m_fields)
        if in_force is not None:
            versions.append((in_force, True))
        if not activity.is_approved and not approved_only:
            versions.append((statements.live_version(activity, m2m_fields), False))
        found.append((activity, versions))
    vocabulary = statements.terms_by_pk(
        access.board, [version for _, versions in found for version, _ in versions]
    )
    entries = [
        RegisterEntry(
            activity, [_version(activity, v, vocabulary, in_force) for v, in_force in versions]
        )
        for activity, versions in found
    ]
    return RegisterSelection(moment, entries, approved_only)
