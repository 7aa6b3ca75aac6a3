"""What a user may see is decided once (the visible_to queryset methods); the dashboard, the
lists and the exports show the same."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from privacyregister.access import BoardAccess
from privacyregister.roles import Role
from processing.models import ProcessingActivity
from processing.register_entries import export_activities
from rights.models import RightsRequest
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    RightsRequestFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

Status = ProcessingActivity.Status


@pytest.fixture
def schools():
    own = SchoolFactory()
    return own, SchoolFactory(board=own.board)


@pytest.fixture
def register(schools):
    """A concept, an activity in review for the whole board, one in review for the other
    school only, and approved ones for each school."""
    own, other = schools
    board = own.board
    local = ActivityFactory(board=board, status=Status.IN_REVIEW, applies_to_all_schools=False)
    local.schools.add(other)
    approved_own = ActivityFactory(
        board=board,
        status=Status.APPROVED,
        approved_at=timezone.now(),
        applies_to_all_schools=False,
    )
    approved_own.schools.add(own)
    approved_other = ActivityFactory(
        board=board,
        status=Status.APPROVED,
        approved_at=timezone.now(),
        applies_to_all_schools=False,
    )
    approved_other.schools.add(other)
    return {
        "concept": ActivityFactory(board=board),
        "in_review": ActivityFactory(board=board, status=Status.IN_REVIEW),
        "in_review_other_school": local,
        "approved_own_school": approved_own,
        "approved_other_school": approved_other,
    }


@pytest.fixture
def requests_due(schools):
    own, other = schools
    due = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "own_school": RightsRequestFactory(board=own.board, school=own, deadline=due),
        "other_school": RightsRequestFactory(board=own.board, school=other, deadline=due),
        "board": RightsRequestFactory(board=own.board, school=None, deadline=due),
    }


def member(client, schools, role: Role):
    own = schools[0]
    school = own if role in (Role.SCHOOLLEIDER, Role.MEDEWERKER) else None
    membership = MembershipFactory(board=own.board, role=role, school=school)
    client.force_login(membership.user)
    return membership


def test_the_dashboard_and_the_lists_agree_for_a_schoolleider(
    client, schools, register, requests_due
):
    membership = member(client, schools, Role.SCHOOLLEIDER)
    slug = membership.board.slug

    (summary,) = client.get(reverse("dashboard")).context["summaries"]
    in_review = client.get(
        reverse("activity_list", kwargs={"board": slug}), {"status": Status.IN_REVIEW}
    ).context["page"]
    own_in_review = client.get(
        reverse("activity_list", kwargs={"board": slug}),
        {"status": Status.IN_REVIEW, "school": schools[0].pk},
    ).context["page"]
    requests = client.get(reverse("rights_request_list", kwargs={"board": slug})).context["page"]

    # A schoolleider reads the whole register, but the dashboard shows what concerns the own
    # school (issue 18), as the register filtered on that school does; and they handle the
    # requests of the own school only.
    assert {a.name for a in summary.in_review} == {a.name for a in own_in_review}
    assert {a.name for a in summary.in_review} == {register["in_review"].name}
    assert {a.name for a in in_review} == {
        register["in_review"].name,
        register["in_review_other_school"].name,
    }
    assert {r.pk for r in summary.requests_due} == {r.pk for r in requests}
    assert {r.pk for r in requests} == {requests_due["own_school"].pk}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BEHEERDER, set()),
        (Role.SCHOOLLEIDER, set()),
        (
            Role.MEDEWERKER,
            {"concept", "in_review", "in_review_other_school", "approved_other_school"},
        ),
    ],
)
def test_the_register_list_shows_what_visible_to_allows(client, schools, register, role, expected):
    membership = member(client, schools, role)
    page = client.get(
        reverse("activity_list", kwargs={"board": membership.board.slug}), {"status": ""}
    ).context["page"]
    visible = ProcessingActivity.objects.visible_to(BoardAccess(membership.user, membership.board))

    hidden = {key for key, activity in register.items() if activity not in visible}
    assert hidden == expected
    assert {a.pk for a in page} == {a.pk for a in visible}


def test_visible_to_shows_nothing_of_another_board(schools, register):
    elsewhere = MembershipFactory(role=Role.BEHEERDER)
    access = BoardAccess(elsewhere.user, elsewhere.board)
    assert not ProcessingActivity.objects.visible_to(access).exists()
    assert not RightsRequest.objects.visible_to(access).exists()


def test_a_member_without_the_right_sees_no_requests(schools, requests_due):
    medewerker = MembershipFactory(board=schools[0].board, role=Role.MEDEWERKER, school=schools[0])
    access = BoardAccess(medewerker.user, medewerker.board)
    assert not RightsRequest.objects.visible_to(access).exists()


def test_an_export_holds_what_its_maker_may_read(schools, register):
    """Every role that exports reads the whole register today; the export asks the same
    question as the list, so a narrower role would export no more than it sees."""
    medewerker = MembershipFactory(board=schools[0].board, role=Role.MEDEWERKER, school=schools[0])
    officer = MembershipFactory(board=schools[0].board, role=Role.PRIVACY_OFFICER)

    def exported(membership):
        return set(export_activities(BoardAccess(membership.user, membership.board), {}))

    assert exported(officer) == set(register.values())
    assert exported(medewerker) == {register["approved_own_school"]}
