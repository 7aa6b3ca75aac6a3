"""The change history of activities, read from django-simple-history: the history page of an
activity, a past version read back, and the change log of the register export."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import F, IntegerField, Manager, QuerySet, Value, Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from processing.json_rows import union_as_json
from processing.models import ACTIVITY_PARTS, ActivityPart, ProcessingActivity
from processing.word_diff import word_diff

HIDDEN_FIELDS = {"version"}

# The most ids one query names. A query may hold 32,766 parameters on SQLite's default build
# and 65,535 on PostgreSQL when it binds them itself; the timeline names each activity id once
# per history table (9 × 2,000 = 18,000), the versions each id once per many-to-many field.
# A register of up to 2,000 activities, or 2,000 versions in the period, is still one query.
IDS_PER_QUERY = 2_000

T = TypeVar("T")


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    """The items in lists of at most IDS_PER_QUERY."""
    listed = list(items)
    for start in range(0, len(listed), IDS_PER_QUERY):
        yield listed[start : start + IDS_PER_QUERY]


@dataclass
class Change:
    label: str
    old: str
    new: str

    @cached_property
    def marked(self) -> tuple[SafeString, SafeString]:
        """The old and the new value with the words that changed marked (<del>, <ins>)."""
        return word_diff(self.old, self.new)


@dataclass
class Entry:
    when: datetime
    who: object
    what: str
    record: object = None  # a version of the activity itself, which can be restored
    changes: list[Change] = field(default_factory=list)
    activity_id: int | None = None


def _display(record, field_name: str, m2m: dict) -> str:
    """A field of a history record as the user knows it: a choice's label, a related row's
    name. Many-to-many values come from `m2m` (read in bulk, see _m2m_names)."""
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.many_to_many:
        names = m2m[field_name].get(record.history_id, {})
        return ", ".join(sorted(names.values())) or "—"
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)) or "—"
    # As a person reads them (the history page, the register's change appendix): never ISO.
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if model_field.is_relation:
        obj = getattr(record, field_name)  # selected with the record on the history page
        return str(obj) if obj else "—"
    return str(value) if value not in ("", None) else "—"


def _m2m_names(records: list) -> dict[str, dict[int, dict[int, str]]]:
    """For each many-to-many field: history id → {related id: name}, for all these records of
    one model in one query (simple-history's diff_against reads each field of each record)."""
    fields = records[0]._history_m2m_fields if records else []
    if not fields:
        return {}
    values: dict[str, dict[int, dict[int, str]]] = {f.name: defaultdict(dict) for f in fields}
    for chunk in _chunks(records):
        _read_m2m_names(chunk, values)
    return values


def _read_m2m_names(records: list, values: dict[str, dict[int, dict[int, str]]]) -> None:
    """_m2m_names for at most IDS_PER_QUERY records, added to `values`."""
    fields = records[0]._history_m2m_fields
    ids = [record.history_id for record in records]
    queries = []
    for position, model_field in enumerate(fields):
        target = model_field.m2m_reverse_field_name()
        # Schools and terms are named by their `name`: joined here, so that all fields
        # come in one query. A term deleted since has no name and is left out, as before.
        queries.append(
            getattr(records[0], model_field.name)
            .model.objects.filter(history_id__in=ids, **{f"{target}__isnull": False})
            .order_by()
            .annotate(m2m_field=Value(position, output_field=IntegerField()))
            .values_list("m2m_field", "history_id", target, f"{target}__name")
        )
    first, *others = queries
    for position, history_id, related_id, name in first.union(*others, all=True):
        values[fields[position].name][history_id][related_id] = name


def _changes(old, new, m2m: dict) -> list[Change]:
    """Field-by-field differences between two history records of the same object, the
    fields compared as simple-history's diff_against compares them, in its order."""
    changed = [
        model_field.name
        for model_field in new.tracked_fields
        if model_field.editable
        and model_field.name not in HIDDEN_FIELDS
        and getattr(old, model_field.attname) != getattr(new, model_field.attname)
    ]
    changed += [
        model_field.name
        for model_field in new._history_m2m_fields
        if set(m2m[model_field.name].get(old.history_id, {}))
        != set(m2m[model_field.name].get(new.history_id, {}))
    ]
    return [
        Change(
            label=str(new.instance_type._meta.get_field(name).verbose_name),
            old=_display(old, name, m2m),
            new=_display(new, name, m2m),
        )
        for name in sorted(changed)
    ]


def changes_between(old, new) -> list[Change]:
    """Field-by-field differences between two history records of the same object."""
    if old is None:
        return []
    return _changes(old, new, _m2m_names([old, new]))


def record_changes(records: list) -> list[list[Change]]:
    """The changes of each history record of one object against the record before it (none
    for the first), the many-to-many names of all of them read in one query."""
    m2m = _m2m_names(records)
    return [
        _changes(records[number - 1], record, m2m) if number else []
        for number, record in enumerate(records)
    ]


KIND = {"+": _("toegevoegd"), "~": _("gewijzigd"), "-": _("verwijderd")}

# A version as simple-history stores it: an instance of a model that it makes at runtime.
HistoricalRecord = Any

# What the history shows: the activity's own versions first, then its rows. A model's place
# in this list is how the timeline's query refers to it.
TIMELINE_MODELS: list[type[ProcessingActivity] | type[ActivityPart]] = [
    ProcessingActivity,
    *ACTIVITY_PARTS,
]


def timeline(activity_ids: list[int]) -> QuerySet:
    """Every version of these activities and of their rows, newest first, as rows of (date,
    model's place in TIMELINE_MODELS, history id, history id of the version before it, activity
    id). One query over all the history tables: a page is cut from it before any record is
    read."""
    parts = []
    for kind, model in enumerate(TIMELINE_MODELS):
        key = "id" if model is ProcessingActivity else "activity_id"
        records = _history(model).filter(**{f"{key}__in": activity_ids})
        parts.append(
            records.order_by()
            .annotate(
                timeline_model=Value(kind, output_field=IntegerField()),
                previous_version=Window(
                    Lag("history_id"),
                    partition_by=F("id"),
                    order_by=[F("history_date").asc(), F("history_id").asc()],
                ),
            )
            .values_list("history_date", "timeline_model", "history_id", "previous_version", key)
        )
    first, *others = parts
    return first.union(*others, all=True).order_by("-history_date", "timeline_model", "-history_id")


def _timeline_rows(activity_ids: list[int]) -> list[tuple]:
    """The rows of timeline() for any number of activities, in its order: read per part of
    the ids (a query holds only so many), then sorted as the one query sorts them."""
    rows = [row for chunk in _chunks(activity_ids) for row in timeline(chunk)]
    # Newest first, then by the model's place, then the newest version: as timeline() orders.
    # The history id is unique per model, so no two rows are equal and the order is the same.
    rows.sort(key=lambda row: (row[0], -row[1], row[2]), reverse=True)
    return rows


@cache
def _history(model) -> Manager:
    """The history records of a model. Through the historical model itself: simple-history's
    `Model.history` builds a new manager class on every access (about 1 ms each, 30 on a
    page of the history)."""
    return model.history.model._default_manager


def _related(model) -> list:
    """The foreign keys whose rows a version shows (in its name, in its changed fields)."""
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.is_relation and model_field.name not in {"board", "activity"}
    ]


