"""The authorisation matrix of DESIGN.md, walked as a table against the real views.

EXPECTED is typed out here on purpose, apart from privacyregister.permissions.MATRIX: the
application must enforce what the design says, not merely what the code happens to hold.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from breaches.models import Breach
from breaches.services import breach_decide, breach_report
from privacyregister.access import BoardAccess
from privacyregister.models import Invitation, Membership
from privacyregister.permissions import MATRIX, Capability
from processing.models import Comment, DataSource, ProcessingActivity
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    BreachFactory,
    MembershipFactory,
    RetentionRuleFactory,
    RightsRequestFactory,
    SchoolFactory,
    UserFactory,
)

ROLES = ["beheerder", "privacy_officer", "fg", "schoolleider", "medewerker"]
B, S = "board", "school"

EXPECTED = {
    "view_register": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": B},
    "view_approved_register": {
        "beheerder": B,
        "privacy_officer": B,
        "fg": B,
        "schoolleider": B,
        "medewerker": S,
    },
    "edit_activity": {"beheerder": B, "privacy_officer": B, "schoolleider": S},
    "approve_activity": {"beheerder": B, "privacy_officer": B},
    "publish_statement": {"beheerder": B, "privacy_officer": B},
    "comment_activity": {"fg": B},
    "view_history": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": S},
    "export_register": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": S},
    # Issue 19: importing the register's spreadsheet writes across the whole board.
    "import_register": {"beheerder": B, "privacy_officer": B},
    "manage_retention": {"beheerder": B, "privacy_officer": B},
    "view_rights_requests": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": S},
    "handle_rights_requests": {"beheerder": B, "privacy_officer": B, "schoolleider": S},
    "manage_members": {"beheerder": B},
    "manage_schools": {"beheerder": B},
    # Issue 17: the statement facts of the board (contact, FG, documents, logo, colour).
    "manage_board": {"beheerder": B},
    "view_matrix": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": B},
    # Not in DESIGN.md's table: the audit log (issue 11) for the beheerder and the FG.
    "view_audit_log": {"beheerder": B, "fg": B},
    # Issue 20: anyone may report a data breach (the public on the board's public page); the
    # privacy officer and beheerder handle breaches, the FG advises, a school leader sees their own.
    "report_breach": {
        "beheerder": B,
        "privacy_officer": B,
        "fg": B,
        "schoolleider": B,
        "medewerker": B,
    },
    "view_breaches": {"beheerder": B, "privacy_officer": B, "fg": B, "schoolleider": S},
    "handle_breaches": {"beheerder": B, "privacy_officer": B},
    "advise_breaches": {"fg": B},
}

# Where the object of a URL lies, seen from a user whose own school is `own`.
OWN, OTHER_SCHOOL, WHOLE_BOARD, OTHER_BOARD = "own", "other_school", "whole_board", "other_board"


@dataclass
class Row:
    url_name: str
    capability: str
    target: str | None = None  # None: a page of the board itself
    method: str = "get"
    ok: int = 200
    board_only: bool = False  # school scope is not enough: it concerns the whole board
    also: str | None = None  # a second capability that is enough on its own


ROWS = [
    Row("board_home", "view_approved_register", ok=302),
    Row("matrix", "view_matrix"),
    Row("audit_log", "view_audit_log"),
    Row("members", "manage_members"),
    Row("membership_revoke", "manage_members", target="membership"),
    Row("invitation_withdraw", "manage_members", target="invitation", method="post", ok=302),
    Row("schools", "manage_schools"),
    Row("school_edit", "manage_schools", target="school"),
    Row("school_create", "manage_schools"),
    Row("school_archive", "manage_schools", target="school"),
    # The world's schools are not archived: the view says so and goes back to the list.
    Row("school_restore", "manage_schools", target="school", method="post", ok=302),
    Row("board_settings", "manage_board"),
    Row("activity_list", "view_approved_register"),
    Row("activity_create", "edit_activity"),
    Row("activity_detail", "view_approved_register", target="activity"),
    Row("activity_access", "view_approved_register", target="activity"),
    Row("activity_comments", "view_register", target="activity"),
    Row("activity_edit", "edit_activity", target="activity"),
    Row("activity_edit_part", "edit_activity", target="part"),
    Row("activity_submit", "edit_activity", target="activity", method="post", ok=302),
    # A look first (issue 18): the open advice and the findings, then the button that counts.
    Row("activity_approve", "approve_activity", target="activity"),
    Row("activity_approve", "approve_activity", target="activity", method="post", ok=302),
    Row("activity_delete", "edit_activity", target="activity"),
    Row("activity_copy", "edit_activity", target="activity", board_only=True),
    Row("catalogue", "edit_activity", board_only=True),
    Row("catalogue_seen", "edit_activity", target="activity", method="post", ok=302),
    Row("comment_add", "comment_activity", target="activity"),
    Row("comment_resolve", "approve_activity", target="comment"),
    Row("activity_history", "view_history", target="activity"),
    Row("activity_restore", "edit_activity", target="record"),
    Row("lint", "view_register"),
    Row("statement_overview", "view_register"),
    Row("export", "export_register"),
    Row("rights_request_list", "view_rights_requests"),
    Row("rights_request_create", "handle_rights_requests"),
    Row("rights_request_detail", "view_rights_requests", target="request"),
    Row("rights_request_letter", "handle_rights_requests", target="letter"),
    Row("rights_request_action", "handle_rights_requests", target="action", method="post", ok=302),
    Row("breach_list", "view_breaches"),
    Row("breach_detail", "view_breaches", target="breach"),
    Row("breach_history", "view_breaches", target="breach"),
    Row("breach_start", "handle_breaches", target="breach", method="post", ok=302),
    Row("breach_link", "handle_breaches", target="breach"),
    Row("breach_facts", "handle_breaches", target="breach"),
    Row("breach_decide", "handle_breaches", target="breach"),
    Row("breach_measures", "handle_breaches", target="breach"),
    Row("breach_close", "handle_breaches", target="breach"),
    # Nothing chosen and no motivation: the page again, with what is missing.
    Row("breach_flood_dismiss", "handle_breaches", method="post", ok=400, board_only=True),
    # The world's breaches are open: the view says so and goes back to the breach.
    Row("breach_reopen", "handle_breaches", target="breach", method="post", ok=302),
    Row("breach_advise", "advise_breaches", target="breach"),
    Row("report_breach", "report_breach"),
    Row("retention_schedule", "view_register"),
    Row("retention_schedule_download", "view_register", target="sheet"),
    Row("retention_rule_create", "manage_retention"),
    Row("retention_rule_adopt", "manage_retention", method="post", ok=302),
    Row("retention_rule_edit", "manage_retention", target="rule"),
    Row("retention_rule_delete", "manage_retention", target="rule"),
    Row("retention_calculator", "view_register"),
    Row("retention_calendar", "view_register"),
    Row("export_download", "export_register", target="format", method="post", ok=302),
    # Only the maker downloads an export file or asks for it again: everyone else finds nothing.
    Row("export_file", "export_register", target="missing", ok=404),
    Row("export_retry", "export_register", target="missing", method="post", ok=404),
    Row("register_import", "import_register"),
    Row("register_import_template", "import_register"),
    Row("register_import", "import_register", method="post", ok=400),  # no file: the form again
    # Only the uploader sees an import or commits it: everyone else finds nothing.
    Row("register_import_detail", "import_register", target="missing", ok=404),
    Row("register_import_commit", "import_register", target="missing", method="post", ok=404),
    Row("register_import_retry", "import_register", target="missing", method="post", ok=404),
    Row("statement_publish_board", "publish_statement"),
    Row("statement_publish_out_of_date", "publish_statement"),
    Row("statement_order", "publish_statement"),
    Row("statement_order", "publish_statement", method="post"),  # nothing chosen: the page again
    Row("statement_publish_school", "publish_statement", target="school"),
    Row("term_list", "view_register", target="kind"),
    Row("term_create", "edit_activity", target="kind", board_only=True),
    Row("term_edit", "edit_activity", target="term", board_only=True),
    Row("term_delete", "edit_activity", target="term", board_only=True),
    # The AP draft is for who handles the breach and for the FG who advises on it.
    Row("breach_ap_notification", "handle_breaches", target="breach", also="advise_breaches"),
    Row("breach_ap_notification_pdf", "handle_breaches", target="breach", also="advise_breaches"),
    Row("breach_subjects_letter", "handle_breaches", target="breach"),
    # Nothing filled in: the AP page again with the form's errors.
    Row("breach_record_ap_notification", "handle_breaches", target="breach", method="post", ok=400),
    Row(
        "breach_record_subjects_informed",
        "handle_breaches",
        target="breach",
        method="post",
        ok=400,
    ),
]

# Capabilities whose pages arrive with later issues are checked at the access layer below.
ON_ACTIVITIES = [OWN, OTHER_SCHOOL, WHOLE_BOARD, OTHER_BOARD]
PLACES = {
    "activity": ON_ACTIVITIES,
    "comment": ON_ACTIVITIES,
    "record": ON_ACTIVITIES,
    "part": ON_ACTIVITIES,
    "school": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    "membership": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    "invitation": [OWN, OTHER_BOARD],
    "term": [OWN, OTHER_BOARD],
    "kind": [OWN, OTHER_BOARD],
    "format": [OWN, OTHER_BOARD],
    "missing": [OWN, OTHER_BOARD],
    "sheet": [OWN, OTHER_BOARD],
    "request": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    "letter": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    "action": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    "rule": [OWN, OTHER_BOARD],
    "breach": [OWN, OTHER_SCHOOL, OTHER_BOARD],
    None: [OWN, OTHER_BOARD],
}
# Targets that belong to one school; the others concern the board as a whole.
SCHOOL_BOUND = {
    "activity",
    "comment",
    "record",
    "part",
    "school",
    "request",
    "letter",
    "action",
    "breach",
}


def expected_status(role: str | None, row: Row, place: str) -> int:
    if place == OTHER_BOARD or role is None:
        return 404
    scope = EXPECTED[row.capability].get(role)
    if scope is None and row.also:
        scope = EXPECTED[row.also].get(role)
    if scope == S and row.board_only:
        scope = None
    if scope == S and row.target in SCHOOL_BOUND:
        own_activity = place == OWN or (place == WHOLE_BOARD and row.capability != "edit_activity")
        allowed = own_activity
    else:
        allowed = scope is not None
    return row.ok if allowed else 403


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Board A with the user's own school and another school; board B elsewhere."""
    with django_db_blocker.unblock(), transaction.atomic():
        board = BoardFactory(slug="bestuur-a")
        own, other = SchoolFactory(board=board), SchoolFactory(board=board)
        foreign_board = BoardFactory(slug="bestuur-b")
        foreign_school = SchoolFactory(board=foreign_board)
        users = {}
        for role in ROLES:
            school = own if role in ("schoolleider", "medewerker") else None
            users[role] = MembershipFactory(board=board, role=role, school=school).user
        # The outsider holds a role, but in board B only.
        users[None] = MembershipFactory(board=foreign_board, role="privacy_officer").user

        def activity(in_board, schools):
            made = ActivityFactory(
                board=in_board,
                status=ProcessingActivity.Status.APPROVED,
                approved_at=timezone.now(),
                applies_to_all_schools=schools is None,
            )
            made.schools.set(schools or [])
            return made

        def breach(school):
            # Decided: notify the AP and inform the people, so that the letter exists.
            reported = breach_report(
                breach=BreachFactory.build(
                    board=school.board, school=school, source=Breach.Source.STAFF
                )
            )
            return breach_decide(
                actor=users["privacy_officer"],
                breach=reported,
                personal_data_involved=True,
                risk_unlikely=False,
                high_risk=True,
                motivation="Hoog risico.",
            )

        def membership(school):
            return MembershipFactory(board=school.board, role="medewerker", school=school)

        activities = {
            OWN: activity(board, [own]),
            OTHER_SCHOOL: activity(board, [other]),
            WHOLE_BOARD: activity(board, None),
            OTHER_BOARD: activity(foreign_board, None),
        }
        objects = {
            "activity": activities,
            "comment": {
                place: Comment.objects.create(activity=made, text="Advies")
                for place, made in activities.items()
            },
            "request": {
                OWN: RightsRequestFactory(board=board, school=own),
                OTHER_SCHOOL: RightsRequestFactory(board=board, school=other),
                OTHER_BOARD: RightsRequestFactory(board=foreign_board, school=foreign_school),
            },
            "breach": {
                OWN: breach(own),
                OTHER_SCHOOL: breach(other),
                OTHER_BOARD: breach(foreign_school),
            },
            "rule": {
                OWN: RetentionRuleFactory(board=board),
                OTHER_BOARD: RetentionRuleFactory(board=foreign_board),
            },
            "term": {
                OWN: DataSource.objects.create(board=board, name="Ongebruikte bron"),
                OTHER_BOARD: DataSource.objects.create(
                    board=foreign_board, name="Ongebruikte bron"
                ),
            },
            "school": {OWN: own, OTHER_SCHOOL: other, OTHER_BOARD: foreign_school},
            "membership": {
                OWN: membership(own),
                OTHER_SCHOOL: membership(other),
                OTHER_BOARD: membership(foreign_school),
            },
            "invitation": {
                OWN: Invitation.objects.create(board=board, email="nieuw@a.nl", role="fg"),
                OTHER_BOARD: Invitation.objects.create(
                    board=foreign_board, email="nieuw@b.nl", role="fg"
                ),
            },
        }
        yield {"board": board, "foreign_board": foreign_board, "users": users, "objects": objects}
        transaction.set_rollback(True)


