import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from breaches.models import Breach, BreachEvent
from privacyregister.models import SecurityEvent
from privacyregister.roles import Role
from processing.models import Recipient
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    RecipientFactory,
    SchoolFactory,
    StatementVersionFactory,
)

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def board():
    """A board with a published statement, a privacy officer and an FG who is a member."""
    board = BoardFactory(fg_email="fg@bestuur.example")
    StatementVersionFactory(board=board)
    MembershipFactory(board=board, role=Role.PRIVACY_OFFICER, user__email="po@bestuur.example")
    MembershipFactory(board=board, role=Role.FG, user__email="fg@bestuur.example")
    return board


def public_url(board) -> str:
    return reverse("breach_report_public", kwargs={"board": board.slug})


def report(client, board, ip: str = "192.0.2.1", **fields):
    data = {
        "what_happened": "De laptop van de leerkracht van groep 5 is gestolen uit de auto.",
        "discovered_at": moment(timezone.now() - HOUR),
    } | fields
    return client.post(public_url(board), data, REMOTE_ADDR=ip)


def test_a_parent_reports_a_leak_and_sees_its_reference_and_what_happens_next(client, board):
    school = SchoolFactory(board=board)
    response = report(client, board, school=school.pk, reporter_email="ouder@example.nl")
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert (breach.board, breach.source, breach.school) == (board, Breach.Source.PUBLIC, school)
    assert breach.reporter_email == "ouder@example.nl"
    assert breach.events.get().kind == BreachEvent.Kind.REPORTED
    assert SecurityEvent.objects.get(action="breaches.reported").ip_address == "192.0.2.1"

    page = client.get(response.url)
    assert page.status_code == 200
    assert breach.reference in page.text
    assert "Autoriteit Persoonsgegevens" in page.text
    assert "72 uur" in page.text


def test_the_page_after_sending_shows_no_reference_to_another_browser(client, board):
    report(client, board)
    client.cookies.clear()
    sent = reverse("breach_report_public_sent", kwargs={"board": board.slug})
    response = client.get(sent)
    assert response.status_code == 302
    assert response.url == public_url(board)


def test_the_privacy_officer_and_the_fg_get_a_mail_without_what_the_reporter_wrote(
    client, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(client, board, what_happened="Het dossier van Jan de Vries lag op straat.")
    breach = Breach.objects.get()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "fg@bestuur.example",
        "po@bestuur.example",
    ]
    message = mail.outbox[0]
    assert message.subject == f"Nieuwe melding datalek {breach.reference}"
    assert f"/b/{board.slug}/datalekken/{breach.pk}/" in message.body
    assert "Jan de Vries" not in message.body


def test_an_external_fg_who_is_no_member_is_mailed_at_the_boards_fg_address(
    client, django_capture_on_commit_callbacks
):
    board = BoardFactory(fg_email="extern-fg@example.nl")
    StatementVersionFactory(board=board)
    MembershipFactory(board=board, role=Role.PRIVACY_OFFICER, user__email="po@bestuur.example")
    with django_capture_on_commit_callbacks(execute=True):
        report(client, board)
    assert sorted(m.to[0] for m in mail.outbox) == ["extern-fg@example.nl", "po@bestuur.example"]


def test_the_form_offers_the_boards_active_schools_and_an_answer_for_not_knowing(client, board):
    school = SchoolFactory(board=board, name="De Regenboog")
    SchoolFactory(board=board, name="Gesloten School", archived_at=timezone.now())
    SchoolFactory(name="School Van Een Ander Bestuur")
    page = client.get(public_url(board), {"school": school.slug})
    assert page.status_code == 200
    assert "De Regenboog" in page.text and "Weet ik niet" in page.text
    assert "Gesloten School" not in page.text and "Ander Bestuur" not in page.text
    assert f'<option value="{school.pk}" selected>' in page.text


def test_an_unknown_board_and_one_that_published_nothing_have_no_report_page(client):
    assert client.get("/privacy/bestaat-niet/datalek-melden/").status_code == 404
    assert client.get(public_url(BoardFactory())).status_code == 404


def test_a_school_of_another_board_is_refused(client, board):
    other = SchoolFactory()
    response = report(client, board, school=other.pk)
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not Breach.objects.exists()


def test_a_filled_in_honeypot_is_refused_in_dutch_and_nothing_is_stored(
    client, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, board, website="http://spam.example")
    assert response.status_code == 400
    assert "Uw melding is niet verstuurd" in response.text
    assert not Breach.objects.exists()
    assert not mail.outbox


def test_the_sixth_report_from_one_address_in_an_hour_is_refused_with_429(client, board):
    for _ in range(5):
        assert report(client, board).status_code == 302
    response = report(client, board)
    assert response.status_code == 429
    assert "Probeer het opnieuw na" in response.text
    assert "Bel dan de school" in response.text
    assert Breach.objects.count() == 5
    # Another address may still report.
    assert report(client, board, ip="192.0.2.2").status_code == 302


@pytest.mark.parametrize(
    ("field", "length"),
    [("what_happened", 5_001), ("reporter_name", 151), ("reporter_phone", 31)],
)
def test_every_field_has_a_length_limit(client, board, field, length):
    response = report(client, board, **{field: "a" * length})
    assert response.status_code == 200
    assert "Zorg dat deze waarde niet meer dan" in response.text
    assert not Breach.objects.exists()


