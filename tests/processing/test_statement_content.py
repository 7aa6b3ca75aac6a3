"""What a statement says and how it reads (issue 17 point 3): the board's own version label and
effective date, measures grouped, no empty sections, "In het kort", the board's order of
activities, and legal terms explained where they appear."""

import datetime
import shutil

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import dateformat, timezone

from processing.models import ProcessingActivity
from processing.statements import statement_preview, statement_publish
from tests.factories import ActivityFactory, BoardFactory, RetentionRuleFactory, SchoolFactory
from tests.processing.test_statements import needs_pdftotext, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def approved_activity(board, **fields) -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, status="vastgesteld", approved_at=timezone.now(), **fields
    )
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="c", legal_basis_detail="Leerplichtwet 1969"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board))
    return activity


def text_of(html: str, element_id: str) -> str:
    element = BeautifulSoup(html, "html.parser").find(id=element_id)
    assert element is not None, element_id
    return squeeze(element.get_text(" "))


# 1. The board's own version label and effective date


def test_the_boards_version_label_and_effective_date_show_on_the_page_the_list_and_the_pdf(
    client, officer
):
    board = officer.board
    approved_activity(board)
    effective_from = timezone.localdate() + datetime.timedelta(days=30)
    url = reverse("statement_publish_board", kwargs={"board": board.slug})
    client.post(url, {"change_summary": "Eerste."})
    client.post(
        url,
        {
            "change_summary": "Nieuw schooljaar.",
            "version_label": "versie 3.1",  # "versie" is ours: not "Versie versie 3.1"
            "effective_from": effective_from.isoformat(),
        },
    )
    statement = board.statement_versions.latest()
    assert (statement.number, statement.version_label) == (2, "3.1")
    title = f"Versie 3.1 (nummer 2), geldt vanaf {dateformat.format(effective_from, 'j F Y')}"

    page = squeeze(client.get(f"/privacy/{board.slug}/privacyverklaring/").content.decode())
    assert title in page
    assert "Versie 1 (" in page  # the earlier version keeps its plain number
    assert title in squeeze(client.get(f"/privacy/{board.slug}/versies/").content.decode())
    overview = client.get(reverse("statement_overview", kwargs={"board": board.slug}))
    assert title in squeeze(overview.content.decode())
    if shutil.which("pdftotext"):
        pdf = client.get(f"/privacy/{board.slug}/privacyverklaring.pdf").content
        assert title in squeeze(pdf_text(pdf))


