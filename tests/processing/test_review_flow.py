"""A safe review flow (issue 18 point 5): four eyes, a look before approving, and deleting what
parents can read only with the right to approve."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from privacyregister.roles import Role
from processing.models import Comment, ProcessingActivity
from processing.statements import out_of_date_statements, statement_publish
from tests.factories import ActivityFactory, MembershipFactory, RetentionRuleFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def url(name: str, activity: ProcessingActivity) -> str:
    return reverse(name, kwargs={"board": activity.board.slug, "pk": activity.pk})


def edited_by(activity: ProcessingActivity, user) -> None:
    """A change of the content, saved by this person (as the edit form's service does)."""
    activity.description = "Gewijzigd"
    activity._history_user = user
    activity.save()


def in_review(board, editor) -> ProcessingActivity:
    activity = ActivityFactory.create(board=board, status="ter_review")
    edited_by(activity, editor)
    return activity


def approved_activity(board, **fields) -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, status="vastgesteld", approved_at=timezone.now(), **fields
    )
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="e", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board))
    return activity


def four_eyes(board) -> None:
    board.four_eyes = True
    board.save()


# Vier ogen


def test_on_a_four_eyes_board_the_last_editor_sees_why_instead_of_the_approve_button(
    client, officer
):
    four_eyes(officer.board)
    activity = in_review(officer.board, officer.user)
    page = client.get(url("activity_detail", activity)).text
    assert url("activity_approve", activity) not in page
    assert "U heeft deze verwerking het laatst gewijzigd" in page


def test_on_a_four_eyes_board_a_forged_approval_by_the_last_editor_changes_nothing(client, officer):
    four_eyes(officer.board)
    activity = in_review(officer.board, officer.user)
    response = client.post(
        url("activity_approve", activity), {"version": activity.version}, follow=True
    )
    assert "U heeft deze verwerking het laatst gewijzigd" in response.text
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW
    assert activity.approved_at is None


def test_on_a_four_eyes_board_a_colleague_approves_what_another_changed(client, officer):
    four_eyes(officer.board)
    colleague = MembershipFactory(board=officer.board, role=Role.PRIVACY_OFFICER).user
    activity = in_review(officer.board, colleague)
    page = client.get(url("activity_detail", activity)).text
    assert url("activity_approve", activity) in page
    response = client.post(url("activity_approve", activity), {"version": activity.version})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED
    assert activity.approved_by == officer.user


def test_putting_up_for_review_does_not_make_you_the_last_editor(client, officer):
    four_eyes(officer.board)
    colleague = MembershipFactory(board=officer.board, role=Role.PRIVACY_OFFICER).user
    activity = ActivityFactory.create(board=officer.board)
    edited_by(activity, colleague)
    client.post(url("activity_submit", activity), {"version": activity.version})
    activity.refresh_from_db()
    client.post(url("activity_approve", activity), {"version": activity.version})
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED


def test_without_four_eyes_the_last_editor_approves_their_own_change(client, officer):
    activity = in_review(officer.board, officer.user)
    assert url("activity_approve", activity) in client.get(url("activity_detail", activity)).text
    client.post(url("activity_approve", activity), {"version": activity.version})
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED


def test_the_beheerder_switches_four_eyes_on_in_the_board_settings(client, beheerder):
    settings_url = reverse("board_settings", kwargs={"board": beheerder.board.slug})
    page = client.get(settings_url)
    assert "Een collega kijkt dan altijd mee" in page.text
    data = form_data(page)
    data["four_eyes"] = "on"
    assert client.post(settings_url, data).status_code == 302
    beheerder.board.refresh_from_db()
    assert beheerder.board.four_eyes


# A look before approving


def test_the_approve_page_shows_the_open_advice_and_the_findings_before_the_button(client, officer):
    activity = ActivityFactory.create(board=officer.board, status="ter_review")
    Comment.objects.create(activity=activity, text="Leg eerst de belangenafweging vast.")
    Comment.objects.create(activity=activity, text="Al afgehandeld.", resolved_at=timezone.now())
    page = client.get(url("activity_approve", activity), {"version": activity.version}).text
    assert "Leg eerst de belangenafweging vast." in page
    assert "Al afgehandeld." not in page
    assert "Ik heb het open advies gelezen en stel de verwerking toch vast" in page
    assert "Fout" in page  # an activity without purposes has lint errors
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW


def test_with_open_advice_approving_without_the_confirmation_is_refused(client, officer):
    activity = ActivityFactory.create(board=officer.board, status="ter_review")
    Comment.objects.create(activity=activity, text="Nog niet vaststellen.")
    response = client.post(url("activity_approve", activity), {"version": activity.version})
    assert response.status_code == 200
    assert "Er is open advies. Lees het en vink dit aan" in response.text
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW


