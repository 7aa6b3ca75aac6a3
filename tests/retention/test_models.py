import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from retention.models import RetentionException
from tests.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


def test_a_negative_retention_period_is_refused_with_a_dutch_message():
    rule = RetentionRuleFactory.build(board=RetentionRuleFactory().board, period_amount=-1)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "Een bewaartermijn kan niet negatief zijn." in error.value.message_dict["period_amount"]


def test_the_database_refuses_a_negative_period_that_skipped_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRuleFactory(period_amount=-1)


def test_an_exception_period_needs_both_amount_and_unit():
    rule = RetentionRuleFactory()
    exception = RetentionException(rule=rule, condition="Met toestemming", period_amount=1)
    with pytest.raises(ValidationError) as error:
        exception.full_clean()
    assert "zowel het aantal als de eenheid" in str(error.value)
    exception.period_unit = "jaren"
    exception.full_clean()


def test_a_rule_reads_as_a_period():
    rule = RetentionRuleFactory.build(period_amount=4, period_unit="weken")
    assert rule.period_display == "maximaal 4 weken"