def url_for(world, row: Row, place: str) -> str:
    on_foreign_board = place == OTHER_BOARD and row.target in (
        None,
        "kind",
        "format",
        "missing",
        "sheet",
    )
    kwargs = {"board": (world["foreign_board"] if on_foreign_board else world["board"]).slug}
    objects = world["objects"]
    if row.target in ("activity", "comment", "record", "part"):
        activity = objects["activity"][place]
        kwargs["pk"] = activity.pk
        if row.target == "part":
            kwargs["part"] = "doelen"
        if row.target == "comment":
            kwargs["comment"] = objects["comment"][place].pk
        if row.target == "record":
            # The version as it stands, with its schools: restoring an older version that
            # concerned other schools needs the right for those too (test_restore.py).
            kwargs["record"] = activity.history.latest("history_date").history_id
    elif row.target == "school":
        kwargs["school"] = objects["school"][place].slug
    elif row.target in ("membership", "invitation"):
        kwargs["pk"] = objects[row.target][place].pk
    elif row.target == "kind":
        kwargs["kind"] = "bronnen"
    elif row.target == "format":
        kwargs["format"] = "csv"
    elif row.target == "missing":
        kwargs["pk"] = 999_999
    elif row.target == "sheet":
        kwargs["format"] = "xlsx"
    elif row.target in ("request", "letter", "action"):
        kwargs["pk"] = objects["request"][place].pk
        if row.target == "letter":
            kwargs["kind"] = "ontvangst"
        if row.target == "action":
            kwargs["action"] = "in-behandeling"
    elif row.target in ("rule", "breach"):
        kwargs["pk"] = objects[row.target][place].pk
    elif row.target == "term":
        kwargs["kind"] = "bronnen"
        kwargs["pk"] = objects["term"][place].pk
    return reverse(row.url_name, kwargs=kwargs)