def test_with_open_advice_approving_with_the_confirmation_approves(client, officer):
    activity = ActivityFactory.create(board=officer.board, status="ter_review")
    Comment.objects.create(activity=activity, text="Nog niet vaststellen.")
    page = client.get(url("activity_approve", activity), {"version": activity.version})
    data = form_data(page, -1)
    data["advice_read"] = "on"
    assert client.post(url("activity_approve", activity), data).status_code == 302
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED


def test_without_open_advice_the_approve_page_asks_no_confirmation(client, officer):
    activity = ActivityFactory.create(board=officer.board, status="ter_review")
    page = client.get(url("activity_approve", activity))
    assert "Er is geen open advies van de FG." in page.text
    assert "advice_read" not in page.text
    assert client.post(url("activity_approve", activity), form_data(page, -1)).status_code == 302
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED


def test_the_approve_page_of_a_version_changed_since_the_detail_page_is_a_conflict(client, officer):
    activity = ActivityFactory.create(board=officer.board, status="ter_review", version=3)
    response = client.get(url("activity_approve", activity), {"version": 2})
    assert response.status_code == 409
    assert "Iemand heeft deze verwerking gewijzigd sinds u die opende" in response.text


# Deleting what parents can read


def test_a_schoolleider_cannot_delete_an_activity_of_a_published_statement_and_is_told_why(
    client, schoolleider
):
    board, school = schoolleider.board, schoolleider.school
    activity = approved_activity(board, applies_to_all_schools=False)
    activity.schools.set([school])
    officer = MembershipFactory(board=board, role=Role.PRIVACY_OFFICER).user
    statement_publish(actor=officer, board=board, school=school, change_summary="Eerste.")

    page = client.get(url("activity_delete", activity))
    assert page.status_code == 200
    assert f"Privacyverklaring {school.name} (Versie 1)" in page.text
    assert "U kunt deze verwerking niet verwijderen" in page.text
    assert "Ja, verwijderen" not in page.text
    assert client.post(url("activity_delete", activity)).status_code == 403
    assert ProcessingActivity.objects.filter(pk=activity.pk).exists()


def test_a_schoolleider_deletes_a_local_activity_no_statement_shows(client, schoolleider):
    activity = ActivityFactory.create(board=schoolleider.board, applies_to_all_schools=False)
    activity.schools.set([schoolleider.school])
    assert "Ja, verwijderen" in client.get(url("activity_delete", activity)).text
    client.post(url("activity_delete", activity))
    assert not ProcessingActivity.objects.filter(pk=activity.pk).exists()


def test_the_officer_deletes_an_activity_after_a_confirmation_naming_its_statements(
    client, officer
):
    board = officer.board
    activity = approved_activity(board, name="Camerabeelden")
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Eerste.")
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Tweede.")
    page = client.get(url("activity_delete", activity)).text
    assert f"Privacyverklaring {board.name} (Versie 2)" in page
    assert "(Versie 1)" not in page  # only the version parents read now
    assert "Ja, verwijderen" in page
    client.post(url("activity_delete", activity))
    assert not ProcessingActivity.objects.filter(pk=activity.pk).exists()


def test_deleting_an_approved_activity_makes_the_statements_that_show_it_out_of_date(officer):
    board = officer.board
    activity = approved_activity(board)
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Eerste.")
    assert out_of_date_statements(board) == []
    activity.delete()
    assert out_of_date_statements(board) == [None]
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Zonder.")
    assert out_of_date_statements(board) == []


def test_deleting_a_local_activity_makes_its_school_statement_out_of_date(officer):
    from tests.factories import SchoolFactory

    board = officer.board
    own, other = SchoolFactory(board=board), SchoolFactory(board=board)
    activity = approved_activity(board, applies_to_all_schools=False)
    activity.schools.set([own])
    for school in (None, own, other):
        statement_publish(actor=officer.user, board=board, school=school, change_summary="Een.")
    activity.delete()
    assert out_of_date_statements(board) == [None, own]


# Publishing: the changes first, and every statement that is behind at once


def publish_url(board, school=None) -> str:
    if school:
        return reverse(
            "statement_publish_school", kwargs={"board": board.slug, "school": school.slug}
        )
    return reverse("statement_publish_board", kwargs={"board": board.slug})


