"""Rows of several tables read in one query: each row's columns travel as one JSON object, so
that tables of different shapes fit one UNION. The history of an activity reads the versions
of its rows this way, a statement the rows of its activities."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db.models import F, IntegerField, Model, QuerySet, Value, Window
from django.db.models.functions import JSONObject, RowNumber
from django.utils import timezone


def model_columns(model: type[Model], prefix: str = "") -> dict[str, F]:
    """Every column of the model, by its attname; `prefix` reaches it through a relation."""
    return {f"{prefix}{f.attname}": F(f"{prefix}{f.attname}") for f in model._meta.concrete_fields}


def from_columns(model: type[Model], columns: dict, prefix: str = "", db: str = "default") -> Model:
    """An instance as the ORM would read it, from columns of model_columns()."""
    fields = model._meta.concrete_fields
    return model.from_db(
        db,
        [f.attname for f in fields],
        [_value(f, columns[f"{prefix}{f.attname}"]) for f in fields],
    )


def _value(model_field, value: Any) -> Any:
    value = model_field.to_python(value)
    # SQLite's JSON holds a moment as the text the column holds: in UTC, without its zone.
    if isinstance(value, datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


def union_as_json(
    queries: Sequence[tuple[QuerySet, dict[str, Any], Sequence[str]]],
) -> list[tuple[int, int, dict]]:
    """Per (queryset, columns, ordering): its rows as (the query's place in `queries`, the row's
    place in that ordering, its columns), all in one query. A UNION keeps no order of its own
    parts: the place is numbered by each part and the rows come back sorted by both."""
    parts = [
        queryset.order_by()
        .annotate(
            union_part=Value(position, output_field=IntegerField()),
            union_rank=Window(
                RowNumber(),
                order_by=[
                    F(name[1:]).desc() if name.startswith("-") else F(name).asc()
                    for name in ordering
                ],
            ),
            union_columns=JSONObject(**columns),
        )
        .values_list("union_part", "union_rank", "union_columns")
        for position, (queryset, columns, ordering) in enumerate(queries)
    ]
    if not parts:
        return []
    first, *others = parts
    return sorted(first.union(*others, all=True), key=lambda row: row[:2])
