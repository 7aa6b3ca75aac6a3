"""Activities written as data (the demo boards in fixtures/demo/, the sector catalogue in
fixtures/catalogue/): one format, built into the register by one function.

Terms, dossiers and retention rules are named, not numbered, so that one file serves every
board: the names are looked up among the board's own terms.
"""

from typing import Any, TypeVar

from django.db.models import Max, Model
from django.utils import timezone

from privacyregister.models import Board
from processing import models as register

# The parts of an activity that are rows of their own, in the order they are built (dossiers
# first: the other rows may name one).
ROW_KEYS = (
    "dossiers",
    "purposes",
    "data",
    "sources",
    "recipients",
    "transfers",
    "staff_access",
    "cookies",
)


M = TypeVar("M", bound=Model)
V = TypeVar("V", bound=register.Vocabulary)


def saved(obj: M) -> M:
    """Saved after the model's own checks: data files fail loudly on a bad value."""
    obj.full_clean()
    obj.save()
    return obj


class BoardTerms:
    """Looks up a board's vocabulary terms by name, with a clear error for a typo in a file."""

    def __init__(self, board: Board):
        self.board = board
        # Per model, that model's terms by name.
        self._cache: dict[type, dict[str, Any]] = {}

    def get(self, model: type[V], name: str) -> V:
        if model not in self._cache:
            # django-stubs cannot resolve lookups on the subclasses of an abstract model
            terms = model._default_manager.filter(board=self.board)  # type: ignore[misc]
            self._cache[model] = {t.name: t for t in terms}
        try:
            return self._cache[model][name]
        except KeyError:
            raise ValueError(f"{model.__name__} '{name}' ontbreekt bij {self.board}") from None


def next_statement_position(board: Board) -> int:
    """The place after the last activity the board has put in order: activities written as
    data keep their file's order in the statements (a catalogue's, a demo's)."""
    last = board.activities.aggregate(last=Max("statement_position"))["last"]
    return (last or 0) + 1


def activity_create_from_data(
    *, board: Board, data: dict, terms: BoardTerms, **fields
) -> register.ProcessingActivity:
    """Create an activity of the board from its data; `fields` set or override activity fields
    (the catalogue sets the owner and where it came from). Keys that describe the file entry
    rather than the activity (a demo's comments, a catalogue entry's key) must be removed by
    the caller first: every other key is an activity field, so a typo fails loudly."""
    data = dict(data)
    school_slugs = data.pop("schools", None)
    m2m = {
        "subject_groups": [
            terms.get(register.DataSubjectGroup, n) for n in data.pop("subject_groups", [])
        ],
        "processors": [terms.get(register.Recipient, n) for n in data.pop("processors", [])],
        "security_measures": [
            terms.get(register.SecurityMeasure, n) for n in data.pop("security_measures", [])
        ],
    }
    rule_names = data.pop("retention_rules", [])
    parts = {key: data.pop(key, []) for key in ROW_KEYS}
    activity = register.ProcessingActivity(
        board=board, applies_to_all_schools=school_slugs is None, **data, **fields
    )
    if activity.status == register.ProcessingActivity.Status.APPROVED:
        activity.approved_at = timezone.now()
    saved(activity)
    for name, objects in m2m.items():
        getattr(activity, name).set(objects)
    if school_slugs:
        activity.schools.set(board.schools.filter(slug__in=school_slugs))
    activity.retention_rules.set(board.retention_rules.filter(name__in=rule_names))

    dossiers = {
        d["name"]: saved(register.Dossier(activity=activity, **d)) for d in parts["dossiers"]
    }
    for purpose in parts["purposes"]:
        saved(register.Purpose(activity=activity, **purpose))
    for row in parts["data"]:
        saved(
            register.ActivityDataCategory(
                activity=activity,
                category=terms.get(register.DataCategory, row["category"]),
                subject_group=terms.get(register.DataSubjectGroup, row["subject_group"]),
                dossier=dossiers.get(row.get("dossier")),
                note=row.get("note", ""),
            )
        )
    for row in parts["sources"]:
        group = row.get("subject_group")
        saved(
            register.ActivitySource(
                activity=activity,
                source=terms.get(register.DataSource, row["source"]),
                subject_group=terms.get(register.DataSubjectGroup, group) if group else None,
                note=row.get("note", ""),
            )
        )
    for row in parts["recipients"]:
        saved(
            register.ActivityRecipient(
                activity=activity,
                recipient=terms.get(register.Recipient, row["recipient"]),
                ground=row["ground"],
                ground_detail=row.get("ground_detail", ""),
                dossier=dossiers.get(row.get("dossier")),
            )
        )
    for row in parts["transfers"]:
        saved(
            register.Transfer(
                activity=activity,
                **{**row, "recipient": terms.get(register.Recipient, row["recipient"])},
            )
        )
    for row in parts["staff_access"]:
        saved(
            register.StaffAccess(
                activity=activity,
                staff_role=terms.get(register.StaffRole, row["role"]),
                access=row["access"],
                dossier=dossiers.get(row.get("dossier")),
            )
        )
    for row in parts["cookies"]:
        saved(register.Cookie(activity=activity, **row))
    return activity
