"""The public pages a parent finds: the list of boards, the school search, a board's page with
its schools, a school that uses the board's statement, and the page of changes."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity, StatementVersion
from processing.statements import statement_publish
from tests.factories import (
    ActivityFactory,
    RetentionRuleFactory,
    SchoolFactory,
    StatementVersionFactory,
)

pytestmark = pytest.mark.django_db


def approved_activity(board) -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, name="Leerlingadministratie", status="vastgesteld", approved_at=timezone.now()
    )
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="e", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board, name="Leerlingdossier"))
    return activity


def two_versions(officer, school=None) -> str:
    """Publishes twice with a renamed retention rule between; returns the change page."""
    board = officer.board
    activity = approved_activity(board)
    statement_publish(actor=officer.user, board=board, school=school, change_summary="Een.")
    activity.retention_rules.update(name="Foto's van de schoolreis")
    statement_publish(actor=officer.user, board=board, school=school, change_summary="Twee.")
    kwargs = {"board": board.slug} | ({"school": school.slug} if school else {})
    name = "school_statement_changes" if school else "board_statement_changes"
    return reverse(name, kwargs=kwargs)


def test_the_change_page_shows_an_apostrophe_as_an_apostrophe(client, officer):
    page = client.get(two_versions(officer)).text
    assert "&amp;#x27;" not in page and "&amp;amp;" not in page
    assert "Foto's van de schoolreis" in html.unescape(page)


def test_the_change_page_reads_only_the_two_versions_html(client, officer):
    url = two_versions(officer)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    read = " ".join(query["sql"] for query in context.captured_queries)
    assert '"processing_statementversion"."html"' in read
    for name in StatementVersion.DOCUMENT_FIELDS:
        if name != "html":
            assert f'"processing_statementversion"."{name}"' not in read


def changed_lines(page: str) -> list[list[str]]:
    """Each added line of the change page as the texts of its elements, as a reader sees them."""
    return [
        [html.unescape(text) for text in re.split(r"<[^>]+>", added) if text.strip()]
        for added in re.findall(r"<ins>(.*?)</ins>", page, re.S)
    ]


def test_the_change_page_keeps_the_cells_of_a_table_row_apart(client, officer):
    page = client.get(two_versions(officer)).text
    row = next(line for line in changed_lines(page) if "Foto's van de schoolreis" in line[0])
    assert row[0] == "Foto's van de schoolreis"  # not run together with the next cell
    assert row[1] == "maximaal 2 jaar na einde inschrijving (uitschrijving)"


def publish(officer, school=None):
    return statement_publish(
        actor=officer.user, board=officer.board, school=school, change_summary="Eerste."
    )


@pytest.fixture
def published_board(officer):
    """A board with an approved activity and its own published statement."""
    approved_activity(officer.board)
    publish(officer)
    return officer.board


def test_the_index_lists_the_boards_that_have_published_and_no_others(client, officer):
    approved_activity(officer.board)
    school = SchoolFactory(board=officer.board)
    publish(officer, school)  # a school's statement is enough
    silent = SchoolFactory(board__name="Stichting Nog Niets").board
    archived = SchoolFactory(board__name="Stichting Alleen Gearchiveerd")
    StatementVersionFactory(board=archived.board, school=archived)
    archived.archived_at = timezone.now()
    archived.save()

    page = client.get(reverse("public_index")).text
    assert officer.board.name in page
    assert f'href="/privacy/{officer.board.slug}/"' in page
    assert silent.name not in page and "Alleen Gearchiveerd" not in page


def test_a_parent_finds_a_school_by_place_or_by_name_in_any_case(client, published_board):
    SchoolFactory(board=published_board, name="CBS De Regenboog", address="Kerkweg 1\nEde")
    SchoolFactory(board=published_board, name="OBS De Zonnewijzer", address="Dorpsstraat 2\nEpe")

    by_place = client.get(reverse("public_index"), {"zoek": "EDE"}).text
    assert "CBS De Regenboog" in by_place and "Zonnewijzer" not in by_place
    by_name = client.get(reverse("public_index"), {"zoek": "regenboog de"}).text
    assert "CBS De Regenboog" in by_name and "Zonnewijzer" not in by_name
    assert f"/privacy/{published_board.slug}/" in by_name


def test_the_search_leaves_out_archived_schools_and_boards_that_have_not_published(
    client, published_board
):
    SchoolFactory(board=published_board, name="De Gesloten School", archived_at=timezone.now())
    SchoolFactory(name="De Stille School")  # its board has published nothing
    page = client.get(reverse("public_index"), {"zoek": "school"}).text
    assert "Gesloten" not in page and "Stille" not in page
    assert "Geen school gevonden" in page


def test_a_wildcard_in_the_search_is_an_ordinary_character(client, published_board):
    SchoolFactory(board=published_board, name="De Regenboog")
    page = client.get(reverse("public_index"), {"zoek": "%%"}).text
    assert "De Regenboog" not in page


def test_a_too_long_search_is_refused_in_dutch(client, published_board):
    SchoolFactory(board=published_board, name="De Regenboog")
    response = client.get(reverse("public_index"), {"zoek": "regenboog " * 20})
    assert response.status_code == 200
    assert "Zoek met hoogstens 100 tekens." in response.text
    assert "De Regenboog" not in response.text


def test_the_board_page_lists_its_active_schools_and_what_applies_to_each(
    client, officer, published_board
):
    own = SchoolFactory(board=published_board, name="De Eigen School")
    publish(officer, own)
    SchoolFactory(board=published_board, name="De Andere School")
    SchoolFactory(board=published_board, name="De Oude School", archived_at=timezone.now())

    page = client.get(f"/privacy/{published_board.slug}/").text
    assert f'href="/privacy/{published_board.slug}/{own.slug}/"' in page
    assert "De Andere School" in page
    assert "Hier geldt de privacyverklaring van het schoolbestuur." in page
    assert "De Oude School" not in page
    # A link from before these pages, when this URL was the board's statement, finds it here.
    assert f'href="/privacy/{published_board.slug}/privacyverklaring/"' in page


def test_the_board_page_shows_the_logo_and_house_colour_and_works_without(client, published_board):
    plain = client.get(f"/privacy/{published_board.slug}/").text
    assert "statement-logo" not in plain and "/privacy/kleur/" not in plain
    published_board.logo.name = f"logos/{'a' * 64}.png"
    published_board.house_colour = "#0b4f8a"
    published_board.save()
    page = client.get(f"/privacy/{published_board.slug}/").text
    assert f"/privacy/logo/{'a' * 64}.png" in page
    assert "/privacy/kleur/0b4f8a.css" in page
    assert f"/privacy/logo/{'a' * 64}.png" in client.get(reverse("public_index")).text


def test_a_school_without_its_own_statement_shows_the_boards_and_says_so(client, published_board):
    school = SchoolFactory(board=published_board, name="De Ark")
    page = client.get(f"/privacy/{published_board.slug}/{school.slug}/")
    assert page.status_code == 200
    assert (
        "Deze school heeft geen eigen privacyverklaring. Hieronder staat de privacyverklaring"
        f" van {published_board.name}, die ook voor deze school geldt." in page.text
    )
    assert f"Privacyverklaring {published_board.name}" in page.text
    assert f'href="/privacy/{published_board.slug}/v1.pdf"' in page.text
    pdf = client.get(f"/privacy/{published_board.slug}/{school.slug}/privacyverklaring.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_school_shows_its_own_statement_once_it_publishes_one(client, officer, published_board):
    school = SchoolFactory(board=published_board, name="De Ark")
    url = f"/privacy/{published_board.slug}/{school.slug}/"
    assert "geen eigen privacyverklaring" in client.get(url).text
    publish(officer, school)
    page = client.get(url).text
    assert "geen eigen privacyverklaring" not in page
    assert "Privacyverklaring De Ark" in page


def test_a_school_showing_the_boards_statement_is_looked_up_once(officer, published_board):
    client = Client()  # a parent: no session to read
    school = SchoolFactory(board=published_board, name="De Ark")
    url = f"/privacy/{published_board.slug}/{school.slug}/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        assert "geen eigen privacyverklaring" in client.get(url).text
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (len(again), len(unchanged)) == (0, 0)

    publish(officer, school)
    page = client.get(url).text
    assert "geen eigen privacyverklaring" not in page
    assert "Privacyverklaring De Ark" in page


def test_a_school_archived_after_its_page_was_seen_no_longer_shows_the_boards(
    client, officer, published_board
):
    school = SchoolFactory(board=published_board, name="De Ark")
    url = f"/privacy/{published_board.slug}/{school.slug}/"
    assert client.get(url).status_code == 200  # the school's lookup is now cached
    school.archived_at = timezone.now()
    school.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("suffix", ["", "privacyverklaring.pdf"])
def test_a_school_with_no_statement_and_a_board_with_none_says_not_yet_published(client, suffix):
    school = SchoolFactory(name="De Ark")
    response = client.get(f"/privacy/{school.board.slug}/{school.slug}/{suffix}")
    assert response.status_code == 404
    assert "Nog niet gepubliceerd" in response.text
    assert "De privacyverklaring van De Ark is nog niet gepubliceerd." in response.text


@pytest.mark.parametrize("school", ["onbekend", "archived"])
def test_an_unknown_or_archived_school_never_gets_the_boards_statement(
    client, published_board, school
):
    archived = SchoolFactory(board=published_board, archived_at=timezone.now())
    slug = archived.slug if school == "archived" else school
    response = client.get(f"/privacy/{published_board.slug}/{slug}/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text
