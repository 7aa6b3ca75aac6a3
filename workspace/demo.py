"""Load the demo boards of fixtures/demo/ into the database.

Idempotent: everything is matched by its natural key (slug, name, e-mail) and only what is
missing is created, so a second run changes nothing and never overwrites demo edits.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from breaches import services as breach_services
from breaches.models import Breach, BreachEvent, BreachMeasure
from privacyregister.models import Board, Membership, School, User
from privacyregister.reference import read_fixture
from privacyregister.services import board_setup
from processing import models as register
from processing.activity_data import (
    BoardTerms,
    activity_create_from_data,
    next_statement_position,
    saved,
)
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


@transaction.atomic
def load_demo_board(path: str, report: LoadReport) -> Board:
    data = read_fixture(path)
    board = Board.objects.filter(slug=data["board"]["slug"]).first()
    if board is None:
        board = saved(Board(**data["board"]))
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
            saved(School(board=board, **school))
            report.add("scholen")

    terms = BoardTerms(board)
    existing_activities = set(board.activities.values_list("name", flat=True))
    for activity in data["activities"]:
        if activity["name"] not in existing_activities:
            # FG comments are loaded after the users who wrote them, see load_demo_comments.
            fields = {key: value for key, value in activity.items() if key != "comments"}
            activity_create_from_data(
                board=board,
                data=fields,
                terms=terms,
                statement_position=next_statement_position(board),  # the file's order
            )
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
            saved(register.Comment(activity=activity, author=author, text=comment["text"]))
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


@transaction.atomic
def load_demo_breaches(path: str, report: LoadReport) -> None:
    """A few breaches through the same steps as in the register, so that the list, the
    dashboard and the export are filled: one just reported, one notified, one closed."""
    data = read_fixture(path)
    board = Board.objects.get(slug=data["board"]["slug"])
    if board.breaches.exists():
        return
    officer = board.memberships.filter(role="privacy_officer").earliest("pk").user
    fg = board.memberships.filter(role="fg").earliest("pk").user
    for item in data.get("breaches", []):
        breach = _demo_breach(board, item)
        if "facts" in item:
            for name, value in item["facts"].items():
                setattr(breach, name, value)
            breach_services.breach_assess(actor=officer, breach=breach)
            breach_services.breach_link(
                actor=officer,
                breach=breach,
                activities=board.activities.filter(name__in=item.get("activities", [])),
                processors=board.recipients.filter(name__in=item.get("processors", [])),
                schools=[breach.school] if breach.school else [],
            )
        if "decision" in item:
            decision = {"risk_unlikely": None, "high_risk": None} | item["decision"]
            breach_services.breach_decide(actor=officer, breach=breach, **decision)
        if "advice" in item:
            breach_services.breach_advise(actor=fg, breach=breach, advice=item["advice"])
        if "ap_notification" in item:
            notified = item["ap_notification"]
            breach_services.breach_record_ap_notification(
                actor=officer,
                breach=breach,
                notified_at=breach.aware_at + datetime.timedelta(hours=notified["hours_after"]),
                reference=notified["reference"],
            )
        for measure in item.get("measures", []):
            today = timezone.localdate()
            saved(
                BreachMeasure(
                    breach=breach,
                    description=measure["description"],
                    owner=officer,
                    due_on=today + datetime.timedelta(days=measure.get("due_in_days", 0)),
                    done_on=today if measure.get("done") else None,
                )
            )
        if item.get("close"):
            breach_services.breach_close(actor=officer, breach=breach)
        report.add("datalekken")


def _demo_breach(board: Board, item: dict) -> Breach:
    known = timezone.now() - datetime.timedelta(hours=item["hours_ago"])
    reporter = User.objects.filter(email=item.get("reported_by", "")).first()
    breach = Breach(
        board=board,
        source=item["source"],
        school=board.schools.get(slug=item["school"]),
        what_happened=item["what_happened"],
        discovered_at=known,
        aware_at=known,
        reporter_name=item.get("reporter_name", reporter.full_name if reporter else ""),
        reporter_email=item.get("reporter_email", reporter.email if reporter else ""),
    )
    breach = breach_services.breach_report(breach=breach, actor=reporter)
    # The services stamp the report with the moment of loading; a demo breach was reported when
    # the board learnt of it, so the list and the timeline read as they would have.
    breach.reported_at = known
    Breach.objects.filter(pk=breach.pk).update(reported_at=known)
    breach.events.filter(kind=BreachEvent.Kind.REPORTED).update(at=known)
    return breach


def load_demo() -> LoadReport:
    report = LoadReport()
    for path in DEMO_BOARDS:
        load_demo_board(path, report)
    load_demo_users(report)
    for path in DEMO_BOARDS:
        load_demo_comments(path, report)
        publish_demo_statements(path, report)
        load_demo_rights_requests(path, report)
        load_demo_breaches(path, report)
    return report
