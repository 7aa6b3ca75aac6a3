"""A flood of public reports: past the board's hourly limit reports are stored and marked, with
one mail for all of them; past the ceiling the page refuses; one client is still held back."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from breaches import reminders, services
from breaches.models import Breach, BreachEvent
from privacyregister.models import SecurityEvent
from privacyregister.roles import Role
from tests.factories import BoardFactory, BreachFactory, MembershipFactory, StatementVersionFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def board(officer):
    """The logged-in privacy officer's board, with a published statement and an FG."""
    StatementVersionFactory(board=officer.board)
    MembershipFactory(board=officer.board, role=Role.FG, user__email="fg@bestuur.example")
    return officer.board


def earlier_public_reports(board, count: int) -> list[Breach]:
    """Reports from the website that came in this hour, sent without an address of their own."""
    return [services.breach_report(breach=BreachFactory.build(board=board)) for _ in range(count)]


def post_report(client, board, ip: str, text: str = "Ik zag cijferlijsten op internet."):
    return client.post(
        reverse("breach_report_public", kwargs={"board": board.slug}),
        {"what_happened": text, "discovered_at": moment(timezone.now() - HOUR)},
        REMOTE_ADDR=ip,
    )


def test_the_31st_report_of_a_board_in_an_hour_from_a_new_address_is_stored_and_flagged(
    client, board, officer, django_capture_on_commit_callbacks
):
    earlier_public_reports(board, 30)
    client.logout()  # a parent, not the officer
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, board, ip="203.0.113.31", text="Echt lek bij groep 7.")
        assert response.status_code == 302
        # The parent gets the reference and what happens next, as any reporter.
        reported = Breach.objects.get(what_happened="Echt lek bij groep 7.")
        assert reported.reference in client.get(response.url).text
        assert post_report(client, board, ip="203.0.113.32").status_code == 302
    flagged = Breach.objects.filter(flood_suspected=True).order_by("number")
    assert list(flagged) == [reported, Breach.objects.get(number=32)]

    # No mail per report: one mail about the flood, to whoever gets the report mails.
    assert not any("Nieuwe melding datalek" in message.subject for message in mail.outbox)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["fg@bestuur.example", officer.user.email]
    )
    message = mail.outbox[0]
    assert message.subject == f"Veel meldingen van datalekken bij {board.name}"
    assert "mogelijke massamelding" in message.body
    assert f"/b/{board.slug}/datalekken/?massamelding=ja" in message.body
    assert "72 uur" in message.body
    assert "Echt lek" not in message.body
    assert SecurityEvent.objects.filter(action="breaches.flood_suspected").count() == 1


def test_a_report_within_the_limit_is_not_flagged_and_mailed_as_before(
    client, board, django_capture_on_commit_callbacks
):
    earlier_public_reports(board, 29)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_report(client, board, ip="203.0.113.30").status_code == 302
    latest = Breach.objects.latest("number")
    assert not latest.flood_suspected
    assert {message.subject for message in mail.outbox} == {
        f"Nieuwe melding datalek {latest.reference}"
    }