def test_text_with_markup_is_refused_with_a_dutch_message(client, board):
    response = report(client, board, what_happened='Zie <script>alert("x")</script>')
    assert response.status_code == 200
    assert "Gebruik geen HTML-code" in response.text
    assert not Breach.objects.exists()
    assert (
        report(client, board, what_happened="Minder dan <3 leerlingen, < 5 zeker").status_code
        == 302
    )


def test_a_discovery_in_the_future_is_refused_at_its_field(client, board):
    response = report(client, board, discovered_at=moment(timezone.now() + 2 * HOUR))
    assert response.status_code == 200
    assert "Dit tijdstip ligt in de toekomst." in response.text
    assert not Breach.objects.exists()


def test_a_discovery_before_the_leak_happened_is_refused_once(client, board):
    response = report(
        client,
        board,
        occurred_at=moment(timezone.now() - HOUR),
        discovered_at=moment(timezone.now() - 3 * HOUR),
    )
    assert response.status_code == 200
    message = "Een lek kan niet ontdekt zijn voordat het gebeurde."
    # Once at the field, once in the summary above the form that links to it.
    assert response.text.count(message) == 2
    assert not Breach.objects.exists()


def test_a_staff_report_starts_the_clock_when_the_staff_member_discovered_it(client):
    school = SchoolFactory()
    membership = MembershipFactory(
        board=school.board, school=school, role=Role.MEDEWERKER, user__full_name="M. Dewerker"
    )
    client.force_login(membership.user)
    discovered = timezone.now().replace(second=0, microsecond=0) - 5 * HOUR
    url = reverse("report_breach", kwargs={"board": membership.board.slug})
    page = client.get(url)
    assert "Gemeld door een verwerker" not in page.text
    response = client.post(
        url, {"what_happened": "Mail aan de verkeerde ouder.", "discovered_at": moment(discovered)}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    breach = Breach.objects.get()
    assert (breach.source, breach.aware_at, breach.reported_by) == (
        Breach.Source.STAFF,
        discovered,
        membership.user,
    )
    assert (breach.reporter_name, breach.reporter_email) == ("M. Dewerker", membership.user.email)
    assert breach.reference in client.get(response.url, follow=True).text


def test_only_who_handles_breaches_can_enter_a_processors_report(client, officer):
    processor = RecipientFactory(board=officer.board, kind=Recipient.Kind.PROCESSOR)
    told = timezone.now().replace(second=0, microsecond=0) - 2 * HOUR
    url = reverse("report_breach", kwargs={"board": officer.board.slug})
    response = client.post(
        url,
        {
            "what_happened": "De leverancier van het leerlingvolgsysteem meldt een inbraak.",
            "discovered_at": moment(told - 20 * HOUR),
            "from_processor": "on",
            "processor": processor.pk,
            "told_at": moment(told),
        },
    )
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert (breach.source, breach.reporting_processor, breach.aware_at) == (
        Breach.Source.PROCESSOR,
        processor,
        told,
    )

    school = SchoolFactory(board=officer.board)
    medewerker = MembershipFactory(board=officer.board, school=school, role=Role.MEDEWERKER)
    client.force_login(medewerker.user)
    client.post(
        url,
        {
            "what_happened": "Nog een.",
            "discovered_at": moment(told - 20 * HOUR),
            "from_processor": "on",
            "processor": processor.pk,
            "told_at": moment(told),
        },
    )
    # The fields are not there for a medewerker: a staff report, its clock from the discovery.
    latest = Breach.objects.latest("number")
    assert (latest.source, latest.reporting_processor) == (Breach.Source.STAFF, None)


def test_a_processors_report_needs_the_processor_and_when_it_told_us(client, officer):
    url = reverse("report_breach", kwargs={"board": officer.board.slug})
    response = client.post(
        url,
        {
            "what_happened": "Melding van een leverancier.",
            "discovered_at": moment(timezone.now() - HOUR),
            "from_processor": "on",
        },
    )
    assert response.status_code == 200
    assert "Kies de verwerker die het lek meldde." in response.text
    assert "Vul in wanneer de verwerker het ons liet weten." in response.text
    assert not Breach.objects.exists()


def test_a_processor_of_another_board_cannot_be_chosen(client, officer):
    other = RecipientFactory(kind=Recipient.Kind.PROCESSOR)
    url = reverse("report_breach", kwargs={"board": officer.board.slug})
    response = client.post(
        url,
        {
            "what_happened": "Melding van een leverancier.",
            "discovered_at": moment(timezone.now() - 2 * HOUR),
            "from_processor": "on",
            "processor": other.pk,
            "told_at": moment(timezone.now() - HOUR),
        },
    )
    assert response.status_code == 200
    assert not Breach.objects.exists()


def test_every_statement_page_and_the_boards_page_link_to_the_report_form(client, board):
    school = SchoolFactory(board=board)
    StatementVersionFactory(board=board, school=school)
    link = public_url(board)
    assert link in client.get(f"/privacy/{board.slug}/privacyverklaring/").text
    assert (
        f"{link}?school={school.slug}" in client.get(f"/privacy/{board.slug}/{school.slug}/").text
    )
    assert link in client.get(f"/privacy/{board.slug}/").text
