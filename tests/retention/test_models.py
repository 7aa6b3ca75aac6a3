import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from retention.models import RetentionException, RetentionRule, period_text
from tests.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", [0, -1])
def test_a_zero_or_negative_period_is_refused_with_a_dutch_message(amount):
    rule = RetentionRuleFactory.build(board=RetentionRuleFactory().board, period_amount=amount)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "Een bewaartermijn is minstens 1" in str(error.value.message_dict["period_amount"])


@pytest.mark.parametrize("amount", [0, -1])
def test_the_database_refuses_a_period_that_skipped_validation(amount):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRuleFactory(period_amount=amount)


@pytest.mark.parametrize("field", ["active", "maximum"])
def test_the_database_refuses_an_active_or_maximum_period_of_zero(field):
    # Amount and unit together, and at least 1: the same rule for every optional period.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRuleFactory(**{f"{field}_amount": 0, f"{field}_unit": "jaren"})


def test_an_exception_period_needs_both_amount_and_unit():
    rule = RetentionRuleFactory()
    exception = RetentionException(rule=rule, condition="Met toestemming", period_amount=1)
    with pytest.raises(ValidationError) as error:
        exception.full_clean()
    assert "zowel het aantal als de eenheid" in str(error.value)
    exception.period_unit = "jaren"
    exception.full_clean()


def test_an_exception_cannot_exceed_the_legal_maximum():
    rule = RetentionRuleFactory(
        period_amount=4, period_unit="weken", maximum_amount=1, maximum_unit="jaren"
    )
    too_long = RetentionException(
        rule=rule, condition="Met toestemming", period_amount=13, period_unit="maanden"
    )
    with pytest.raises(ValidationError) as error:
        too_long.full_clean()
    assert "langer dan het wettelijk maximum" in str(error.value)
    RetentionException(
        rule=rule, condition="Met toestemming", period_amount=1, period_unit="jaren"
    ).full_clean()


def test_a_statutory_rule_names_its_law():
    rule = RetentionRuleFactory.build(
        board=RetentionRuleFactory().board, is_statutory=True, legal_source=""
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "Noem bij een wettelijke termijn de wet" in str(error.value)


def test_a_rule_reads_as_a_period_and_computes_its_dates():
    rule = RetentionRuleFactory.build(
        period_amount=2, period_unit="jaren", active_amount=6, active_unit="maanden"
    )
    assert rule.period_display == "maximaal 2 jaar"
    assert rule.destroy_by(datetime.date(2025, 7, 15)) == datetime.date(2027, 7, 15)
    assert rule.archive_from(datetime.date(2025, 7, 15)) == datetime.date(2026, 1, 15)


def test_a_changed_default_is_marked_as_changed():
    rule = RetentionRuleFactory(
        reference_key="leerlingdossier",
        period_amount=2,
        period_unit="jaren",
        start_event="einde_inschrijving",
    )
    assert not rule.changed_from_default
    rule.period_amount = 5
    assert rule.changed_from_default
    assert not RetentionRule(reference_key="").changed_from_default


@pytest.mark.parametrize(
    "amount, unit, text",
    [
        (1, "dagen", "1 dag"),
        (10, "dagen", "10 dagen"),
        (1, "weken", "1 week"),
        (4, "weken", "4 weken"),
        (1, "maanden", "1 maand"),
        (6, "maanden", "6 maanden"),
        (1, "jaren", "1 jaar"),
        (7, "jaren", "7 jaar"),
    ],
)
def test_a_period_reads_as_plain_dutch(amount, unit, text):
    assert period_text(amount, unit) == text
