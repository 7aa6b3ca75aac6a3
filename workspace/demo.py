"""Load the demo boards of fixtures/demo/ into the database.

Idempotent: everything is matched by its natural key (slug, name, e-mail) and only what is
missing is created, so a second run changes nothing and never overwrites demo edits.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from privacyregister.models import Board, Membership, School, User
from privacyregister.reference import read_fixture
from privacyregister.services import board_setup
from processing import models as register
from processing.services import vocabulary_add_missing
from processing.statements import statement_publish
from retention.services import retention_rules_add_missing
from rights.models import RightsRequest
from rights.services import request_register

DEMO_BOARDS = ["demo/cpow.json", "demo/veluwse-onderwijsgroep.json"]
DEMO_USERS = "demo/users.json"
# Shown in the README and printed by `make run`; load_demo refuses to use it outside DEBUG.
DEMO_PASSWORD = "demo-privacy-2026"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


V = TypeVar("V", bound=register.Vocabulary)


class _BoardTerms:
    """Looks up a board's vocabulary terms by name, with a clear error for a typo in a fixture."""

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


def _create_activity(board: Board, data: dict, terms: _BoardTerms) -> register.ProcessingActivity:
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
    data.pop("comments", None)  # loaded after the users, see load_demo_comments
    parts = {
        key: data.pop(key, [])
        for key in (
            "dossiers",
            "purposes",
            "data",
            "sources",
            "recipients",
            "transfers",
            "staff_access",
            "cookies",
        )
    }
    activity = register.ProcessingActivity(
        board=board, applies_to_all_schools=school_slugs is None, **data
    )
    if activity.status == register.ProcessingActivity.Status.APPROVED:
        activity.approved_at = timezone.now()
    _saved(activity)
    for name, objects in m2m.items():
        getattr(activity, name).set(objects)
    if school_slugs:
        activity.schools.set(board.schools.filter(slug__in=school_slugs))
    activity.retention_rules.set(board.retention_rules.filter(name__in=rule_names))

    dossiers = {
        d["name"]: _saved(register.Dossier(activity=activity, **d)) for d in parts["dossiers"]
    }
    for purpose in parts["purposes"]:
        _saved(register.Purpose(activity=activity, **purpose))
    for row in parts["data"]:
        _saved(
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
        _saved(
            register.ActivitySource(
                activity=activity,
                source=terms.get(register.DataSource, row["source"]),
                subject_group=terms.get(register.DataSubjectGroup, group) if group else None,
                note=row.get("note", ""),
            )
        )
    for row in parts["recipients"]:
        _saved(
            register.ActivityRecipient(
                activity=activity,
                recipient=terms.get(register.Recipient, row["recipient"]),
                ground=row["ground"],
                ground_detail=row.get("ground_detail", ""),
                dossier=dossiers.get(row.get("dossier")),
            )
        )
    for row in parts["transfers"]:
        _saved(
            register.Transfer(
                activity=activity,
                **{**row, "recipient": terms.get(register.Recipient, row["recipient"])},
            )
        )
    for row in parts["staff_access"]:
        _saved(
            register.StaffAccess(
                activity=activity,
                staff_role=terms.get(register.StaffRole, row["role"]),
                access=row["access"],
                dossier=dossiers.get(row.get("dossier")),
            )
        )
    for row in parts["cookies"]:
        _saved(register.Cookie(activity=activity, **row))
    return activity


@transaction.atomic
def load_demo_board(path: str, report: LoadReport) -> Board:
    data = read_fixture(path)
    board = Board.objects.filter(slug=data["board"]["slug"]).first()
    if board is None:
        board = _saved(Board(**data["board"]))
        report.add("besturen")
    # What every board starts with, once (a no-op on a second run); then the demo's own terms.
    for label, count in board_setup(board=board).items():
        report.add(label, count)
    report.add("termen", vocabulary_add_missing(board=board, vocabularies=data["vocabularies"]))
    report.add(
        "bewaartermijnen", retention_rules_add_missing(board=board, rules=data["retention_rules"])
    )

    existing_schools = set(board.schools.values_list("slug", flat=True))
    for school in data["schools"]:
        if school["slug"] not in existing_schools:
            _saved(School(board=board, **school))
            report.add("scholen")

    terms = _BoardTerms(board)
    existing_activities = set(board.activities.values_list("name", flat=True))
    for activity in data["activities"]:
        if activity["name"] not in existing_activities:
            _create_activity(board, activity, terms)
            report.add("verwerkingen")
    return board


@transaction.atomic
def load_demo_users(report: LoadReport) -> list[User]:
    users = []
    for data in read_fixture(DEMO_USERS):
        user = User.objects.filter(email=data["email"]).first()
        if user is None:
            create = (
                User.objects.create_superuser if data.get("superuser") else User.objects.create_user
            )
            user = create(data["email"], DEMO_PASSWORD, full_name=data["full_name"])
            report.add("gebruikers")
        for membership in data["memberships"]:
            board = Board.objects.get(slug=membership["board"])
            school = (
                board.schools.get(slug=membership["school"]) if "school" in membership else None
            )
            _, created = Membership.objects.get_or_create(
                user=user, board=board, role=membership["role"], school=school
            )
            report.add("rollen", int(created))
        users.append(user)
    return users


@transaction.atomic
def load_demo_comments(path: str, report: LoadReport) -> None:
    """FG comments, after the users who wrote them exist; only on activities without any."""
    data = read_fixture(path)
    board = Board.objects.get(slug=data["board"]["slug"])
    for activity_data in data["activities"]:
        activity = board.activities.get(name=activity_data["name"])
        if activity.comments.exists():
            continue
        for comment in activity_data.get("comments", []):
            author = User.objects.get(email=comment["author"])
            _saved(register.Comment(activity=activity, author=author, text=comment["text"]))
            report.add("adviezen")


def publish_demo_statements(path: str, report: LoadReport) -> None:
    """The board statement and those of a few schools, published once by the privacy officer."""
    data = read_fixture(path)
    board = Board.objects.get(slug=data["board"]["slug"])
    officer = board.memberships.filter(role="privacy_officer").earliest("pk").user
    schools = [None, *board.schools.filter(slug__in=data["publish"]["schools"]).order_by("name")]
    for school in schools:
        if not board.statement_versions.filter(school=school).exists():
            statement_publish(
                actor=officer,
                board=board,
                school=school,
                change_summary=data["publish"]["change_summary"],
            )
            report.add("privacyverklaringen")


def load_demo_rights_requests(path: str, report: LoadReport) -> None:
    """A few open requests, received some days before today, so the dashboard has something."""
    data = read_fixture(path)
    board = Board.objects.get(slug=data["board"]["slug"])
    if board.rights_requests.exists():
        return
    officer = board.memberships.filter(role="privacy_officer").earliest("pk").user
    for item in data.get("rights_requests", []):
        fields = dict(item)
        received = timezone.localdate() - datetime.timedelta(days=fields.pop("days_ago"))
        school = board.schools.get(slug=fields.pop("school"))
        request = RightsRequest(board=board, school=school, received_on=received, **fields)
        request_register(actor=officer, rights_request=request)
        report.add("verzoeken")


def load_demo() -> LoadReport:
    report = LoadReport()
    for path in DEMO_BOARDS:
        load_demo_board(path, report)
    load_demo_users(report)
    for path in DEMO_BOARDS:
        load_demo_comments(path, report)
        publish_demo_statements(path, report)
        load_demo_rights_requests(path, report)
    return report
