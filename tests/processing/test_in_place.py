"""The activity editor's interaction layer: rows added without a reload and new terms added from
within the form (htmx), each still working without JavaScript."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from privacyregister.middleware import CONTENT_SECURITY_POLICY
from processing.models import DataSubjectGroup, Recipient
from tests.factories import ActivityFactory, BoardFactory, RecipientFactory, SubjectGroupFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _create(board) -> str:
    return reverse("activity_create", kwargs={"board": board.slug})


def _part(board, slug: str) -> str:
    """A part page of the editor of an existing activity of the board."""
    activity = ActivityFactory.create(board=board)
    return reverse(
        "activity_edit_part", kwargs={"board": board.slug, "pk": activity.pk, "part": slug}
    )


def _term_create(board, kind: str) -> str:
    return reverse("term_create", kwargs={"board": board.slug, "kind": kind})


def test_the_editor_loads_htmx_from_our_own_static_files_under_the_same_policy(client, officer):
    response = client.get(_create(officer.board))
    html = response.content.decode()
    assert "vendor/htmx/htmx.min.js" in html
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_the_add_row_button_replaces_only_its_own_rows_and_focuses_the_new_row(client, officer):
    create = _part(officer.board, "doelen")
    page = BeautifulSoup(client.get(create).content, "html.parser")
    button = page.find("button", attrs={"name": "meer", "value": "doelen"})
    assert button["hx-post"] == create
    assert button["hx-select"] == button["hx-target"] == "#doelen"
    data = form_data(client.get(create))
    data.update({"doelen-0-description": "Eerste doel", "meer": "doelen"})
    response = client.post(create, data, **HTMX)
    rows = BeautifulSoup(response.content, "html.parser").find(id="doelen")
    assert rows.find("textarea", attrs={"name": "doelen-0-description"}).text.strip() == (
        "Eerste doel"
    )
    assert rows.find(attrs={"name": "doelen-1-description"}).has_attr("autofocus")
    assert not rows.find(attrs={"name": "doelen-0-description"}).has_attr("autofocus")


def test_a_new_recipient_from_the_editor_comes_back_ticked_beside_the_ones_already_ticked(
    client, officer
):
    board = officer.board
    ggd = RecipientFactory(board=board, name="GGD")
    response = client.post(
        _term_create(board, "ontvangers"),
        {
            "veld": "processors",
            "processors": [str(ggd.pk)],
            "nieuw-processors-name": "Parnassys",
            "nieuw-processors-kind": Recipient.Kind.PROCESSOR,
            "nieuw-processors-country": "NL",
        },
        **HTMX,
    )
    assert response.status_code == 200
    new = board.recipients.get(name="Parnassys")
    field = BeautifulSoup(response.content, "html.parser")
    checked = {box["value"] for box in field.select("input[name=processors][checked]")}
    assert checked == {str(ggd.pk), str(new.pk)}
    assert field.find(id="id_processors-lijst") is not None
    assert "<html" not in response.content.decode()  # only the field, not a page


def test_a_new_term_for_a_row_comes_back_as_that_rows_choice(client, officer):
    response = client.post(
        _term_create(officer.board, "betrokkenen"),
        {"veld": "gegevens-2-subject_group", "nieuw-gegevens-2-subject_group-name": "Ouders"},
        **HTMX,
    )
    parents = DataSubjectGroup.objects.get(name="Ouders")
    select = BeautifulSoup(response.content, "html.parser").find(
        "select", attrs={"name": "gegevens-2-subject_group"}
    )
    assert select.find("option", selected=True)["value"] == str(parents.pk)


def test_a_new_term_without_a_name_shows_the_error_and_saves_nothing(client, officer):
    response = client.post(
        _term_create(officer.board, "betrokkenen"),
        {"veld": "subject_groups", "nieuw-subject_groups-name": ""},
        **HTMX,
    )
    assert response.status_code == 200
    assert '<details class="new-term" open>' in response.content.decode()
    assert not DataSubjectGroup.objects.exists()


def test_the_new_term_belongs_to_the_board_of_the_url_whatever_is_posted(client, officer):
    other = BoardFactory()
    client.post(
        _term_create(officer.board, "betrokkenen"),
        {
            "veld": "subject_groups",
            "nieuw-subject_groups-name": "Ouders",
            "nieuw-subject_groups-board": str(other.pk),
        },
        **HTMX,
    )
    assert DataSubjectGroup.objects.get(name="Ouders").board == officer.board
    assert not other.subject_groups.exists()


def test_another_boards_term_page_is_not_found(client, officer):
    other = BoardFactory()
    response = client.post(
        _term_create(other, "betrokkenen"),
        {"veld": "subject_groups", "nieuw-subject_groups-name": "Ouders"},
        **HTMX,
    )
    assert response.status_code == 404
    assert not DataSubjectGroup.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("betrokkenen", "processors"),  # a field of another list
        ("betrokkenen", "owner"),  # not a list at all
        ("betrokkenen", "gegevens-0-dossier"),
        ("betrokkenen", "onzin-0-subject_group"),
    ],
)
def test_a_forged_field_or_kind_is_refused(client, officer, kind, field):
    response = client.post(
        _term_create(officer.board, kind),
        {"veld": field, f"nieuw-{field}-name": "Ouders"},
        **HTMX,
    )
    assert response.status_code == 400
    assert not DataSubjectGroup.objects.exists()


def test_without_javascript_the_editor_links_to_the_list_page_and_comes_back(client, officer):
    board = officer.board
    create = _part(board, "gegevens")
    page = BeautifulSoup(client.get(create).content, "html.parser")
    link = page.select_one("#id_subject_groups-lijst noscript")
    assert link is not None
    response = client.post(
        f"{_term_create(board, 'betrokkenen')}?next={create}", {"name": "Ouders"}
    )
    assert response.status_code == 302
    assert response["Location"] == create
    assert board.subject_groups.filter(name="Ouders").exists()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/b/x/", "//evil.example/", "/dashboard/", "/b/ander-bestuur/register/"],
)
def test_the_return_address_cannot_lead_off_the_board(client, officer, next_url):
    response = client.post(
        f"{_term_create(officer.board, 'betrokkenen')}?next={next_url}", {"name": "Ouders"}
    )
    assert response["Location"] == reverse(
        "term_list", kwargs={"board": officer.board.slug, "kind": "betrokkenen"}
    )


def test_a_row_marked_for_removal_says_it_goes_when_saved(client, officer):
    html = client.get(_part(officer.board, "doelen")).content.decode()
    assert "Wordt verwijderd bij opslaan." in html


def test_saving_the_activity_does_not_post_the_small_new_term_form(client, officer):
    part = _part(officer.board, "gegevens")
    page = BeautifulSoup(client.get(part).content, "html.parser")
    name = page.find(attrs={"name": "nieuw-subject_groups-name"})
    assert page.find(id=name["form"]) is None  # owned by no form on the page
    assert "nieuw-subject_groups-name" not in form_data(client.get(part))


def test_a_schoolleider_gets_the_plain_term_fields_without_the_new_term_form(client, schoolleider):
    # The lists are the whole board's; the term-create view refuses a schoolleider, so the
    # editor must not offer a form (or a link) that cannot be sent.
    activity = ActivityFactory(board=schoolleider.board, applies_to_all_schools=False)
    activity.schools.add(schoolleider.school)
    SubjectGroupFactory(board=schoolleider.board)
    part = reverse(
        "activity_edit_part",
        kwargs={"board": schoolleider.board.slug, "pk": activity.pk, "part": "gegevens"},
    )
    response = client.get(part)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find(attrs={"name": "subject_groups"}) is not None  # the field itself stays
    assert page.select(".term-field, .new-term, noscript a") == []
    assert "Nieuwe" not in page.get_text()
    refused = client.post(
        _term_create(schoolleider.board, "betrokkenen"),
        {"veld": "subject_groups", "nieuw-subject_groups-name": "Ouders"},
        **HTMX,
    )
    assert refused.status_code == 403