def _activity_versions(ids: set[int]) -> dict[int, HistoricalRecord]:
    """Versions of the activity, with the people they name."""
    related = [model_field.name for model_field in _related(ProcessingActivity)]
    return {
        version.history_id: version
        for chunk in _chunks(sorted(ids))
        for version in _history(ProcessingActivity)
        .filter(history_id__in=chunk)
        .select_related("history_user", *related)
    }


def _part_versions(wanted: dict[int, set[int]]) -> dict[int, dict[int, HistoricalRecord]]:
    """Versions of the activity's rows, of all kinds in one query (union_as_json), or one per
    IDS_PER_QUERY of them. They come back as history records like the ORM's, with the rows
    they point at in place (named by their `name`, as their __str__ does), so that comparing
    and naming them reads no more."""
    versions: dict[int, dict[int, HistoricalRecord]] = defaultdict(dict)
    pairs = sorted((position, i) for position, ids in wanted.items() for i in ids)
    for chunk in _chunks(pairs):
        part: dict[int, set[int]] = defaultdict(set)
        for position, history_id in chunk:
            part[position].add(history_id)
        _read_part_versions(part, versions)
    return versions


def _read_part_versions(
    wanted: dict[int, set[int]], versions: dict[int, dict[int, HistoricalRecord]]
) -> None:
    """_part_versions for at most IDS_PER_QUERY ids, added to `versions`."""
    queries = []
    for position, ids in wanted.items():
        model = TIMELINE_MODELS[position]
        columns = {f.attname: F(f.attname) for f in model._meta.concrete_fields}
        columns |= {f"{f.name}__name": F(f"{f.name}__name") for f in _related(model)}
        columns |= {
            "history_id": F("history_id"),
            "history_type": F("history_type"),
            "history_user_id": F("history_user_id"),
            "history_user__full_name": F("history_user__full_name"),
            "history_user__email": F("history_user__email"),
        }
        queries.append((_history(model).filter(history_id__in=ids), columns, ()))
    positions = list(wanted)
    for part, _rank, values in union_as_json(queries):
        position, history_id = positions[part], values["history_id"]
        model = TIMELINE_MODELS[position]
        historical = _history(model).model
        version = historical(
            history_id=history_id,
            history_type=values["history_type"],
            **{f.attname: f.to_python(values[f.attname]) for f in model._meta.concrete_fields},
        )
        for model_field in _related(model):
            name = values[f"{model_field.name}__name"]
            related = model_field.related_model(pk=values[model_field.attname], name=name)
            historical._meta.get_field(model_field.name).set_cached_value(
                version, related if name is not None else None
            )
        user = None
        if values["history_user_id"] is not None:
            user = get_user_model()(
                pk=values["history_user_id"],
                full_name=values["history_user__full_name"],
                email=values["history_user__email"],
            )
        historical._meta.get_field("history_user").set_cached_value(version, user)
        versions[position][history_id] = version