def data_for(world, row: Row, place: str) -> dict:
    """What the page's button posts: the buttons on an activity send the version shown."""
    if row.method == "post" and row.target == "activity":
        # "Gezien" sends the catalogue version it showed, "Vaststellen" that the open advice
        # (every activity here has some) was read; the other buttons ignore these.
        return {
            "version": world["objects"]["activity"][place].version,
            "catalogue_version": 1,
            "advice_read": "on",
        }
    return {}


CASES = [
    pytest.param(role, row, place, id=f"{role or 'outsider'}-{row.url_name}-{place}")
    for row in ROWS
    for role in [*ROLES, None]
    for place in PLACES[row.target]
    if not (role is None and place == OTHER_BOARD)  # the outsider's own board
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "row", "place"), CASES)
def test_the_views_enforce_the_matrix(client, world, role, row, place):
    client.force_login(world["users"][role])
    response = getattr(client, row.method)(url_for(world, row, place), data_for(world, row, place))
    assert response.status_code == expected_status(role, row, place)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.url_name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, row):
    response = getattr(client, row.method)(url_for(world, row, OWN))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def board_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith("b/<slug:board>/"):
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_board_url_has_a_row_in_this_table():
    assert board_url_names() == {row.url_name for row in ROWS}


def test_the_matrix_module_says_what_the_design_says():
    as_data = {
        capability: {role: scope for role in ROLES if (scope := MATRIX[role].get(capability))}
        for capability in Capability
    }
    assert as_data == EXPECTED


