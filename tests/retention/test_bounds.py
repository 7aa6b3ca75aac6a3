"""Dates and periods stay within what the register calculates with (1900–2200, at most 100
years); anything beyond gets a Dutch message, and a rule stored before these bounds does not break
the calculator or the calendar of its board (issue 15, finding 9)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from retention.models import RetentionRule
from retention.services import duties, send_retention_reminders
from tests.factories import ActivityFactory, RetentionRuleFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date

DATE_RANGE = "Kies een datum tussen 1 januari 1900 en 31 december 2200."
AT_MOST_100_YEARS = "Een bewaartermijn is hoogstens 100 jaar."


def page(officer, name: str) -> str:
    return reverse(name, kwargs={"board": officer.board.slug})


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_the_calculator_refuses_a_date_out_of_range_in_dutch(client, officer, start):
    RetentionRuleFactory(board=officer.board)
    response = client.get(page(officer, "retention_calculator"), {"start": start})
    assert response.status_code == 200
    assert DATE_RANGE in response.content.decode()


@pytest.mark.parametrize("start", ["1900-01-01", "2200-12-31"])
def test_the_calculator_works_on_the_first_and_last_day_in_range(client, officer, start):
    RetentionRuleFactory(board=officer.board, period_amount=100, period_unit="jaren")
    response = client.get(page(officer, "retention_calculator"), {"start": start})
    assert response.status_code == 200
    assert DATE_RANGE not in response.content.decode()
    assert f"{int(start[:4]) + 100}" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "0000-01"}, "Kies een maand tussen januari 1900 en december 2200."),
        ({"month": "0001-01"}, "Kies een maand tussen januari 1900 en december 2200."),
        ({"month": "9999-12"}, "Kies een maand tussen januari 1900 en december 2200."),
        ({"school_year": "0000-0001"}, "Kies een schooljaar tussen 1900-1901 en 2199-2200."),
        ({"school_year": "9998-9999"}, "Kies een schooljaar tussen 1900-1901 en 2199-2200."),
    ],
)
def test_the_calendar_refuses_a_period_out_of_range_in_dutch(client, officer, params, message):
    RetentionRuleFactory(board=officer.board, start_event="einde_schooljaar")
    response = client.get(page(officer, "retention_calendar"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        ("101", "jaren"),
        ("1201", "maanden"),
        ("5218", "weken"),
        ("36526", "dagen"),
        ("9999", "jaren"),
    ],
)
def test_a_rule_longer_than_a_hundred_years_is_refused(client, officer, amount, unit):
    data = {
        "name": "Eeuwig",
        "period_kind": "maximaal",
        "period_amount": amount,
        "period_unit": unit,
        "start_event": "einde_inschrijving",
        "action": "vernietigen",
        "uitzonderingen-TOTAL_FORMS": "0",
        "uitzonderingen-INITIAL_FORMS": "0",
    }
    response = client.post(page(officer, "retention_rule_create"), data)
    assert response.status_code == 200
    assert AT_MOST_100_YEARS in response.content.decode()
    assert not RetentionRule.objects.exists()


@pytest.mark.parametrize("field", ["active", "maximum"])
def test_an_active_or_maximum_period_longer_than_a_hundred_years_is_refused(client, officer, field):
    data = {
        "name": "Eeuwig",
        "period_kind": "maximaal",
        "period_amount": "2",
        "period_unit": "jaren",
        "start_event": "einde_inschrijving",
        "action": "vernietigen",
        f"{field}_amount": "2147483647",
        f"{field}_unit": "dagen",
        "uitzonderingen-TOTAL_FORMS": "0",
        "uitzonderingen-INITIAL_FORMS": "0",
    }
    response = client.post(page(officer, "retention_rule_create"), data)
    assert response.status_code == 200
    assert AT_MOST_100_YEARS in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_an_exception_longer_than_a_hundred_years_is_refused(client, officer):
    data = {
        "name": "Sollicitatie",
        "period_kind": "maximaal",
        "period_amount": "4",
        "period_unit": "weken",
        "start_event": "einde_sollicitatie",
        "action": "vernietigen",
        "uitzonderingen-TOTAL_FORMS": "1",
        "uitzonderingen-INITIAL_FORMS": "0",
        "uitzonderingen-0-condition": "Met toestemming",
        "uitzonderingen-0-period_amount": "101",
        "uitzonderingen-0-period_unit": "jaren",
    }
    response = client.post(page(officer, "retention_rule_create"), data)
    assert response.status_code == 200
    assert AT_MOST_100_YEARS in response.content.decode()
    assert not RetentionRule.objects.exists()


@pytest.mark.parametrize(("amount", "unit"), [(2147483647, "dagen"), (9999, "jaren")])
def test_a_stored_rule_beyond_the_bounds_does_not_break_the_calculator(
    client, officer, amount, unit
):
    good = RetentionRuleFactory(board=officer.board, name="Leerlingdossier")
    bad = RetentionRuleFactory(board=officer.board, name="Geïmporteerd")
    # Written past validation, as an import or a rule from before the bound would be.
    RetentionRule.objects.filter(pk=bad.pk).update(period_amount=amount, period_unit=unit)
    response = client.get(page(officer, "retention_calculator"), {"start": "2025-07-15"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "15 juli 2027" in content  # the good rule is still calculated
    assert "termijn ongeldig" in content
    assert good.name in content


def test_a_stored_rule_beyond_the_bounds_is_left_out_of_the_calendar_and_the_reminders(
    client, officer
):
    school = SchoolFactory(board=officer.board, director_email="directie@school.example")
    good = RetentionRuleFactory(
        board=officer.board, name="Leerlingdossier", start_event="einde_schooljaar"
    )
    bad = RetentionRuleFactory(
        board=officer.board, name="Geïmporteerd", start_event="einde_schooljaar"
    )
    RetentionRule.objects.filter(pk=bad.pk).update(period_amount=2147483647, period_unit="dagen")
    ActivityFactory(board=officer.board).retention_rules.add(good, bad)
    response = client.get(page(officer, "retention_calendar"), {"month": "2026-07"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "31 juli 2026" in content
    assert "termijn ongeldig" in content
    due, _standing = duties(RetentionRule.objects.all(), D(2026, 7, 1), D(2026, 7, 31))
    assert [duty.rule for duty in due] == [good]
    assert send_retention_reminders(D(2026, 7, 10)) == 1
    assert "Geïmporteerd" not in mail.outbox[0].body
    assert school.name in mail.outbox[0].subject
