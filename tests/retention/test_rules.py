import datetime

import pytest
from django.core import mail
from django.urls import reverse

from retention.models import RetentionReminder, RetentionRule
from retention.services import duties, send_retention_reminders
from tests.factories import ActivityFactory, RetentionRuleFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_calendar_duties_for_a_leap_day_and_month_ends():
    rule = RetentionRuleFactory.build(
        period_amount=1, period_unit="jaren", start_event="einde_boekjaar"
    )
    due, standing = duties([rule], D(2026, 12, 1), D(2026, 12, 31))
    assert [(d.start, d.due_on) for d in due] == [(D(2025, 12, 31), D(2026, 12, 31))]
    assert standing == []


def test_reminders_mail_each_school_its_duties_once():
    school = SchoolFactory(director_email="directie@school.example")
    rule = RetentionRuleFactory(
        board=school.board,
        name="Leerlingdossier",
        period_amount=2,
        period_unit="jaren",
        start_event="einde_schooljaar",
    )
    ActivityFactory(board=school.board).retention_rules.add(rule)
    assert send_retention_reminders(D(2026, 7, 10)) == 1
    [message] = mail.outbox
    assert message.to == ["directie@school.example"]
    assert "Leerlingdossier" in message.body and "31 juli 2026" in message.body
    assert send_retention_reminders(D(2026, 7, 11)) == 0  # nothing new
    assert RetentionReminder.objects.get().due_on == D(2026, 7, 31)
    assert send_retention_reminders(D(2026, 5, 1)) == 0  # too far ahead


def rule_data(**changes) -> dict:
    data = {
        "name": "Leerlingdossier",
        "period_kind": "maximaal",
        "period_amount": "2",
        "period_unit": "jaren",
        "start_event": "einde_inschrijving",
        "action": "vernietigen",
        "uitzonderingen-TOTAL_FORMS": "1",
        "uitzonderingen-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_amount": "0"}, "Een bewaartermijn is minstens 1"),
        ({"period_amount": "-3"}, "Een bewaartermijn is minstens 1"),
        ({"is_statutory": "on"}, "Noem bij een wettelijke termijn de wet"),
        (
            {
                "maximum_amount": "1",
                "maximum_unit": "jaren",
                "uitzonderingen-0-condition": "Met toestemming",
                "uitzonderingen-0-period_amount": "2",
                "uitzonderingen-0-period_unit": "jaren",
            },
            "langer dan het wettelijk maximum",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_dutch_message(client, officer, changes, message):
    url = reverse("retention_rule_create", kwargs={"board": officer.board.slug})
    response = client.post(url, rule_data(**changes))
    assert message in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_a_good_rule_with_an_exception_is_saved(client, officer):
    url = reverse("retention_rule_create", kwargs={"board": officer.board.slug})
    response = client.post(
        url,
        rule_data(
            period_amount="4",
            period_unit="weken",
            maximum_amount="1",
            maximum_unit="jaren",
            **{
                "uitzonderingen-0-condition": "Met toestemming",
                "uitzonderingen-0-period_amount": "1",
                "uitzonderingen-0-period_unit": "jaren",
            },
        ),
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get().exceptions.get().period_amount == 1


def test_a_rule_in_use_is_not_deleted(client, officer):
    rule = RetentionRuleFactory(board=officer.board)
    activity = ActivityFactory(board=officer.board, name="Leerlingadministratie")
    activity.retention_rules.add(rule)
    url = reverse("retention_rule_delete", kwargs={"board": officer.board.slug, "pk": rule.pk})
    assert "Leerlingadministratie" in client.get(url).content.decode()
    client.post(url)
    assert RetentionRule.objects.filter(pk=rule.pk).exists()
    activity.retention_rules.clear()
    client.post(url)
    assert not RetentionRule.objects.filter(pk=rule.pk).exists()


def test_a_board_adopts_a_missing_default(client, officer):
    url = reverse("retention_rule_adopt", kwargs={"board": officer.board.slug})
    schedule_url = reverse("retention_schedule", kwargs={"board": officer.board.slug})
    assert "Standaardregels die u nog niet heeft" in client.get(schedule_url).content.decode()
    client.post(url, {"standaard": "camerabeelden"})
    rule = officer.board.retention_rules.get(reference_key="camerabeelden")
    assert (rule.period_amount, rule.period_unit) == (4, "weken")
    assert rule.exceptions.count() == 2
    response = client.post(url, {"standaard": "camerabeelden"}, follow=True)
    assert "heeft u al" in response.content.decode()
    assert officer.board.retention_rules.filter(reference_key="camerabeelden").count() == 1
