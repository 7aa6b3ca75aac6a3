"""Approving and submitting act on the version the user saw, never on a later one."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from processing import services
from processing.models import ProcessingActivity
from tests.factories import ActivityFactory, UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def url(name: str, activity: ProcessingActivity, **kwargs) -> str:
    return reverse(name, kwargs={"board": activity.board.slug, "pk": activity.pk, **kwargs})


def button_form(client, activity: ProcessingActivity, action: str) -> dict:
    """What the button on the activity page posts, as the browser would send it."""
    page = client.get(url("activity_detail", activity))
    forms = BeautifulSoup(page.content, "html.parser").find_all("form")
    index = next(i for i, form in enumerate(forms) if form.get("action") == url(action, activity))
    return form_data(page, index)


def edited_elsewhere(client, activity: ProcessingActivity, description: str) -> None:
    """Someone saves a change in another browser."""
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["description"] = description
    assert (
        client.post(url("activity_edit_part", activity, part="beschrijving"), data).status_code
        == 302
    )


def test_the_approve_button_carries_the_version_on_the_page(client, officer):
    activity = ActivityFactory(board=officer.board, status="ter_review", version=4)
    assert button_form(client, activity, "activity_approve")["version"] == "4"


def test_approving_what_was_on_the_page_approves_it_and_the_history_shows_it(client, officer):
    activity = ActivityFactory(board=officer.board, status="ter_review")
    response = client.post(
        url("activity_approve", activity), button_form(client, activity, "activity_approve")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED
    assert activity.approved_by == officer.user
    approval = activity.history.latest("history_date")
    assert approval.status == ProcessingActivity.Status.APPROVED
    assert approval.history_user == officer.user
    history = client.get(url("activity_history", activity)).text
    assert "<del>ter review</del>" in history and "<ins>vastgesteld</ins>" in history


def test_approving_a_version_changed_since_the_page_was_opened_is_a_conflict(client, officer):
    activity = ActivityFactory(board=officer.board, status="ter_review", description="Gezien")
    seen = button_form(client, activity, "activity_approve")
    edited_elsewhere(client, activity, "Ongezien")

    response = client.post(url("activity_approve", activity), seen)
    assert response.status_code == 409
    assert "Iemand heeft deze verwerking gewijzigd sinds u die opende" in response.text
    assert "Ongezien" in response.text  # what changed meanwhile
    assert url("activity_detail", activity) in response.text  # look at it again
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW
    assert activity.approved_at is None


def test_submitting_a_version_changed_since_the_page_was_opened_is_a_conflict(client, officer):
    activity = ActivityFactory(board=officer.board, description="Gezien")
    seen = button_form(client, activity, "activity_submit")
    edited_elsewhere(client, activity, "Ongezien")

    response = client.post(url("activity_submit", activity), seen)
    assert response.status_code == 409
    assert "Ongezien" in response.text
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.CONCEPT


def test_submitting_what_was_on_the_page_puts_it_up_for_review(client, officer):
    activity = ActivityFactory(board=officer.board)
    response = client.post(
        url("activity_submit", activity), button_form(client, activity, "activity_submit")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW


@pytest.mark.parametrize("status", ["ter_review", "vastgesteld"])
def test_only_a_concept_can_be_put_up_for_review(client, officer, status):
    activity = ActivityFactory(board=officer.board, status=status, approved_at=timezone.now())
    detail = client.get(url("activity_detail", activity))
    assert "Ter review aanbieden" not in detail.text

    response = client.post(url("activity_submit", activity), {"version": activity.version})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == status
    assert "Alleen een concept kan ter review worden aangeboden." in client.get(response.url).text


@pytest.mark.parametrize("action", ["activity_approve", "activity_submit"])
@pytest.mark.parametrize("data", [{}, {"version": ""}, {"version": "vier"}])
def test_a_missing_or_garbled_version_is_a_bad_request(client, officer, action, data):
    activity = ActivityFactory(board=officer.board, status="ter_review")
    response = client.post(url(action, activity), data)
    assert response.status_code == 400
    assert "Dit verzoek klopt niet" in response.text
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW


def test_approving_writes_only_the_approval_not_a_stale_copy_of_the_activity(officer):
    activity = ActivityFactory(board=officer.board, status="ter_review", description="Oud")
    stale = ProcessingActivity.objects.get(pk=activity.pk)
    # A change that does not go through the edit form, such as one in the admin.
    ProcessingActivity.objects.filter(pk=activity.pk).update(description="Nieuw")

    services.activity_approve(actor=officer.user, activity=stale, expected_version=stale.version)
    activity.refresh_from_db()
    assert activity.description == "Nieuw"
    assert activity.status == ProcessingActivity.Status.APPROVED
    assert activity.approved_at <= timezone.now()
    assert activity.history.latest("history_date").description == "Nieuw"


def test_the_history_names_who_submitted_and_approved_also_without_a_request():
    # A command or a job calls the services without a request for simple-history to read the
    # user from: the actor given to the service is the one the history names.
    author, approver = UserFactory.create(), UserFactory.create()
    activity = ActivityFactory.create(status="concept", version=1)
    services.activity_submit_for_review(actor=author, activity=activity, expected_version=1)
    services.activity_approve(actor=approver, activity=activity, expected_version=2)
    latest_first = activity.history.order_by("-history_id")
    assert [record.history_user for record in latest_first[:2]] == [approver, author]


def test_the_history_names_who_restored_a_version_also_without_a_request():
    restorer = UserFactory.create()
    activity = ActivityFactory.create(description="Eerst", version=1)
    activity.purposes.create(description="Doel", legal_basis="e")
    first = activity.history.earliest("history_id")
    activity.description = "Later"
    activity.version = 2
    activity.save()
    services.activity_restore(actor=restorer, activity=activity, record=first, expected_version=2)
    assert activity.history.latest("history_id").history_user == restorer
    assert activity.purposes.get().history.latest("history_id").history_user == restorer


def test_the_approve_pages_improve_links_open_the_part_that_holds_the_field(client, officer):
    # The link pointed at the activity's task list (activity_edit) with the field's anchor,
    # which is not on that page.
    activity = ActivityFactory(board=officer.board, status="ter_review")
    page = BeautifulSoup(client.get(url("activity_approve", activity)).content, "html.parser")
    links = [a["href"] for a in page.find_all("a", string="Verbeteren")]
    assert links
    for link in links:
        path, anchor = link.split("#")
        assert path.startswith(url("activity_edit", activity)) and path != url(
            "activity_edit", activity
        )
        part = BeautifulSoup(client.get(path).content, "html.parser")
        assert part.find(id=anchor) is not None
