"""Schools in the product: the beheerder adds, edits, archives and restores them; a school's
address, contact and audience reach its statement."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacyregister.access import BoardAccess
from privacyregister.forms import MembershipForm
from privacyregister.models import School, SecurityEvent
from privacyregister.permissions import Capability
from processing.forms import ActivityForm, CopyForm
from processing.models import StatementVersion
from processing.parts import FIRST
from processing.statements import statement_publish
from rights.forms import RequestForm
from tests.factories import ActivityFactory, SchoolFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def create_url(board) -> str:
    return reverse("school_create", kwargs={"board": board.slug})


NEW_SCHOOL = {
    "name": "OBS De Linde",
    "slug": "de-linde",
    "brin": "12ab",
    "sector": "PO",
    "address": "Lindelaan 3\n6711 AB Ede",
    "director_name": "J. de Vries",
    "director_email": "directie@delinde.example",
    "website": "https://www.delinde.example",
    "audience": "ouders",
}


def post_new_school(client, board, **changes):
    data = form_data(client.get(create_url(board)))
    data.update(NEW_SCHOOL, **changes)
    return client.post(create_url(board), data)


def test_the_beheerder_adds_a_school_and_can_manage_it_at_once(client, beheerder):
    board = beheerder.board
    response = post_new_school(client, board)
    assert response.status_code == 302
    school = board.schools.get(slug="de-linde")
    assert school.brin == "12AB"  # written as meant
    assert school.audience == School.Audience.PARENTS
    assert BoardAccess(beheerder.user, board).can(Capability.MANAGE_SCHOOLS, schools=[school.pk])
    assert SecurityEvent.objects.filter(action="school.created", board=board).exists()
    listing = client.get(reverse("schools", kwargs={"board": board.slug})).content.decode()
    assert "OBS De Linde" in listing and "alleen ouders" in listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("brin", "1234", "Een BRIN-nummer bestaat uit 2 cijfers gevolgd door 2 hoofdletters"),
        ("brin", "12ABC", "niet meer dan 4 tekens"),
        ("slug", "bestaand", "Dit bestuur heeft al een school met deze korte naam."),
        ("slug", "nieuw", "Deze korte naam is gereserveerd"),
        ("slug", "versies", "Deze korte naam is gereserveerd"),
        ("slug", "de linde!", "bestaande uit letters, cijfers"),
        ("website", "ftp://delinde.example", "begint met http:// of https://"),
        ("director_email", "directie@", "Voer een geldig e-mailadres in."),
        ("sector", "XX", "Selecteer een geldige keuze"),
        ("audience", "iedereen", "Selecteer een geldige keuze"),
        ("name", "", "Dit veld is verplicht."),
    ],
)
def test_bad_school_input_gets_a_dutch_message_and_nothing_is_saved(
    client, beheerder, field, value, message
):
    board = beheerder.board
    SchoolFactory(board=board, slug="bestaand")
    response = post_new_school(client, board, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(board.schools.values_list("slug", flat=True)) == ["bestaand"]


def test_the_same_short_name_is_fine_in_another_board(client, beheerder):
    SchoolFactory(slug="de-linde")  # another board's
    assert post_new_school(client, beheerder.board).status_code == 302


def test_editing_a_school_keeps_it_in_its_board(client, beheerder):
    school = SchoolFactory(board=beheerder.board)
    url = reverse("school_edit", kwargs={"board": beheerder.board.slug, "school": school.slug})
    data = form_data(client.get(url))
    data.update(name="Nieuwe naam", audience="medewerkers", board="999")
    assert client.post(url, data).status_code == 302
    school.refresh_from_db()
    assert (school.name, school.audience, school.board) == (
        "Nieuwe naam",
        "medewerkers",
        beheerder.board,
    )


def archive_url(school) -> str:
    return reverse("school_archive", kwargs={"board": school.board.slug, "school": school.slug})


def restore_url(school) -> str:
    return reverse("school_restore", kwargs={"board": school.board.slug, "school": school.slug})


def test_archiving_asks_first_and_then_hides_the_school(client, beheerder):
    board = beheerder.board
    school = SchoolFactory(board=board, name="OBS Gesloten", slug="gesloten")
    statement_publish(actor=beheerder.user, board=board, school=school, change_summary="x")
    public = reverse("school_statement", kwargs={"board": board.slug, "school": "gesloten"})
    assert client.get(public).status_code == 200

    confirmation = client.get(archive_url(school))
    assert "Weet u zeker dat u <strong>OBS Gesloten</strong> wilt archiveren?" in (
        confirmation.content.decode()
    )
    school.refresh_from_db()
    assert not school.is_archived  # asking changed nothing

    assert client.post(archive_url(school)).status_code == 302
    school.refresh_from_db()
    assert school.is_archived
    assert SecurityEvent.objects.filter(action="school.archived", board=board).exists()
    # Gone from the lists and from new work ...
    listing = client.get(reverse("schools", kwargs={"board": board.slug})).context
    assert school not in listing["schools"] and school in listing["archived"]
    assert school not in MembershipForm(board=board).fields["school"].queryset
    assert school not in CopyForm(board=board).fields["schools"].queryset
    assert school not in RequestForm(board=board).fields["school"].queryset
    new_activity = ActivityForm(board=board, school_scope=False, part=FIRST)
    assert school not in new_activity.fields["schools"].queryset
    overview = client.get(reverse("statement_overview", kwargs={"board": board.slug}))
    assert "OBS Gesloten" not in overview.content.decode()
    publish = reverse(
        "statement_publish_school", kwargs={"board": board.slug, "school": "gesloten"}
    )
    assert client.get(publish).status_code == 404
    board_statement = statement_publish(
        actor=beheerder.user, board=board, school=None, change_summary="x"
    )
    assert "OBS Gesloten" not in board_statement.html
    # ... and from the public pages, but its published statement is kept.
    client.logout()
    for name in ("school_statement", "school_statement_versions", "school_statement_pdf"):
        page = client.get(reverse(name, kwargs={"board": board.slug, "school": "gesloten"}))
        assert page.status_code == 404
    assert StatementVersion.objects.filter(school=school).count() == 1


def test_restoring_brings_the_school_and_its_statement_back(client, beheerder):
    board = beheerder.board
    school = SchoolFactory(board=board, slug="terug", archived_at=timezone.now())
    statement_publish(actor=beheerder.user, board=board, school=school, change_summary="x")
    public = reverse("school_statement", kwargs={"board": board.slug, "school": "terug"})
    assert client.get(public).status_code == 404
    assert client.get(restore_url(school)).status_code == 405  # a button, not a link
    assert client.post(restore_url(school)).status_code == 302
    school.refresh_from_db()
    assert not school.is_archived
    assert SecurityEvent.objects.filter(action="school.restored", board=board).exists()
    assert school in MembershipForm(board=board).fields["school"].queryset
    assert client.get(public).status_code == 200


def test_archiving_twice_says_so_and_changes_nothing(client, beheerder):
    moment = timezone.now()
    school = SchoolFactory(board=beheerder.board, archived_at=moment)
    response = client.post(archive_url(school), follow=True)
    assert "Deze school is al gearchiveerd." in response.content.decode()
    school.refresh_from_db()
    assert school.archived_at == moment


def test_an_activity_keeps_its_archived_school_when_edited(beheerder):
    board = beheerder.board
    school = SchoolFactory(board=board, archived_at=timezone.now())
    activity = ActivityFactory(board=board, applies_to_all_schools=False)
    activity.schools.set([school])
    form = ActivityForm(instance=activity, board=board, school_scope=False, part=FIRST)
    assert school in form.fields["schools"].queryset


def test_the_schools_page_makes_a_bounded_number_of_queries(
    client, beheerder, django_assert_max_num_queries
):
    for n in range(30):
        SchoolFactory(board=beheerder.board, archived_at=timezone.now() if n % 3 == 0 else None)
    with django_assert_max_num_queries(10):  # as with 3 schools: one query lists them
        assert (
            client.get(reverse("schools", kwargs={"board": beheerder.board.slug})).status_code
            == 200
        )


# The school in its statement.


def test_the_school_statement_shows_its_address_website_and_director(beheerder):
    school = SchoolFactory(
        board=beheerder.board,
        address="Lindelaan 3\n6711 AB Ede",
        website="https://www.delinde.example",
        director_name="J. de Vries",
        director_email="directie@delinde.example",
    )
    html = statement_publish(
        actor=beheerder.user, board=beheerder.board, school=school, change_summary="x"
    ).html
    assert "Lindelaan 3<br>6711 AB Ede" in html
    assert '<a href="https://www.delinde.example">' in html
    assert "J. de Vries" in html and "directie@delinde.example" in html


OPENINGS = {
    School.Audience.PUPILS_AND_PARENTS: "Met “u” bedoelen wij ook leerlingen van 16 jaar en ouder.",
    School.Audience.PARENTS: "Deze verklaring is voor ouders en verzorgers van leerlingen van",
    School.Audience.STAFF: "Deze verklaring is voor de medewerkers van",
}


@pytest.mark.parametrize("audience", OPENINGS)
def test_the_audience_decides_the_opening_of_the_statement(beheerder, audience):
    school = SchoolFactory(board=beheerder.board, audience=audience)
    html = statement_publish(
        actor=beheerder.user, board=beheerder.board, school=school, change_summary="x"
    ).html
    assert [text in html for text in OPENINGS.values()] == [other == audience for other in OPENINGS]
