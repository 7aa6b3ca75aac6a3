"""Use cases for retention rules."""

from django.db import transaction

from privacyregister.models import Board
from privacyregister.reference import read_fixture
from retention.models import RetentionException, RetentionRule


@transaction.atomic
def retention_rule_create(*, board: Board, data: dict) -> RetentionRule:
    """Create a rule from fixture data; the subject group is named, exceptions are nested."""
    fields = dict(data)
    exceptions = fields.pop("exceptions", [])
    group_name = fields.pop("subject_group", None)
    rule = RetentionRule(board=board, **fields)
    if group_name:
        rule.subject_group = board.subject_groups.get(name=group_name)
    rule.full_clean()
    rule.save()
    for exception_data in exceptions:
        exception = RetentionException(rule=rule, **exception_data)
        exception.full_clean()
        exception.save()
    return rule


def retention_rules_add_missing(*, board: Board, rules: list[dict]) -> int:
    existing = set(board.retention_rules.values_list("name", flat=True))
    missing = [rule for rule in rules if rule["name"] not in existing]
    for data in missing:
        retention_rule_create(board=board, data=data)
    return len(missing)


def board_install_default_retention_rules(*, board: Board) -> int:
    return retention_rules_add_missing(
        board=board, rules=read_fixture("reference/retention_rules.json")
    )