ACCESS_CASES = [
    pytest.param(role, capability, place, id=f"{role}-{capability}-{place}")
    for role in ROLES
    for capability in EXPECTED
    for place in [OWN, OTHER_SCHOOL, WHOLE_BOARD]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "capability", "place"), ACCESS_CASES)
def test_the_access_layer_follows_the_matrix_for_every_capability(world, role, capability, place):
    access = BoardAccess(world["users"][role], world["board"])
    activity = world["objects"]["activity"][place]
    scope = EXPECTED[capability].get(role)
    if scope == B:
        expected = True
    elif scope == S:
        expected = place == OWN or (place == WHOLE_BOARD and capability != "edit_activity")
    else:
        expected = False
    assert access.can(capability, **activity.reach()) is expected


@pytest.mark.django_db
def test_access_read_for_several_users_at_once_is_each_users_own(world, django_assert_num_queries):
    users = list(world["users"].values())  # every role, and the outsider of board B
    with django_assert_num_queries(1):
        together = BoardAccess.for_users(users, world["board"])
        answers = [{c: a.scope(c) for c in Capability} for a in together]
    alone = [{c: BoardAccess(user, world["board"]).scope(c) for c in Capability} for user in users]
    assert [a.user for a in together] == users
    assert answers == alone


@pytest.mark.django_db
def test_an_employee_sees_only_approved_activities_of_their_own_school(client, world):
    concept = ActivityFactory(board=world["board"], applies_to_all_schools=True)
    client.force_login(world["users"]["medewerker"])
    listed = client.get(reverse("activity_list", kwargs={"board": "bestuur-a"})).context["page"]
    assert set(listed.object_list) == {
        world["objects"]["activity"][OWN],
        world["objects"]["activity"][WHOLE_BOARD],
    }
    detail = reverse("activity_detail", kwargs={"board": "bestuur-a", "pk": concept.pk})
    assert client.get(detail).status_code == 403


@pytest.mark.django_db
def test_a_role_revoked_in_the_app_loses_access_at_once(client, world):
    user = world["users"]["fg"]
    client.force_login(user)
    url = reverse("matrix", kwargs={"board": "bestuur-a"})
    assert client.get(url).status_code == 200
    Membership.objects.get(user=user, board=world["board"]).delete()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_user_without_any_role_gets_404_for_every_board_page(client, world):
    client.force_login(UserFactory())
    for row in ROWS:
        assert getattr(client, row.method)(url_for(world, row, OWN)).status_code == 404