def test_past_the_ceiling_the_page_answers_429_and_stores_nothing(
    client, board, settings, django_capture_on_commit_callbacks
):
    settings.BREACH_REPORTS_PER_BOARD = 2
    settings.BREACH_REPORTS_CEILING_PER_BOARD = 4
    earlier_public_reports(board, 4)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, board, ip="203.0.113.9")
    assert response.status_code == 429
    assert "Probeer het opnieuw na" in response.text
    assert "privacy@bestuur.example" in response.text  # a real reporter can still reach the board
    assert Breach.objects.count() == 4
    assert not SecurityEvent.objects.filter(action="breaches.reported", ip_address="203.0.113.9")
    # Real reports are refused now: the privacy officer and the FG hear of it, once an hour.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "fg@bestuur.example",
        board.memberships.get(role=Role.PRIVACY_OFFICER).user.email,
    ]
    assert mail.outbox[0].subject == (
        f"Meldingen van datalekken bij {board.name} worden nu geweigerd"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_report(client, board, ip="203.0.113.10").status_code == 429
    assert len(mail.outbox) == 2
    # Another board is not held back by it.
    other = BoardFactory()
    StatementVersionFactory(board=other)
    assert post_report(client, other, ip="203.0.113.9").status_code == 302


def test_one_address_is_still_refused_after_five_reports_an_hour(client, board):
    client.logout()
    for _ in range(5):
        assert post_report(client, board, ip="192.0.2.5").status_code == 302
    assert post_report(client, board, ip="192.0.2.5").status_code == 429
    assert Breach.objects.count() == 5


def test_refused_posts_at_the_ceiling_count_against_the_client(client, board, settings):
    settings.BREACH_REPORTS_PER_BOARD = 1
    settings.BREACH_REPORTS_CEILING_PER_BOARD = 1
    earlier_public_reports(board, 1)
    client.logout()
    for _ in range(8):
        assert post_report(client, board, ip="198.51.100.7").status_code == 429
    # Five refusals are noted (the client's limit); after that the client's own limit refuses
    # without writing anything.
    refused = SecurityEvent.objects.filter(action="breaches.report_refused")
    assert refused.filter(ip_address="198.51.100.7").count() == 5


def test_a_flagged_report_is_marked_on_the_list_and_its_page_and_can_be_filtered(
    client, board, settings
):
    settings.BREACH_REPORTS_PER_BOARD = 1
    [usual, flagged] = earlier_public_reports(board, 2)
    assert (usual.flood_suspected, flagged.flood_suspected) == (False, True)
    list_url = reverse("breach_list", kwargs={"board": board.slug})

    everything = client.get(list_url)
    assert {breach for breach, _clock in everything.context["rows"]} == {usual, flagged}
    assert everything.text.count('<span class="flood-mark">mogelijke massamelding</span>') == 1
    only = client.get(list_url, {"massamelding": "ja"}).context["rows"]
    assert [breach for breach, _clock in only] == [flagged]
    without = client.get(list_url, {"massamelding": "nee"}).context["rows"]
    assert [breach for breach, _clock in without] == [usual]

    page = client.get(reverse("breach_detail", kwargs={"board": board.slug, "pk": flagged.pk}))
    assert "Mogelijke massamelding" in page.text
    assert "De termijn van 72 uur loopt vanaf het moment dat het bestuur van een lek weet" in (
        page.text
    )
    usual_page = client.get(reverse("breach_detail", kwargs={"board": board.slug, "pk": usual.pk}))
    assert "Mogelijke massamelding" not in usual_page.text


def test_the_oldest_untouched_flagged_report_is_reminded_of_for_the_whole_flood(
    board, officer, settings, mailoutbox
):
    settings.BREACH_REPORTS_PER_BOARD = 0
    oldest, younger = earlier_public_reports(board, 2)
    assert oldest.flood_suspected and younger.flood_suspected
    later = oldest.aware_at + 25 * HOUR
    assert reminders.remind(younger.pk, later) is False
    assert reminders.send_breach_reminders(later) == 1
    assert oldest.events.filter(kind=BreachEvent.Kind.REMINDER_24).exists()
    [message] = mailoutbox
    assert oldest.reference in message.subject
    assert "geldt voor alle meldingen van de massamelding" in message.body
    assert f"/b/{board.slug}/datalekken/?massamelding=ja" in message.body

    # Taken on, it is reminded of as any report; the next one now stands for the flood.
    services.breach_start(actor=officer.user, breach=oldest)
    oldest.refresh_from_db()
    assert oldest.flood_suspected  # a fact of the report, also once handled
    assert reminders.send_breach_reminders(later) == 1
    assert younger.events.filter(kind=BreachEvent.Kind.REMINDER_24).exists()


def test_the_dashboard_counts_untouched_flagged_reports_apart_from_the_open_breaches(
    client, board, officer, settings
):
    settings.BREACH_REPORTS_PER_BOARD = 1
    [usual, *flagged] = earlier_public_reports(board, 3)
    page = client.get(reverse("dashboard"))
    assert [breach for breach, _hours in page.context["summaries"][0].breaches_open] == [usual]
    assert "2 mogelijke massameldingen nog niet bekeken" in page.text
    assert f"/b/{board.slug}/datalekken/?massamelding=ja" in page.text

    services.breach_start(actor=officer.user, breach=flagged[0])
    page = client.get(reverse("dashboard"))
    open_now = {breach for breach, _hours in page.context["summaries"][0].breaches_open}
    assert open_now == {usual, flagged[0]}
    assert "1 mogelijke massamelding nog niet bekeken" in page.text
