import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from privacyregister.roles import Role
from processing.models import Comment, ProcessingActivity
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    SchoolFactory,
    SubjectGroupFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def url(name: str, activity: ProcessingActivity, **kwargs) -> str:
    return reverse(name, kwargs={"board": activity.board.slug, "pk": activity.pk, **kwargs})


def test_a_privacy_officer_creates_an_activity_part_by_part_from_the_task_list(client, officer):
    board = officer.board
    pupils = SubjectGroupFactory(board=board, name="Leerlingen")
    health = DataCategoryFactory(
        board=board, name="Gezondheid", kind="bijzonder", special_type="gezondheid"
    )
    ggd = RecipientFactory(board=board, name="GGD", kind="zorgpartner")
    create = reverse("activity_create", kwargs={"board": board.slug})
    data = form_data(client.get(create))
    data.update(
        {
            "name": "Leerlingzorg",
            "description": "Wij helpen leerlingen die extra zorg nodig hebben.",
            "applies_to_all_schools": "on",
        }
    )
    response = client.post(create, data)
    activity = board.activities.get(name="Leerlingzorg")
    assert response.status_code == 302
    assert response["Location"] == url("activity_edit", activity)  # on to the task list
    assert activity.owner == officer.user
    for part, changes in [
        (
            "gegevens",
            {
                "subject_groups": [str(pupils.pk)],
                "gegevens-0-category": str(health.pk),
                "gegevens-0-subject_group": str(pupils.pk),
            },
        ),
        (
            "doelen",
            {
                "doelen-0-description": "Passend onderwijs bieden",
                "doelen-0-legal_basis": "c",
                "doelen-0-legal_basis_detail": "Wet passend onderwijs",
                "doelen-0-special_category_exception": "g",
            },
        ),
        ("ontvangers", {"ontvangers-0-recipient": str(ggd.pk), "ontvangers-0-ground": "a"}),
    ]:
        data = form_data(client.get(url("activity_edit_part", activity, part=part)))
        data.update(changes)
        response = client.post(url("activity_edit_part", activity, part=part), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert activity.purposes.get().special_category_exception == "g"
    assert activity.data_categories.get().category == health
    assert activity.recipients.get().recipient == ggd


def test_the_add_row_button_gives_another_purpose_row_and_keeps_the_input(client, officer):
    activity = ActivityFactory(board=officer.board)
    page = url("activity_edit_part", activity, part="doelen")
    data = form_data(client.get(page))
    data.update({"doelen-0-description": "Eerste doel", "meer": "doelen"})
    response = client.post(page, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="doelen-1-description"' in content
    assert "Eerste doel" in content
    assert not activity.purposes.exists()


def test_bad_input_keeps_everything_on_screen_with_dutch_messages(client, officer):
    create = reverse("activity_create", kwargs={"board": officer.board.slug})
    data = form_data(client.get(create))
    data.update({"name": "", "description": "Mijn uitleg"})
    response = client.post(create, data)
    content = response.content.decode()
    assert "Dit veld is verplicht." in content
    assert "Mijn uitleg" in content
    assert "Niet opgeslagen" in content
    assert not officer.board.activities.exists()


def test_editing_an_approved_activity_needs_approval_again_and_keeps_the_approved_version(
    client, officer
):
    activity = ActivityFactory(
        board=officer.board, status="vastgesteld", approved_at=timezone.now(), description="Oud"
    )
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["description"] = "Nieuw"
    client.post(url("activity_edit_part", activity, part="beschrijving"), data)
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.CONCEPT
    assert activity.changed_since_approval
    assert activity.last_approved_record().description == "Oud"
    assert (
        "gewijzigd na vaststelling" in client.get(url("activity_detail", activity)).content.decode()
    )


def test_a_second_save_from_an_old_version_is_a_conflict_that_loses_nothing(client, officer):
    activity = ActivityFactory(board=officer.board, name="Cameratoezicht", description="Begin")
    first = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    second = dict(first)
    first["description"] = "Eerste wijziging"
    assert (
        client.post(url("activity_edit_part", activity, part="beschrijving"), first).status_code
        == 302
    )
    second["description"] = "Tweede wijziging"
    response = client.post(url("activity_edit_part", activity, part="beschrijving"), second)
    content = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze verwerking intussen opgeslagen" in content
    assert "Eerste wijziging" in content  # what changed meanwhile
    assert "Tweede wijziging" in content  # this person's input, still in the form
    activity.refresh_from_db()
    assert activity.description == "Eerste wijziging"
    # Saving again from the conflict page is a deliberate overwrite.
    again = form_data(response)
    assert (
        client.post(url("activity_edit_part", activity, part="beschrijving"), again).status_code
        == 302
    )
    activity.refresh_from_db()
    assert activity.description == "Tweede wijziging"


def test_a_schoolleider_edits_a_local_activity_but_cannot_widen_its_reach(client):
    school = SchoolFactory()
    other = SchoolFactory(board=school.board)
    leader = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    activity = ActivityFactory(board=school.board, applies_to_all_schools=False)
    activity.schools.set([school])
    client.force_login(leader.user)
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data.update(
        {"name": "Cameratoezicht", "applies_to_all_schools": "on", "schools": [str(other.pk)]}
    )
    response = client.post(url("activity_edit_part", activity, part="beschrijving"), data)
    assert response.status_code == 200  # the other school is not a choice
    data["schools"] = [str(school.pk)]
    assert (
        client.post(url("activity_edit_part", activity, part="beschrijving"), data).status_code
        == 302
    )
    activity.refresh_from_db()
    assert activity.name == "Cameratoezicht"
    assert not activity.applies_to_all_schools
    assert list(activity.schools.all()) == [school]


def test_terms_of_another_board_cannot_be_chosen(client, officer):
    activity = ActivityFactory(board=officer.board)
    foreign = SubjectGroupFactory()
    data = form_data(client.get(url("activity_edit_part", activity, part="gegevens")))
    data.update({"subject_groups": [str(foreign.pk)], "gegevens-0-subject_group": str(foreign.pk)})
    response = client.post(url("activity_edit_part", activity, part="gegevens"), data)
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not activity.subject_groups.exists()


def test_workflow_concept_review_approved(client, officer):
    activity = ActivityFactory(board=officer.board)
    client.post(url("activity_submit", activity), {"version": activity.version})
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.IN_REVIEW
    client.post(url("activity_approve", activity), {"version": activity.version})
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.APPROVED
    assert activity.approved_by == officer.user
    history = client.get(url("activity_history", activity)).content.decode()
    assert escape(str(officer.user)) in history  # a Dutch name may hold an apostrophe
    assert "vastgesteld" in history


def test_opening_the_approve_page_shows_it_and_approves_nothing(client, officer):
    activity = ActivityFactory(board=officer.board)
    assert client.get(url("activity_approve", activity)).status_code == 200
    activity.refresh_from_db()
    assert activity.status == ProcessingActivity.Status.CONCEPT


def test_the_fg_comments_and_the_privacy_officer_resolves(client):
    fg = MembershipFactory(role=Role.FG)
    officer = MembershipFactory(board=fg.board, role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=fg.board)
    client.force_login(fg.user)
    client.post(url("comment_add", activity), {"text": "Leg de belangenafweging vast."})
    comment = Comment.objects.get()
    assert comment.author == fg.user and comment.is_open
    assert (
        client.get(url("activity_edit_part", activity, part="beschrijving")).status_code == 403
    )  # the FG cannot edit
    client.force_login(officer.user)
    assert "Er is 1 open advies van de FG." in client.get(url("activity_detail", activity)).text
    assert "Leg de belangenafweging vast." in client.get(url("activity_comments", activity)).text
    response = client.post(
        url("comment_resolve", activity, comment=comment.pk), {"resolution": "Gedaan."}
    )
    assert response.url == url("activity_comments", activity)
    comment.refresh_from_db()
    assert comment.resolved_by == officer.user
    assert comment.resolution == "Gedaan."
    assert "Er is 1 open advies" not in client.get(url("activity_detail", activity)).text
    assert "Afgehandeld door" in client.get(url("activity_comments", activity)).text


def test_the_access_tab_shows_staff_access_security_and_cookies(client, officer):
    activity = ActivityFactory(board=officer.board)
    role = officer.board.staff_roles.create(name="Mentor")
    activity.staff_access.create(staff_role=role, access="lezen")
    activity.security_measures.add(officer.board.security_measures.create(name="Versleuteling"))
    activity.cookies.create(
        name="_pk_id", kind="analytisch", purpose="Bezoek meten", lifetime="1 jaar"
    )
    page = client.get(url("activity_access", activity)).text
    for fact in ["Mentor: inzien", "Versleuteling", "_pk_id", "Bezoek meten"]:
        assert fact in page


def landmark_names(page: str) -> list[str]:
    """The names of a page's regions: a labelled section's heading, a table's scroll box."""
    headings = dict(re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', page))
    sections = [headings[id] for id in re.findall(r'<section aria-labelledby="([^"]+)"', page)]
    return sections + re.findall(r'role="region" aria-label="([^"]+)"', page)


@pytest.mark.parametrize("page", ["activity_detail", "activity_access"])
def test_no_two_regions_of_an_activity_page_share_a_name(client, officer, page):
    # A screen reader lists the regions by name; two alike cannot be told apart (axe-core's
    # landmark-unique), as a table's scroll box named after its section was.
    activity = ActivityFactory(board=officer.board)
    activity.data_categories.create(
        category=DataCategoryFactory(board=officer.board),
        subject_group=SubjectGroupFactory(board=officer.board),
    )
    activity.cookies.create(name="_pk_id", kind="analytisch", purpose="Bezoek meten")
    names = landmark_names(client.get(url(page, activity)).text)

    assert len(names) > 2
    assert len(set(names)) == len(names), names


def test_copying_an_activity_to_other_schools_makes_a_concept_with_all_rows(client, officer):
    school = SchoolFactory(board=officer.board)
    activity = ActivityFactory(
        board=officer.board, status="vastgesteld", approved_at=timezone.now()
    )
    activity.purposes.create(description="Doel", legal_basis="e")
    dossier = activity.dossiers.create(name="Zorgdossier")
    role = officer.board.staff_roles.create(name="Mentor")
    activity.staff_access.create(staff_role=role, access="lezen", dossier=dossier)
    response = client.post(
        url("activity_copy", activity), {"name": "Kopie", "schools": [school.pk]}
    )
    copy = officer.board.activities.get(name="Kopie")
    assert response.status_code == 302
    assert copy.status == ProcessingActivity.Status.CONCEPT
    assert list(copy.schools.all()) == [school] and not copy.applies_to_all_schools
    assert copy.purposes.get().description == "Doel"
    assert copy.staff_access.get().dossier == copy.dossiers.get()
    assert activity.purposes.count() == 1


def test_restoring_an_earlier_version_brings_back_fields_and_rows(client, officer):
    activity = ActivityFactory(board=officer.board, description="Eerste versie")
    activity.purposes.create(description="Oud doel", legal_basis="e")
    first = activity.history.latest("history_date")
    for part, changes in [
        ("beschrijving", {"description": "Tweede versie"}),
        ("doelen", {"doelen-0-DELETE": "on"}),
    ]:
        data = form_data(client.get(url("activity_edit_part", activity, part=part)))
        data.update(changes)
        assert client.post(url("activity_edit_part", activity, part=part), data).status_code == 302
    assert not activity.purposes.exists()
    activity.refresh_from_db()
    client.post(
        url("activity_restore", activity, record=first.history_id), {"version": activity.version}
    )
    activity.refresh_from_db()
    assert activity.description == "Eerste versie"
    assert activity.purposes.get().description == "Oud doel"
    assert activity.status == ProcessingActivity.Status.CONCEPT


def test_the_history_shows_field_by_field_differences(client, officer):
    activity = ActivityFactory(board=officer.board, description="Voor")
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["description"] = "Na"
    client.post(url("activity_edit_part", activity, part="beschrijving"), data)
    content = client.get(url("activity_history", activity)).content.decode()
    assert "<del>Voor</del>" in content
    assert "<ins>Na</ins>" in content


def test_deleting_asks_for_confirmation(client, officer):
    activity = ActivityFactory(board=officer.board)
    assert "Weet u zeker" in client.get(url("activity_delete", activity)).content.decode()
    assert ProcessingActivity.objects.filter(pk=activity.pk).exists()
    client.post(url("activity_delete", activity))
    assert not ProcessingActivity.objects.filter(pk=activity.pk).exists()


def test_the_list_filters_by_status_legal_basis_special_data_and_search(client, officer):
    board = officer.board
    special = DataCategoryFactory(board=board, kind="bijzonder", special_type="gezondheid")
    pupils = SubjectGroupFactory(board=board)
    zorg = ActivityFactory(board=board, name="Zorg")
    zorg.data_categories.create(category=special, subject_group=pupils)
    zorg.purposes.create(description="x", legal_basis="a")
    camera = ActivityFactory(board=board, name="Camera", status="ter_review")
    camera.purposes.create(description="y", legal_basis="f")
    list_url = reverse("activity_list", kwargs={"board": board.slug})

    def names(**params) -> set[str]:
        return {a.name for a in client.get(list_url, params).context["page"]}

    assert names() == {"Zorg", "Camera"}
    assert names(status="ter_review") == {"Camera"}
    assert names(legal_basis="f") == {"Camera"}
    assert names(special="true") == {"Zorg"}
    assert names(special="false") == {"Camera"}
    assert names(q="cam") == {"Camera"}


def test_dates_are_shown_in_dutch(client, officer):
    activity = ActivityFactory(
        board=officer.board, next_review_on=timezone.datetime(2025, 11, 1).date()
    )
    assert "1 november 2025" in client.get(url("activity_detail", activity)).content.decode()


def test_a_duplicate_activity_name_is_refused_with_a_dutch_message(client, officer):
    ActivityFactory(board=officer.board, name="Cameratoezicht")
    create = reverse("activity_create", kwargs={"board": officer.board.slug})
    data = form_data(client.get(create))
    data.update({"name": "Cameratoezicht", "description": "x", "applies_to_all_schools": "on"})
    response = client.post(create, data)
    assert "Dit bestuur heeft al een verwerking met deze naam." in response.content.decode()
    assert officer.board.activities.count() == 1


def test_a_posted_board_cannot_move_an_activity(client, officer):
    from tests.factories import BoardFactory

    activity = ActivityFactory(board=officer.board)
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["board"] = str(BoardFactory().pk)
    client.post(url("activity_edit_part", activity, part="beschrijving"), data)
    activity.refresh_from_db()
    assert activity.board == officer.board


def test_an_oversized_text_is_refused_and_nothing_is_saved(client, officer):
    activity = ActivityFactory(board=officer.board, description="Kort")
    data = form_data(client.get(url("activity_edit_part", activity, part="beschrijving")))
    data["description"] = "x" * 10_001
    response = client.post(url("activity_edit_part", activity, part="beschrijving"), data)
    assert "niet meer dan 10000 tekens" in response.content.decode()
    activity.refresh_from_db()
    assert activity.description == "Kort"
