import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from breaches import services
from breaches.models import Breach, BreachEvent, BreachMeasure
from breaches.purge import ANONYMOUS, anonymise_closed_breaches
from privacyregister import audit
from privacyregister.roles import Role
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    BreachFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
YEAR = datetime.timedelta(days=365)
NAME = "Jansen"


@pytest.fixture
def board():
    return BoardFactory(name="Stichting Oud")


@pytest.fixture
def officer(board):
    return MembershipFactory(board=board, role=Role.PRIVACY_OFFICER).user


def closed(board, officer, closed_ago: datetime.timedelta) -> Breach:
    reporter = UserFactory.create(full_name="Meester Jansen")
    breach = services.breach_report(
        breach=BreachFactory.build(
            board=board,
            source=Breach.Source.STAFF,
            what_happened=f"De laptop van meester {NAME} is gestolen.",
            reporter_name=f"Meester {NAME}",
            reporter_email="jansen@school.example",
            reporter_phone="06 12345678",
            data_categories="cijfers, namen",
            approx_people=28,
        ),
        actor=reporter,
    )
    breach.nature = f"Diefstal uit de auto van {NAME}."
    breach.measures_taken = f"{NAME} heeft aangifte gedaan."
    services.breach_assess(actor=officer, breach=breach)
    services.breach_link(
        actor=officer,
        breach=breach,
        activities=[ActivityFactory.create(board=board)],
        processors=[],
        schools=[],
    )
    services.breach_decide(
        actor=officer,
        breach=breach,
        personal_data_involved=True,
        risk_unlikely=True,
        high_risk=None,
        motivation=f"De laptop van {NAME} was versleuteld.",
    )
    BreachMeasure.objects.create(
        breach=breach,
        description=f"{NAME} krijgt een nieuwe laptop",
        owner=officer,
        done_on=timezone.localdate(),
    )
    services.breach_close(actor=officer, breach=breach)
    Breach.objects.filter(pk=breach.pk).update(closed_at=timezone.now() - closed_ago)
    return Breach.objects.get(pk=breach.pk)


def test_a_breach_closed_longer_ago_than_the_period_loses_the_reporter_also_in_its_history(
    board, officer
):
    old = closed(board, officer, 5 * YEAR + datetime.timedelta(days=2))
    assert anonymise_closed_breaches(timezone.now()) == {"Stichting Oud": 1}
    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_email, old.reporter_phone) == ("", "", "")
    assert old.reported_by is None and old.anonymised_at is not None
    assert old.what_happened == ANONYMOUS
    versions = old.history.all()
    assert len(versions) > 3
    for version in versions:
        assert NAME not in version.what_happened + version.reporter_name
        assert version.reporter_email == "" and version.reporter_phone == ""
        assert version.reported_by_id is None
    assert versions.earliest("history_date").history_user is None
    assert not BreachMeasure.objects.filter(breach=old).exclude(owner=None).exists()
    assert not BreachMeasure.history.filter(breach_id=old.pk).exclude(owner=None).exists()
    assert old.events.get(kind=BreachEvent.Kind.REPORTED).actor is None
    assert not BreachEvent.objects.filter(breach=old, description__contains=NAME).exists()


def test_the_art_33_5_record_of_an_anonymised_breach_stays_also_in_its_history(board, officer):
    old = closed(board, officer, 6 * YEAR)
    Breach.objects.filter(pk=old.pk).update(fg_advice="Melden is niet nodig.")
    anonymise_closed_breaches(timezone.now())
    old.refresh_from_db()
    assert old.nature == f"Diefstal uit de auto van {NAME}."
    assert old.measures_taken == f"{NAME} heeft aangifte gedaan."
    assert old.decision_motivation == f"De laptop van {NAME} was versleuteld."
    assert old.fg_advice == "Melden is niet nodig."
    assert old.measures.get().description == f"{NAME} krijgt een nieuwe laptop"
    assert old.history.latest("history_date").nature == old.nature


def test_the_public_reporters_ip_address_goes_from_the_security_log(board, officer, rf):
    old = closed(board, officer, 6 * YEAR)
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    theirs = audit.record("breaches.reported", board=board, request=request, breach=old.reference)
    other = audit.record("breaches.reported", board=board, request=request, breach="DL-1999-0001")
    login = audit.record("login", board=board, request=request, breach=old.reference)
    anonymise_closed_breaches(timezone.now())
    for event in (theirs, other, login):
        event.refresh_from_db()
    assert theirs.ip_address is None
    assert other.ip_address == login.ip_address == "192.0.2.7"


def test_the_facts_of_an_anonymised_breach_stay(board, officer):
    old = closed(board, officer, 6 * YEAR)
    anonymise_closed_breaches(timezone.now())
    old.refresh_from_db()
    assert old.data_categories == "cijfers, namen" and old.approx_people == 28
    assert (old.personal_data_involved, old.risk_unlikely) == (True, True)
    assert old.activities.count() == 1 and old.closed_at is not None
    assert old.events.filter(kind=BreachEvent.Kind.CLOSED).exists()


def test_a_recent_closed_breach_and_an_open_one_are_not_anonymised(board, officer):
    recent = closed(board, officer, 4 * YEAR)
    still_open = services.breach_report(breach=BreachFactory.build(board=board))
    long_ago = timezone.now() - 9 * YEAR
    Breach.objects.filter(pk=still_open.pk).update(discovered_at=long_ago, aware_at=long_ago)
    assert anonymise_closed_breaches(timezone.now()) == {}
    for breach in (recent, still_open):
        breach.refresh_from_db()
        assert breach.anonymised_at is None and ANONYMOUS not in breach.what_happened


def test_the_boards_own_period_counts(board, officer):
    board.breach_anonymise_after_years = 1
    board.save()
    closed(board, officer, 2 * YEAR)
    assert anonymise_closed_breaches(timezone.now()) == {"Stichting Oud": 1}
    assert anonymise_closed_breaches(timezone.now()) == {}  # once


def test_the_command_reports_per_board(board, officer, capsys):
    closed(board, officer, 6 * YEAR)
    call_command("purge_breaches")
    assert "Stichting Oud: 1 datalekken geanonimiseerd." in capsys.readouterr().out
