"""The dashboard puts the open data breaches first (issue 20): for who handles them the most
urgent with the hours left and the measures past their date, for the FG those awaiting advice,
for a school leader those of their school."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from breaches import services
from breaches.models import Breach, BreachMeasure
from privacyregister.roles import Role
from tests.factories import BreachFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def report(board, hours_ago: float, **fields) -> Breach:
    discovered = timezone.now() - hours_ago * HOUR
    return services.breach_report(
        breach=BreachFactory.build(
            board=board, source=Breach.Source.STAFF, discovered_at=discovered, **fields
        )
    )


def dashboard(client) -> str:
    return client.get(reverse("dashboard")).content.decode()


def test_the_privacy_officer_sees_open_breaches_first_the_most_urgent_on_top(client, officer):
    board = officer.board
    recent = report(board, 2)
    late = report(board, 80)
    closed = report(board, 200)
    Breach.objects.filter(pk=closed.pk).update(status=Breach.Status.CLOSED)
    page = dashboard(client)
    assert "2 open datalekken" in page
    assert page.index("2 open datalekken") < page.index("<h2>") + 400  # before anything else
    assert page.index(late.reference) < page.index(recent.reference)
    assert closed.reference not in page
    assert '<li class="overdue">' in page
    assert "72 uur verstreken, nog niet gemeld bij de AP" in page
    assert "nog 69 uur" in page or "nog 70 uur" in page


def test_the_privacy_officer_sees_measures_past_their_date_with_their_owner(client, officer):
    breach = report(officer.board, 5)
    owner = UserFactory(full_name="Ilse Beheer")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    BreachMeasure.objects.create(
        breach=breach, description="Wachtwoord wijzigen", owner=owner, due_on=yesterday
    )
    BreachMeasure.objects.create(
        breach=breach,
        description="Later doen",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    page = dashboard(client)
    assert "Maatregelen bij datalekken over de datum" in page
    assert "Wachtwoord wijzigen" in page and "Ilse Beheer" in page
    assert "Later doen" not in page


def test_the_fg_sees_the_open_breaches_and_those_awaiting_advice(client, officer):
    board = officer.board
    fg = MembershipFactory(board=board, role=Role.FG)
    advised, waiting = report(board, 3), report(board, 4)
    services.breach_advise(actor=fg.user, breach=advised, advice="Melden.")
    client.force_login(fg.user)
    page = dashboard(client)
    assert "2 open datalekken" in page
    start = page.index("Datalekken die wachten op uw advies")
    section = page[start : page.index("</ul>", start)]
    assert waiting.reference in section and advised.reference not in section
    assert "Maatregelen bij datalekken" not in page


def test_the_school_leader_sees_only_the_open_breaches_of_their_school(client, schoolleider):
    own = report(schoolleider.board, 3, school=schoolleider.school)
    other = report(schoolleider.board, 3, school=SchoolFactory(board=schoolleider.board))
    page = dashboard(client)
    assert "1 open datalek" in page
    assert own.reference in page and other.reference not in page


def test_a_medewerker_sees_no_breaches(client, officer):
    report(officer.board, 3)
    school = SchoolFactory(board=officer.board)
    member = MembershipFactory(board=officer.board, role=Role.MEDEWERKER, school=school)
    client.force_login(member.user)
    assert "open datalek" not in dashboard(client)


def test_the_dashboard_reads_breaches_with_a_fixed_number_of_queries(client, officer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(context.captured_queries)

    report(officer.board, 3)
    queries()  # the first request after logging in also saves the session
    few = queries()
    for hours in range(5):
        breach = report(officer.board, hours + 1, school=SchoolFactory(board=officer.board))
        BreachMeasure.objects.create(
            breach=breach, description="x", owner=UserFactory(), due_on=datetime.date(2020, 1, 1)
        )
    assert queries() == few
