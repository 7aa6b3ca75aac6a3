import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from breaches import services
from breaches.models import Breach, BreachEvent, BreachMeasure
from privacyregister.dates import dutch_moment
from privacyregister.models import SecurityEvent
from tests.factories import ActivityFactory, BoardFactory, BreachFactory, SchoolFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def report(**fields) -> Breach:
    fields.setdefault("board", BoardFactory())
    return services.breach_report(breach=BreachFactory.build(**fields))


def decided(breach: Breach, user, **answers) -> Breach:
    answers = {"personal_data_involved": True, "risk_unlikely": False, "high_risk": False} | answers
    return services.breach_decide(actor=user, breach=breach, motivation="Omdat.", **answers)


def test_a_report_gets_the_next_number_of_its_board_and_a_reference_with_the_year():
    board = BoardFactory()
    first, second = report(board=board), report(board=board)
    other = report()
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert second.reference == f"DL-{timezone.localdate():%Y}-0002"


def test_the_clock_of_a_public_report_starts_when_it_comes_in():
    breach = report(discovered_at=timezone.now() - 30 * HOUR)
    assert breach.aware_at == breach.reported_at
    assert breach.deadline == breach.reported_at + 72 * HOUR


def test_the_clock_of_a_staff_report_starts_when_the_staff_member_discovered_it():
    discovered = timezone.now() - 30 * HOUR
    breach = report(source=Breach.Source.STAFF, discovered_at=discovered)
    assert breach.aware_at == discovered
    assert breach.hours_left(timezone.now()) == 41


def test_a_report_starts_the_timeline_and_the_security_log():
    breach = report()
    assert list(breach.events.values_list("kind", flat=True)) == [BreachEvent.Kind.REPORTED]
    assert SecurityEvent.objects.get(board=breach.board).action == "breaches.reported"
    assert breach.history.count() == 1


@pytest.mark.parametrize("field", ["discovered_at", "occurred_at"])
def test_a_moment_in_the_future_is_refused(field):
    fields = {field: timezone.now() + HOUR}
    if field == "occurred_at":
        fields["discovered_at"] = timezone.now() - HOUR
    with pytest.raises(ValidationError) as error:
        report(**fields)
    assert "toekomst" in str(error.value.message_dict[field])
    assert not Breach.objects.exists()


def test_a_discovery_before_the_breach_happened_is_refused():
    with pytest.raises(ValidationError) as error:
        report(occurred_at=timezone.now() - HOUR, discovered_at=timezone.now() - 2 * HOUR)
    assert "voordat het gebeurde" in str(error.value.message_dict["occurred_at"])


def test_a_school_of_another_board_is_refused():
    with pytest.raises(ValidationError) as error:
        report(school=SchoolFactory())
    assert "hoort niet bij dit bestuur" in str(error.value.message_dict["school"])


def test_a_decision_without_motivation_is_refused(officer):
    breach = report(board=officer.board)
    with pytest.raises(ValueError, match="Motiveer"):
        services.breach_decide(
            actor=officer.user,
            breach=breach,
            personal_data_involved=True,
            risk_unlikely=True,
            high_risk=None,
            motivation="  ",
        )
    breach.refresh_from_db()
    assert breach.decided_at is None


@pytest.mark.parametrize(
    ("answers", "notify", "inform"),
    [
        ({"personal_data_involved": False, "risk_unlikely": None, "high_risk": None}, False, False),
        ({"risk_unlikely": True, "high_risk": None}, False, False),
        ({"risk_unlikely": False, "high_risk": False}, True, False),
        ({"risk_unlikely": False, "high_risk": True}, True, True),
    ],
)
def test_the_decision_aid_says_whether_to_notify_the_ap_and_inform_the_people(
    officer, answers, notify, inform
):
    breach = decided(report(board=officer.board), officer.user, **answers)
    assert (breach.must_notify_ap, breach.must_inform_subjects) == (notify, inform)
    assert breach.status == Breach.Status.ASSESSED


def test_an_answer_that_the_earlier_answers_make_irrelevant_is_not_kept(officer):
    breach = decided(
        report(board=officer.board), officer.user, personal_data_involved=False, high_risk=True
    )
    assert breach.high_risk is None
    assert breach.risk_unlikely is None


def test_a_decision_to_notify_needs_the_high_risk_question_answered(officer):
    with pytest.raises(ValueError, match="hoog"):
        decided(report(board=officer.board), officer.user, high_risk=None)


def test_the_hours_left_stop_counting_once_the_ap_is_notified_or_notifying_is_not_needed(officer):
    breach = decided(report(board=officer.board), officer.user, risk_unlikely=True)
    assert breach.hours_left(timezone.now()) is None
    notify = decided(report(board=officer.board), officer.user)
    assert notify.hours_left(timezone.now()) == 71
    services.breach_record_ap_notification(
        actor=officer.user, breach=notify, notified_at=timezone.now(), reference="M-1"
    )
    assert notify.hours_left(timezone.now()) is None


def test_a_late_notification_to_the_ap_needs_its_reason(officer):
    breach = report(board=officer.board, source=Breach.Source.STAFF)
    breach.aware_at = breach.discovered_at = timezone.now() - 80 * HOUR
    breach.save()
    with pytest.raises(ValidationError) as error:
        services.breach_record_ap_notification(
            actor=officer.user, breach=breach, notified_at=timezone.now(), reference="M-1"
        )
    assert "72 uur" in str(error.value.message_dict["ap_late_reason"])
    breach = Breach.objects.get(pk=breach.pk)
    services.breach_record_ap_notification(
        actor=officer.user,
        breach=breach,
        notified_at=timezone.now(),
        reference="M-1",
        late_reason="Het lek werd pas na het weekend bij de privacycoördinator gemeld.",
    )
    assert breach.notified_late


