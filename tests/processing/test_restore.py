"""Restoring an earlier version may not give an activity a reach the user may not edit."""

import pytest
from django.urls import reverse

from privacyregister.roles import Role
from processing import services
from processing.models import ProcessingActivity
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def url(name: str, activity: ProcessingActivity, **kwargs) -> str:
    return reverse(name, kwargs={"board": activity.board.slug, "pk": activity.pk, **kwargs})


@pytest.fixture
def school():
    return SchoolFactory()


@pytest.fixture
def leader(client, school):
    membership = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    client.force_login(membership.user)
    return membership


def narrowed(activity: ProcessingActivity, schools) -> None:
    """Make an activity local to these schools, as the privacy officer would (a new version)."""
    activity.applies_to_all_schools = False
    activity.save()
    activity.schools.set(schools)


def test_a_schoolleider_cannot_restore_a_version_that_applied_to_all_schools(
    client, school, leader
):
    activity = ActivityFactory(board=school.board, description="Voor alle scholen")
    board_wide = activity.history.latest("history_date")
    narrowed(activity, [school])
    restore = url("activity_restore", activity, record=board_wide.history_id)

    assert client.get(restore).status_code == 403
    assert client.post(restore).status_code == 403
    activity.refresh_from_db()
    assert not activity.applies_to_all_schools
    assert list(activity.schools.all()) == [school]


def test_a_schoolleider_cannot_restore_a_version_of_another_school(client, school, leader):
    other = SchoolFactory(board=school.board)
    activity = ActivityFactory(board=school.board)
    narrowed(activity, [other])
    of_other_school = activity.history.latest("history_date")
    activity.schools.set([school])

    response = client.post(url("activity_restore", activity, record=of_other_school.history_id))
    assert response.status_code == 403
    assert list(activity.schools.all()) == [school]


def test_a_schoolleider_restores_a_version_of_their_own_school(client, school, leader):
    activity = ActivityFactory(board=school.board, description="Eerste versie")
    narrowed(activity, [school])
    own = activity.history.latest("history_date")
    activity.description = "Tweede versie"
    activity.save()

    response = client.post(
        url("activity_restore", activity, record=own.history_id), {"version": activity.version}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.description == "Eerste versie"
    assert list(activity.schools.all()) == [school]


def test_the_history_offers_to_restore_only_versions_the_user_may_restore(client, school, leader):
    activity = ActivityFactory(board=school.board)
    board_wide = activity.history.latest("history_date")
    narrowed(activity, [school])
    own = activity.history.latest("history_date")
    activity.description = "Nieuwste versie"
    activity.save()

    page = client.get(url("activity_history", activity)).text
    assert url("activity_restore", activity, record=own.history_id) in page
    assert url("activity_restore", activity, record=board_wide.history_id) not in page


def test_a_privacy_officer_may_restore_a_version_that_applied_to_all_schools(client, school):
    officer = MembershipFactory(board=school.board, role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    activity = ActivityFactory(board=school.board)
    board_wide = activity.history.latest("history_date")
    narrowed(activity, [school])

    assert (
        url("activity_restore", activity, record=board_wide.history_id)
        in client.get(url("activity_history", activity)).text
    )
    client.post(
        url("activity_restore", activity, record=board_wide.history_id),
        {"version": activity.version},
    )
    activity.refresh_from_db()
    assert activity.applies_to_all_schools


def test_the_schools_of_any_number_of_versions_are_read_in_one_query(
    school, django_assert_num_queries
):
    activity = ActivityFactory(board=school.board)
    narrowed(activity, [school])
    for n in range(12):
        activity.description = f"Versie {n}"
        activity.save()
    records = list(activity.history.all())

    with django_assert_num_queries(1):
        reaches = services.record_reaches(records)
    assert len(reaches) == len(records)
    assert reaches[records[-1].history_id] == {"whole_board": True}  # the first version
    assert reaches[records[0].history_id] == {"schools": [school.pk]}  # the latest


def test_restoring_over_a_version_changed_since_the_page_was_opened_is_a_conflict(
    client, school, leader
):
    activity = ActivityFactory(board=school.board, description="Eerste versie")
    narrowed(activity, [school])
    first = activity.history.latest("history_date")
    restore = url("activity_restore", activity, record=first.history_id)
    seen = ProcessingActivity.objects.get(pk=activity.pk).version
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["description"] = "Intussen door een ander opgeslagen"
    assert (
        client.post(url("activity_edit_part", activity, part="beschrijving"), data).status_code
        == 302
    )

    response = client.post(restore, {"version": seen})
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.description == "Intussen door een ander opgeslagen"
    assert client.post(restore).status_code == 400  # without the version seen
