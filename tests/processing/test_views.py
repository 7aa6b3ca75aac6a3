import pytest
from django.urls import reverse
from django.utils import timezone

from privacyregister.models import Role
from processing.models import ProcessingActivity
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory, SubjectGroupFactory

pytestmark = pytest.mark.django_db


def url(name: str, activity: ProcessingActivity) -> str:
    return reverse(name, kwargs={"board": activity.board.slug, "pk": activity.pk})


def test_a_schoolleider_edits_a_local_activity_but_cannot_widen_its_reach(client):
    school = SchoolFactory()
    other = SchoolFactory(board=school.board)
    leader = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    activity = ActivityFactory(board=school.board, applies_to_all_schools=False)
    activity.schools.set([school])
    client.force_login(leader.user)
    response = client.post(
        url("activity_edit", activity),
        {
            "name": "Cameratoezicht",
            "description": "Camera's bij de ingang.",
            "applies_to_all_schools": "on",
            "schools": [school.pk, other.pk],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Cameratoezicht"
    assert not activity.applies_to_all_schools
    assert list(activity.schools.all()) == [school]


def test_an_activity_for_no_school_at_all_is_refused(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=officer.board)
    client.force_login(officer.user)
    response = client.post(
        url("activity_edit", activity), {"name": "X", "description": "Y", "schools": []}
    )
    assert "Kies de scholen waarvoor deze verwerking geldt." in response.content.decode()


def test_subject_groups_of_another_board_cannot_be_chosen(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=officer.board)
    foreign = SubjectGroupFactory()
    client.force_login(officer.user)
    response = client.post(
        url("activity_edit", activity),
        {
            "name": "X",
            "description": "Y",
            "applies_to_all_schools": "on",
            "subject_groups": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert not activity.subject_groups.exists()


def test_approving_records_who_and_when_and_keeps_history(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=officer.board)
    client.force_login(officer.user)
    client.post(url("activity_approve", activity))
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED
    assert activity.approved_by == officer.user
    history = client.get(url("activity_history", activity)).content.decode()
    assert str(officer.user) in history
    assert "vastgesteld" in history


def test_approving_needs_a_post(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=officer.board)
    client.force_login(officer.user)
    assert client.get(url("activity_approve", activity)).status_code == 405


def test_the_fg_gives_advice(client):
    fg = MembershipFactory(role=Role.FG)
    activity = ActivityFactory(board=fg.board)
    client.force_login(fg.user)
    client.post(url("activity_advice", activity), {"fg_advice": "Leg de belangenafweging vast."})
    activity.refresh_from_db()
    assert activity.fg_advice == "Leg de belangenafweging vast."
    assert (
        "Leg de belangenafweging vast."
        in client.get(url("activity_detail", activity)).content.decode()
    )


def test_the_activity_list_makes_the_same_number_of_queries_for_many_activities(
    client, django_assert_max_num_queries
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    school = SchoolFactory(board=officer.board)
    group = SubjectGroupFactory(board=officer.board)
    client.force_login(officer.user)
    list_url = reverse("activity_list", kwargs={"board": officer.board.slug})

    def add(count: int) -> None:
        for _ in range(count):
            activity = ActivityFactory(board=officer.board, applies_to_all_schools=False)
            activity.schools.add(school)
            activity.subject_groups.add(group)

    add(2)
    with django_assert_max_num_queries(16) as few:
        client.get(list_url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url)


def test_dates_are_shown_in_dutch(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(
        board=officer.board, next_review_on=timezone.datetime(2025, 11, 1).date()
    )
    client.force_login(officer.user)
    assert "1 november 2025" in client.get(url("activity_detail", activity)).content.decode()