def test_closing_is_refused_until_the_decision_the_notifications_and_the_measures_are_done(
    officer,
):
    breach = report(board=officer.board)
    with pytest.raises(ValueError, match="besluit"):
        services.breach_close(actor=officer.user, breach=breach)
    decided(breach, officer.user, high_risk=True)
    measure = BreachMeasure.objects.create(breach=breach, description="Printer met pincode")
    assert len(services.close_refusals(breach)) == 3
    services.breach_record_ap_notification(
        actor=officer.user, breach=breach, notified_at=timezone.now(), reference="M-1"
    )
    services.breach_record_subjects_informed(
        actor=officer.user, breach=breach, informed_at=timezone.now()
    )
    measure.done_on = timezone.localdate()
    measure.save()
    services.breach_close(actor=officer.user, breach=breach)
    assert breach.status == Breach.Status.CLOSED
    with pytest.raises(ValueError, match="afgesloten"):
        services.breach_advise(actor=officer.user, breach=breach, advice="Meld het.")


def test_only_the_boards_own_activities_and_schools_can_be_linked(officer):
    breach = report(board=officer.board)
    with pytest.raises(ValueError, match="dit bestuur"):
        services.breach_link(
            actor=officer.user,
            breach=breach,
            activities=[ActivityFactory()],
            processors=[],
            schools=[],
        )
    own = ActivityFactory(board=officer.board)
    services.breach_link(
        actor=officer.user, breach=breach, activities=[own], processors=[], schools=[]
    )
    assert list(breach.activities.all()) == [own]
    assert breach.status == Breach.Status.IN_PROGRESS


def test_a_long_measure_is_cut_short_on_the_timeline_and_kept_whole_on_the_measure(officer):
    """The timeline's description holds 300 characters; PostgreSQL refuses more."""
    breach = report(board=officer.board)
    text = "Alle laptops versleutelen. " * 18 + "x" * 14
    assert len(text) == 500
    measure = services.breach_measure_add(
        actor=officer.user, breach=breach, description=text, owner=None, due_on=None
    )
    event = breach.events.get(kind=BreachEvent.Kind.MEASURE)
    assert len(event.description) == 300 and event.description.endswith("…")
    assert event.description.startswith("Maatregel toegevoegd: Alle laptops versleutelen.")
    measure.refresh_from_db()
    assert measure.description == text


def test_the_reference_keeps_the_year_the_report_came_in_when_the_aware_moment_moves(officer):
    """A staff member reports on 2 January a leak they found on 30 December: the reporter got
    DL-<this year>, and so it stays."""
    breach = report(board=officer.board, source=Breach.Source.STAFF)
    reported = breach.reference
    last_year = breach.reported_at - datetime.timedelta(days=400)
    Breach.objects.filter(pk=breach.pk).update(discovered_at=last_year, aware_at=last_year)
    breach.refresh_from_db()
    assert breach.reference == reported == f"DL-{timezone.localdate(breach.reported_at):%Y}-0001"


def test_the_board_cannot_have_known_of_a_leak_later_than_it_was_reported(officer):
    breach = report(board=officer.board, discovered_at=timezone.now() - 30 * HOUR)
    Breach.objects.filter(pk=breach.pk).update(reported_at=timezone.now() - 10 * HOUR)
    breach.refresh_from_db()
    breach.aware_at = breach.reported_at + HOUR
    with pytest.raises(ValidationError) as error:
        services.breach_assess(actor=officer.user, breach=breach)
    assert "uiterlijk toen het gemeld werd" in str(error.value.message_dict["aware_at"])


def test_moving_the_aware_moment_is_a_step_of_its_own_on_the_timeline_and_in_the_log(officer):
    breach = report(board=officer.board, discovered_at=timezone.now() - 30 * HOUR)
    was = breach.aware_at
    breach.aware_at = was - 5 * HOUR
    services.breach_assess(actor=officer.user, breach=breach)
    events = list(breach.events.filter(kind=BreachEvent.Kind.ASSESSED).order_by("pk"))
    assert len(events) == 2
    assert events[1].description == (
        f"Bekend bij het bestuur gewijzigd van {dutch_moment(was)} naar "
        f"{dutch_moment(breach.aware_at)}; melden bij de AP uiterlijk "
        f"{dutch_moment(breach.deadline)}."
    )
    assert events[1].actor == officer.user
    assert SecurityEvent.objects.filter(action="breaches.assessed").count() == 2


def test_saving_the_facts_in_the_same_minute_keeps_the_aware_moment_and_logs_no_change(officer):
    breach = report(board=officer.board)
    was = breach.aware_at
    breach.aware_at = was.replace(second=0, microsecond=0)
    services.breach_assess(actor=officer.user, breach=breach)
    breach.refresh_from_db()
    assert breach.aware_at == was
    assert breach.events.filter(kind=BreachEvent.Kind.ASSESSED).count() == 1


def test_a_notification_in_the_minute_the_board_learnt_of_the_breach_is_not_refused(officer):
    breach = decided(report(board=officer.board), officer.user)
    in_that_minute = breach.aware_at.replace(second=0, microsecond=0)
    services.breach_record_ap_notification(
        actor=officer.user, breach=breach, notified_at=in_that_minute, reference="M-1"
    )
    assert breach.ap_notified_at == in_that_minute
    with pytest.raises(ValueError, match="vóór het lek bekend was"):
        services.breach_record_ap_notification(
            actor=officer.user,
            breach=breach,
            notified_at=in_that_minute - datetime.timedelta(minutes=1),
            reference="M-1",
        )
