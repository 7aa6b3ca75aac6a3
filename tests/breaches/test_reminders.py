import datetime

import pytest
from django.core.management import call_command

from breaches import reminders, services
from breaches.clock import DUTCH_TIME
from breaches.models import Breach, BreachEvent
from privacyregister.roles import Role
from tests.factories import BoardFactory, BreachFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
Kind = BreachEvent.Kind


def dutch(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=DUTCH_TIME)


AWARE = dutch(2026, 10, 1, 9, 0)


def report(aware_at=AWARE, **fields) -> Breach:
    """A staff member's report: the clock starts when they discovered it."""
    fields.setdefault("board", BoardFactory())
    return services.breach_report(
        breach=BreachFactory.build(source=Breach.Source.STAFF, discovered_at=aware_at, **fields)
    )


def reminder_kinds(breach: Breach) -> list[str]:
    return list(breach.events.filter(kind__startswith="reminder").values_list("kind", flat=True))


@pytest.fixture
def officer():
    return UserFactory(email="privacy@example.nl")


@pytest.fixture
def board(officer):
    board = BoardFactory()
    MembershipFactory(board=board, user=officer, role=Role.PRIVACY_OFFICER)
    MembershipFactory(board=board, user=UserFactory(email="fg@example.nl"), role=Role.FG)
    return board


def test_nothing_is_sent_in_the_first_24_hours(board, mailoutbox):
    breach = report(board=board)
    assert reminders.send_breach_reminders(AWARE + 24 * HOUR - datetime.timedelta(minutes=1)) == 0
    assert reminder_kinds(breach) == [] and mailoutbox == []


def test_after_24_hours_without_a_decision_the_privacy_officers_get_one_reminder(board, mailoutbox):
    breach = report(board=board)
    assert reminders.send_breach_reminders(AWARE + 24 * HOUR) == 1
    assert reminders.send_breach_reminders(AWARE + 25 * HOUR) == 0
    assert reminder_kinds(breach) == [Kind.REMINDER_24]
    [mail] = mailoutbox
    assert mail.to == ["privacy@example.nl"]
    assert mail.subject == f"Datalek {breach.reference}: nog 48 uur om te beslissen"
    assert "uiterlijk op 4 oktober 2026 om 09:00" in mail.body
    assert "Er zijn nog 48 uur over." in mail.body
    assert f"/b/{board.slug}/datalekken/{breach.pk}/" in mail.body


def test_a_reminder_mail_does_not_quote_the_report(board, mailoutbox):
    report(board=board, what_happened="De laptop van juf Jansen met de cijfers van groep 8.")
    reminders.send_breach_reminders(AWARE + 30 * HOUR)
    assert "Jansen" not in mailoutbox[0].body


def test_the_handler_gets_the_reminder_instead_of_the_privacy_officers(board, mailoutbox):
    handler = UserFactory(email="behandelaar@example.nl")
    MembershipFactory(board=board, user=handler, role=Role.BEHEERDER)
    breach = services.breach_start(actor=handler, breach=report(board=board))
    reminders.send_breach_reminders(AWARE + 48 * HOUR)
    assert reminder_kinds(breach) == [Kind.REMINDER_48]
    assert mailoutbox[0].to == ["behandelaar@example.nl"]


def test_a_worker_that_was_down_sends_only_the_latest_reminder(board, mailoutbox):
    breach = report(board=board)
    assert reminders.send_breach_reminders(AWARE + 50 * HOUR) == 1
    assert reminder_kinds(breach) == [Kind.REMINDER_48]


def test_a_recorded_decision_stops_the_24_and_48_hour_reminders(board, officer, mailoutbox):
    breach = report(board=board)
    services.breach_decide(
        actor=officer,
        breach=breach,
        personal_data_involved=True,
        risk_unlikely=True,
        high_risk=None,
        motivation="Versleutelde laptop.",
    )
    assert reminders.send_breach_reminders(AWARE + 48 * HOUR) == 0
    # Decided not to notify: the deadline passing is no news either.
    assert reminders.send_breach_reminders(AWARE + 80 * HOUR) == 0
    assert mailoutbox == []


def test_a_missed_deadline_is_told_to_the_privacy_officers_and_the_fg_once(board, mailoutbox):
    breach = report(board=board)
    reminders.send_breach_reminders(AWARE + 24 * HOUR)
    assert reminders.send_breach_reminders(AWARE + 72 * HOUR) == 1
    assert reminders.send_breach_reminders(AWARE + 90 * HOUR) == 0
    assert reminder_kinds(breach) == [Kind.REMINDER_24, Kind.REMINDER_MISSED]
    missed = mailoutbox[-1]
    assert missed.to == ["fg@example.nl", "privacy@example.nl"]
    assert missed.subject == f"Datalek {breach.reference}: de 72 uur zijn verstreken"
    assert "reden van de late melding" in missed.body


def test_a_decision_to_notify_without_a_notification_still_gets_the_missed_reminder(
    board, officer, mailoutbox
):
    breach = report(board=board)
    services.breach_decide(
        actor=officer,
        breach=breach,
        personal_data_involved=True,
        risk_unlikely=False,
        high_risk=False,
        motivation="Cijfers van een klas.",
    )
    assert reminders.send_breach_reminders(AWARE + 48 * HOUR) == 0
    assert reminders.send_breach_reminders(AWARE + 73 * HOUR) == 1
    assert reminder_kinds(breach) == [Kind.REMINDER_MISSED]