def timeline_entries(rows: list[tuple]) -> list[Entry]:
    """The entries for rows of timeline(): the page's versions and the ones before them read
    in two queries (the activity's, its rows'), their many-to-many values in one; more, one
    per IDS_PER_QUERY versions, when there are more."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for _when, position, history_id, previous, _activity in rows:
        wanted[position].update(i for i in (history_id, previous) if i is not None)
    activity_ids = wanted.pop(0, set())
    versions = _part_versions(wanted)
    versions[0] = _activity_versions(activity_ids) if activity_ids else {}
    m2m = _m2m_names(list(versions[0].values()))
    entries = []
    for when, position, history_id, previous, activity_id in rows:
        model = TIMELINE_MODELS[position]
        version = versions[position][history_id]
        before = versions[position].get(previous)
        what = f"{model._meta.verbose_name} {KIND[version.history_type]}"
        if model is not ProcessingActivity:
            # The row's own __str__ names it (the historical record's str() would add
            # "… as of <date>"); an added or deleted row is named, not compared.
            what = f"{what}: {model.__str__(version)}"
            if version.history_type != "~":
                before = None
        entries.append(
            Entry(
                when=when,
                who=version.history_user,
                what=what,
                record=version if model is ProcessingActivity else None,
                changes=_changes(before, version, m2m) if before else [],
                activity_id=activity_id,
            )
        )
    return entries


def timeline_page(activity: ProcessingActivity, number: str | None, per_page: int) -> Page:
    """One page of the activity's history; only its entries are read and compared. The
    short index rows of all versions are read at once (which also counts them)."""
    page = Paginator(list(timeline([activity.pk])), per_page).get_page(number)
    page.object_list = timeline_entries(list(page.object_list))
    return page


def register_changes(activity_ids: list[int], start: date | None, end: date | None) -> list[Entry]:
    """Every change to these activities in the period (days in the board's time zone), oldest
    first, each naming the fields it changed with their old and new values: the change log of
    a register export. The index rows of all versions are read, the versions only for the
    period."""
    rows = [
        row
        for row in _timeline_rows(activity_ids)
        if (start is None or timezone.localdate(row[0]) >= start)
        and (end is None or timezone.localdate(row[0]) <= end)
    ]
    # A save of the activity that changed no field a person sees (only its version, say) is
    # left out here, once, so that no format lists an empty "verwerking gewijzigd".
    return [entry for entry in timeline_entries(rows[::-1]) if not _empty_save(entry)]


def _empty_save(entry: Entry) -> bool:
    record: Any = entry.record  # set for the activity's own versions only
    return record is not None and record.history_type == "~" and not entry.changes


# A past version read back whole: restoring it, the statement built from it.
def end_of_save(record) -> datetime:
    """The moment just before the next save: one save writes the activity, then its rows."""
    later = (
        record.instance_type.history.filter(id=record.id, history_date__gt=record.history_date)
        .order_by("history_date")
        .first()
    )
    return later.history_date - timedelta(microseconds=1) if later else timezone.now()


def historical_m2m_ids(record, field: str) -> list[int]:
    """The ids a many-to-many field held in a history record."""
    related_model = ProcessingActivity._meta.get_field(field).related_model
    assert related_model is not None  # a many-to-many field has one
    target = related_model._meta.model_name
    return list(getattr(record, field).values_list(target, flat=True))