@pytest.mark.parametrize(
    ("days", "label", "message"),
    [
        (-1, "3.1", "Kies vandaag of een datum binnen een jaar."),
        (367, "3.1", "Kies vandaag of een datum binnen een jaar."),
        (0, "x" * 31, "niet meer dan 30 tekens"),
    ],
    ids=["past", "far", "long"],
)
def test_a_past_or_far_effective_date_or_a_long_label_is_refused_in_dutch(
    client, officer, days, label, message
):
    approved_activity(officer.board)
    response = client.post(
        reverse("statement_publish_board", kwargs={"board": officer.board.slug}),
        {
            "change_summary": "x",
            "version_label": label,
            "effective_from": (timezone.localdate() + datetime.timedelta(days=days)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not officer.board.statement_versions.exists()


@needs_pdftotext
def test_the_pdf_cover_names_the_version_as_the_board_does(client, officer):
    approved_activity(officer.board)
    statement_publish(
        actor=officer.user,
        board=officer.board,
        school=None,
        change_summary="x",
        version_label="juli 2026",
        effective_from=timezone.localdate(),
    )
    pdf = client.get(f"/privacy/{officer.board.slug}/privacyverklaring.pdf").content
    today = dateformat.format(timezone.localdate(), "j F Y")
    assert f"Versie juli 2026 (nummer 1), geldt vanaf {today}" in squeeze(pdf_text(pdf))


# 2. Security measures grouped


def test_security_measures_are_grouped_as_technical_and_organisational(officer):
    board = officer.board
    activity = approved_activity(board)
    activity.security_measures.add(
        board.security_measures.create(name="Versleutelde laptops", kind="technisch"),
        board.security_measures.create(name="Geheimhoudingsverklaring", kind="organisatorisch"),
    )
    html = statement_publish(actor=officer.user, board=board, school=None, change_summary="x").html
    section = text_of(html, "beveiliging")
    assert section.index("Technische maatregelen") < section.index("Versleutelde laptops")
    assert section.index("Versleutelde laptops") < section.index("organisatorische maatregelen")
    assert section.index("organisatorische maatregelen") < section.index("Geheimhouding")


def test_a_kind_of_measure_without_measures_is_left_out(officer):
    board = officer.board
    activity = approved_activity(board)
    activity.security_measures.add(
        board.security_measures.create(name="Versleutelde laptops", kind="technisch")
    )
    html = statement_publish(actor=officer.user, board=board, school=None, change_summary="x").html
    assert "Technische maatregelen" in html
    assert "organisatorische maatregelen" not in html


# 3. Empty sections left out


def headings_or_lead_ins_followed_by_nothing(html: str) -> list[str]:
    """Lists and tables without items, lead-ins ending in ':' without a list after them,
    and headings with nothing after them in their section."""
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag)[:80] for tag in soup.find_all(["ul", "ol"]) if not tag.find("li")]
    found += [str(tag)[:80] for tag in soup.find_all("table") if not tag.find("td")]
    for lead_in in soup.find_all("p"):
        if lead_in.get_text().strip().endswith(":"):
            after = lead_in.find_next_sibling()
            if after is None or after.name not in ("ul", "ol", "table", "dl"):
                found.append(lead_in.get_text().strip())
    for heading in soup.find_all(["h2", "h3"]):
        after = heading.find_next_sibling()
        if after is None or after.name in ("h2", "h3"):
            found.append(heading.get_text().strip())
    return found


def test_a_near_empty_board_says_nothing_that_is_followed_by_nothing(officer):
    """No schools, one activity with nothing but a purpose and a retention rule."""
    board = officer.board
    assert not board.schools.exists()
    approved_activity(board, name="Leerlingadministratie")
    html = statement_publish(actor=officer.user, board=board, school=None, change_summary="x").html
    assert headings_or_lead_ins_followed_by_nothing(html) == []
    assert "van deze scholen" not in html
    assert "onder andere zo:" not in html


def test_a_board_without_any_approved_activity_says_nothing_that_is_followed_by_nothing(officer):
    _findings, html, _changes = statement_preview(officer.board, None)
    assert headings_or_lead_ins_followed_by_nothing(html) == []


def test_a_board_with_schools_names_them(officer):
    SchoolFactory(board=officer.board, name="De Ark")
    approved_activity(officer.board)
    html = statement_publish(
        actor=officer.user, board=officer.board, school=None, change_summary="x"
    ).html
    assert "is het bevoegd gezag van deze scholen" in html
    assert "<li>De Ark</li>" in html


def test_the_demo_statements_say_nothing_that_is_followed_by_nothing(demo, client):
    for url in ["/privacy/cpow/de-regenboog/", "/privacy/veluwse-onderwijsgroep/"]:
        body = BeautifulSoup(client.get(url).content, "html.parser").find("article")
        assert headings_or_lead_ins_followed_by_nothing(str(body)) == [], url


# 4. In het kort


def test_in_het_kort_comes_first_and_says_who_what_rights_and_contact(officer):
    board = officer.board
    board.fg_is_external, board.fg_name = True, "P. Rivacy"
    board.save()
    school = SchoolFactory(board=board, name="De Ark")
    activity = approved_activity(board, name="Leerlingadministratie")
    activity.subject_groups.add(board.subject_groups.create(name="Leerlingen"))
    html = statement_publish(
        actor=officer.user, board=board, school=school, change_summary="x"
    ).html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h2").get_text() == "In het kort"  # before the contents and the full text
    summary = text_of(html, "kort")
    assert f"De Ark hoort bij {board.name}." in summary
    assert "Wij gebruiken gegevens van leerlingen." in summary
    assert "voor leerlingadministratie" in summary
    assert soup.find(id="kort").find("a", href="#rechten")
    assert board.privacy_email in summary
    assert "functionaris gegevensbescherming (FG), P. Rivacy (extern)" in summary


@pytest.mark.parametrize(
    "url", ["/privacy/cpow/de-regenboog/", "/privacy/veluwse-onderwijsgroep/cortenbosch/"]
)
def test_in_het_kort_of_a_demo_school_is_short(demo, client, url):
    summary = text_of(client.get(url).content.decode(), "kort")
    assert len(summary.split()) <= 120


# 5. The board's order of activities


def activity_order(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [h.get_text() for h in soup.select("#doelen section.activity h3")]


def test_the_privacy_officer_puts_the_activities_in_order_and_the_statement_follows(
    client, officer
):
    board = officer.board
    for name in ["Administratie", "Begeleiding", "Cameratoezicht"]:
        approved_activity(board, name=name)
    url = reverse("statement_order", kwargs={"board": board.slug})
    page = client.get(url).content.decode()
    assert page.index("Administratie") < page.index("Begeleiding") < page.index("Camera")

    camera = board.activities.get(name="Cameratoezicht")
    response = client.post(url, {"op": camera.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#v{camera.pk}")
    client.post(url, {"op": camera.pk})
    client.post(url, {"neer": board.activities.get(name="Administratie").pk})
    approved_activity(board, name="Aanmelden")  # never placed: at the end

    first = statement_publish(actor=officer.user, board=board, school=None, change_summary="x")
    expected = ["Cameratoezicht", "Begeleiding", "Administratie", "Aanmelden"]
    assert activity_order(first.html) == expected
    assert "voor cameratoezicht, voor begeleiding en voor administratie" in text_of(
        first.html, "kort"
    )

    client.post(url, {"neer": camera.pk})
    first.refresh_from_db()
    assert activity_order(first.html) == expected  # a published version keeps its order
    second = statement_publish(actor=officer.user, board=board, school=None, change_summary="y")
    assert activity_order(second.html)[:2] == ["Begeleiding", "Cameratoezicht"]


def test_moving_an_activity_is_no_new_version_of_it(client, officer):
    board = officer.board
    first, second = approved_activity(board, name="A"), approved_activity(board, name="B")
    records = second.history.count()
    client.post(reverse("statement_order", kwargs={"board": board.slug}), {"op": second.pk})
    second.refresh_from_db()
    assert second.is_approved and second.version == 1
    assert second.history.count() == records
    assert list(board.activities.in_statement_order()) == [second, first]


@pytest.mark.parametrize(
    "data", [{}, {"op": "999999"}, {"op": "x"}], ids=["none", "unknown", "not-a-number"]
)
def test_a_move_without_a_known_activity_moves_nothing(client, officer, data):
    approved_activity(officer.board)
    response = client.post(reverse("statement_order", kwargs={"board": officer.board.slug}), data)
    assert response.status_code == 200
    assert not officer.board.activities.exclude(statement_position=None).exists()


def test_an_activity_of_another_board_cannot_be_moved(client, officer):
    other = approved_activity(BoardFactory())
    client.post(reverse("statement_order", kwargs={"board": officer.board.slug}), {"op": other.pk})
    other.refresh_from_db()
    assert other.statement_position is None


# 6. Legal terms explained where they appear


def test_legal_terms_are_explained_in_a_plain_sentence_with_the_article_after(officer):
    board = officer.board
    board.fg_is_external = True
    board.save()
    activity = approved_activity(board)
    processor = board.recipients.create(
        name="Leverancier LVS", kind="verwerker", dpa_status="getekend"
    )
    activity.processors.add(processor)
    activity.transfers.create(recipient=processor, country="Verenigde Staten", safeguard="dpf")
    special = board.data_categories.create(
        name="Medische gegevens", kind="bijzonder", special_type="gezondheid"
    )
    activity.data_categories.create(
        category=special, subject_group=board.subject_groups.create(name="Leerlingen")
    )
    _findings, html, _changes = statement_preview(board, None)  # as published: the same render
    text = squeeze(BeautifulSoup(html, "html.parser").get_text(" "))
    for explanation in [
        "Zo’n reden heet een grondslag.",
        "Wij mogen dit doen omdat de wet het ons verplicht (artikel 6 lid 1 onder c AVG).",
        "Een verwerker is een leverancier die gegevens alleen in onze opdracht gebruikt",
        "De functionaris gegevensbescherming (FG) houdt toezicht",
        "Onze FG is extern",
        "De wet noemt die bijzondere persoonsgegevens.",
        "dan heet dat doorgifte.",
    ]:
        assert explanation in text