def test_a_breach_notified_to_the_ap_gets_no_reminder(board, officer, mailoutbox):
    breach = report(board=board)
    services.breach_record_ap_notification(
        actor=officer, breach=breach, notified_at=AWARE + 10 * HOUR, reference="M-1"
    )
    assert reminders.send_breach_reminders(AWARE + 80 * HOUR) == 0


def test_the_24_hour_reminder_across_the_end_of_summer_time_comes_at_11_wall_clock(
    board, mailoutbox
):
    # Aware Saturday 24 October 2026 12:00 summer time; the clocks go back that night, so
    # 24 real hours later it is 11:00 on Sunday.
    aware = dutch(2026, 10, 24, 12, 0)
    breach = report(aware_at=aware, board=board)
    assert reminders.send_breach_reminders(dutch(2026, 10, 25, 10, 59)) == 0
    assert reminders.send_breach_reminders(dutch(2026, 10, 25, 11, 0)) == 1
    assert reminder_kinds(breach) == [Kind.REMINDER_24]
    assert "uiterlijk op 27 oktober 2026 om 11:00" in mailoutbox[0].body


def test_the_queued_task_sends_the_reminder_that_is_due_at_its_time(board, mailoutbox):
    breach = report(aware_at=datetime.datetime.now(DUTCH_TIME) - 25 * HOUR, board=board)
    assert reminders.remind_breach.call(breach.pk) is True
    assert reminders.remind_breach.call(breach.pk) is False
    assert reminder_kinds(breach) == [Kind.REMINDER_24]


def test_a_report_queues_a_task_for_each_reminder_moment(
    settings, board, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        breach = report(aware_at=datetime.datetime.now(DUTCH_TIME) - HOUR, board=board)
    queued = DBTaskResult.objects.filter(task_path="breaches.reminders.remind_breach")
    assert sorted(queued.values_list("run_after", flat=True)) == [
        breach.aware_at + hours * HOUR for hours in (24, 48, 72)
    ]
    assert all(result.args_kwargs["args"] == [breach.pk] for result in queued)


def test_moving_the_aware_moment_queues_the_reminders_of_the_new_deadline(
    settings, board, officer, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        breach = report(aware_at=datetime.datetime.now(DUTCH_TIME) - HOUR, board=board)
    later = breach.aware_at + datetime.timedelta(minutes=30)  # the board learnt of it later
    breach.aware_at = later
    with django_capture_on_commit_callbacks(execute=True):
        services.breach_assess(actor=officer, breach=breach)
    queued = DBTaskResult.objects.filter(task_path="breaches.reminders.remind_breach")
    moments = set(queued.values_list("run_after", flat=True))
    assert {later + hours * HOUR for hours in (24, 48, 72)} <= moments


def test_the_command_sends_what_is_due(board, mailoutbox, capsys):
    report(aware_at=datetime.datetime.now(DUTCH_TIME) - 30 * HOUR, board=board)
    call_command("send_breach_reminders")
    assert "Herinneringen verstuurd: 1." in capsys.readouterr().out


def test_a_handler_who_may_no_longer_handle_breaches_gets_no_reminder(board, mailoutbox):
    handler = UserFactory(email="behandelaar@example.nl")
    membership = MembershipFactory(board=board, user=handler, role=Role.PRIVACY_OFFICER)
    breach = services.breach_start(actor=handler, breach=report(board=board))
    membership.delete()
    reminders.send_breach_reminders(AWARE + 48 * HOUR)
    assert mailoutbox[0].to == ["privacy@example.nl"]
    assert reminder_kinds(breach) == [Kind.REMINDER_48]


def test_without_privacy_officers_the_beheerders_who_may_handle_breaches_get_it(mailoutbox):
    board = BoardFactory(privacy_email="privacy-adres@example.nl")
    MembershipFactory(board=board, user=UserFactory(email="beheer@example.nl"), role=Role.BEHEERDER)
    MembershipFactory(board=board, user=UserFactory(email="fg@example.nl"), role=Role.FG)
    report(board=board)
    reminders.send_breach_reminders(AWARE + 48 * HOUR)
    assert mailoutbox[0].to == ["beheer@example.nl"]


def test_with_nobody_to_tell_no_reminder_is_recorded_as_sent(mailoutbox):
    board = BoardFactory(privacy_email="")
    breach = report(board=board)
    assert reminders.send_breach_reminders(AWARE + 48 * HOUR) == 0
    assert reminder_kinds(breach) == [] and mailoutbox == []


def test_a_missed_deadline_goes_to_the_handler_all_privacy_officers_and_the_fg(board, mailoutbox):
    handler = UserFactory(email="behandelaar@example.nl")
    MembershipFactory(board=board, user=handler, role=Role.BEHEERDER)
    breach = services.breach_start(actor=handler, breach=report(board=board))
    reminders.send_breach_reminders(AWARE + 73 * HOUR)
    assert reminder_kinds(breach) == [Kind.REMINDER_MISSED]
    assert mailoutbox[0].to == ["behandelaar@example.nl", "fg@example.nl", "privacy@example.nl"]