def test_the_publish_page_names_the_activities_added_removed_and_changed_before_the_summary(
    client, officer
):
    board = officer.board
    kept = approved_activity(board, name="Leerlingadministratie")
    removed = approved_activity(board, name="Camerabeelden")
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Eerste.")
    removed.delete()
    approved_activity(board, name="Schoolfotograaf")
    kept.description = "Nieuwe uitleg"
    kept.approved_at = timezone.now()
    kept.save()

    page = client.get(publish_url(board)).text
    changes = page[: page.index("Wat is er veranderd")]
    assert "Nieuw: Schoolfotograaf" in changes
    assert "Eruit: Camerabeelden" in changes
    assert "Gewijzigd: Leerlingadministratie" in changes


def test_the_publish_page_says_when_it_is_the_first_version_or_nothing_changed(client, officer):
    board = officer.board
    approved_activity(board)
    assert "Dit wordt de eerste versie" in client.get(publish_url(board)).text
    statement_publish(actor=officer.user, board=board, school=None, change_summary="Eerste.")
    assert "Er verandert niets aan de inhoud" in client.get(publish_url(board)).text


def behind_board(officer):
    """A board whose own statement and one school's are behind the register; another school's
    is not, a third never published."""
    from tests.factories import SchoolFactory

    board = officer.board
    behind, current, never = (
        SchoolFactory(board=board, name=n) for n in ("De Akker", "De Es", "Het Veld")
    )
    local = approved_activity(board, applies_to_all_schools=False)
    local.schools.set([behind])
    for school in (None, behind, current):
        statement_publish(actor=officer.user, board=board, school=school, change_summary="Een.")
    local.description = "Nieuw"
    local.approved_at = timezone.now()
    local.save()
    return board, behind, current, never


def test_the_overview_offers_to_publish_every_statement_that_is_behind(client, officer):
    board, behind, current, never = behind_board(officer)
    page = client.get(reverse("statement_overview", kwargs={"board": board.slug})).text
    assert "2 verklaringen lopen achter op het register" in page
    assert page.count("loopt achter") == 2
    confirm = client.get(reverse("statement_publish_out_of_date", kwargs={"board": board.slug}))
    boxes = BeautifulSoup(confirm.content, "html.parser").find_all("input", {"name": "targets"})
    offered = {box["value"]: box.has_attr("checked") for box in boxes}
    # The statements behind are ticked; a school without one of its own is offered, not ticked.
    assert offered == {"bestuur": True, f"school-{behind.pk}": True, f"school-{never.pk}": False}
    assert f"{board.name} (loopt achter)" in confirm.text
    assert f"{never.name} (nog geen eigen verklaring)" in confirm.text


def test_publishing_the_statements_together_is_the_pages_primary_button(client, officer):
    board = behind_board(officer)[0]
    confirm = client.get(reverse("statement_publish_out_of_date", kwargs={"board": board.slug}))
    button = BeautifulSoup(confirm.content, "html.parser").select_one("main form button")
    assert button.get_text() == "Aangevinkte verklaringen publiceren"
    assert "utrecht-button--primary-action" in button["class"]


def test_publishing_all_out_of_date_statements_gives_each_a_new_version_with_one_summary(
    client, officer
):
    board, behind, current, never = behind_board(officer)
    all_url = reverse("statement_publish_out_of_date", kwargs={"board": board.slug})
    data = form_data(client.get(all_url), -1)
    data["change_summary"] = "De uitleg over de verwerking is duidelijker."
    data["targets"] = [
        "bestuur",
        f"school-{behind.pk}",
    ]  # the page's hidden fields; form_data keeps one per name
    response = client.post(all_url, data, follow=True)
    assert "2 privacyverklaringen zijn gepubliceerd." in response.text
    latest = {v.school_id: v for v in board.statement_versions.order_by("number")}
    assert latest[None].number == 2 and latest[behind.pk].number == 2
    assert latest[current.pk].number == 1 and never.pk not in latest
    assert latest[behind.pk].change_summary == "De uitleg over de verwerking is duidelijker."
    assert out_of_date_statements(board) == []


def test_publishing_all_publishes_nothing_when_one_statement_has_errors(client, officer):
    board, behind, current, never = behind_board(officer)
    broken = ActivityFactory.create(board=board, status="vastgesteld", approved_at=timezone.now())
    broken.schools.set([behind])  # no purposes: a lint error in the version to publish
    broken.applies_to_all_schools = False
    broken.save()
    all_url = reverse("statement_publish_out_of_date", kwargs={"board": board.slug})
    data = form_data(client.get(all_url), -1)
    data["change_summary"] = "Bijgewerkt."
    data["targets"] = ["bestuur", f"school-{behind.pk}"]
    response = client.post(all_url, data)
    assert "Er is niets gepubliceerd" in response.text
    assert board.statement_versions.count() == 3
