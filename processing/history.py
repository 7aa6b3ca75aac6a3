"""The change history of an activity, read from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from processing.models import ACTIVITY_PARTS, ProcessingActivity

HIDDEN_FIELDS = {"version"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: object
    what: str
    record: object = None  # a version of the activity itself, which can be restored
    changes: list[Change] = field(default_factory=list)


def _display(record, field_name: str) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.many_to_many:
        target = model_field.related_model
        ids = getattr(record, field_name).values_list(target._meta.model_name, flat=True)
        return ", ".join(sorted(str(obj) for obj in target.objects.filter(pk__in=ids))) or "—"
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)) or "—"
    if model_field.is_relation:
        obj = getattr(record, field_name)
        return str(obj) if obj else "—"
    return str(value) if value not in ("", None) else "—"


def changes_between(old, new) -> list[Change]:
    """Field-by-field differences between two history records of the same object."""
    if old is None:
        return []
    delta = new.diff_against(old)
    return [
        Change(
            label=str(new.instance_type._meta.get_field(change.field).verbose_name),
            old=_display(old, change.field),
            new=_display(new, change.field),
        )
        for change in delta.changes
        if change.field not in HIDDEN_FIELDS
    ]


KIND = {"+": _("toegevoegd"), "~": _("gewijzigd"), "-": _("verwijderd")}


def activity_timeline(activity: ProcessingActivity) -> list[Entry]:
    """Every saved version of the activity and every change to its rows, newest first."""
    entries = []
    records = list(activity.history.select_related("history_user").order_by("history_date"))
    previous = None
    for record in records:
        entries.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                what=f"{activity._meta.verbose_name} {KIND[record.history_type]}",
                record=record,
                changes=changes_between(previous, record),
            )
        )
        previous = record
    for model in ACTIVITY_PARTS:
        last_by_pk = {}
        for record in (
            model.history.filter(activity_id=activity.pk)
            .select_related("history_user")
            .order_by("history_date")
        ):
            entries.append(
                Entry(
                    when=record.history_date,
                    who=record.history_user,
                    what=f"{model._meta.verbose_name} {KIND[record.history_type]}: {record}",
                    changes=changes_between(last_by_pk.get(record.id), record)
                    if record.history_type == "~"
                    else [],
                )
            )
            last_by_pk[record.id] = record
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
