"""Use cases of the register that span several models."""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from privacyregister.models import Board, User
from privacyregister.reference import read_fixture
from processing import notifications
from processing.findings import findings_deferred
from processing.history import changes_between, end_of_save, historical_m2m_ids
from processing.models import (
    ACTIVITY_M2M_FIELDS,
    ACTIVITY_PARTS,
    ActivityPart,
    Comment,
    Dossier,
    DossierPart,
    ProcessingActivity,
)
from processing.vocabularies import BY_FIXTURE_KEY

CATALOGUE_FIELDS = ("catalogue_key", "catalogue_version", "catalogue_snapshot")


@transaction.atomic
def vocabulary_add_missing(*, board: Board, vocabularies: dict[str, list[dict]]) -> int:
    """Add the terms the board does not have yet (matched by name); returns how many."""
    created = 0
    for key, items in vocabularies.items():
        model = BY_FIXTURE_KEY[key].model
        # django-stubs cannot resolve lookups on the subclasses of an abstract model
        terms = model._default_manager.filter(board=board)  # type: ignore[misc]
        existing = set(terms.values_list("name", flat=True))
        for item in items:
            if item["name"] in existing:
                continue
            # Every list has a board foreign key; django-stubs checks the abstract base's fields.
            term = model(board=board, **item)  # type: ignore[misc]
            term.full_clean()
            term.save()
            created += 1
    return created


def board_install_reference_vocabularies(*, board: Board) -> int:
    return vocabulary_add_missing(
        board=board, vocabularies=read_fixture("reference/vocabularies.json")
    )


def install_for_new_board(*, board: Board, **kwargs: object) -> dict[str, int]:
    """Receiver of privacyregister.signals.board_created (connected in apps.py)."""
    return {_("termen in de lijsten"): board_install_reference_vocabularies(board=board)}


class EditConflict(Exception):
    """Someone else saved the activity after this edit started."""

    def __init__(self, current: ProcessingActivity):
        super().__init__("edit conflict")
        self.current = current


def _claim_version(activity: ProcessingActivity, expected: int | None) -> None:
    """Raise the version in the database, but only from the version the editor started with.

    The conditional UPDATE takes the row lock, so of two concurrent saves exactly one wins.
    """
    if activity.pk is None:
        return
    if expected is None or not ProcessingActivity.objects.filter(
        pk=activity.pk, version=expected
    ).update(version=F("version") + 1):
        raise EditConflict(ProcessingActivity.objects.get(pk=activity.pk))
    activity.version = expected + 1


def _reopen(activity: ProcessingActivity) -> None:
    # A change to an approved activity needs approval again; approved_at keeps pointing at
    # the last approved version, which is what parents keep seeing.
    if activity.status == ProcessingActivity.Status.APPROVED:
        activity.status = ProcessingActivity.Status.CONCEPT


@transaction.atomic
@findings_deferred()  # the activity and all its rows, linted once
def activity_save(
    *, actor: User, form, formsets, expected_version: int | None
) -> ProcessingActivity:
    """Save a part of the activity (its form and row formsets) as one change, refusing a lost
    update."""
    activity = form.instance
    _claim_version(activity, expected_version)
    _reopen(activity)
    if activity.owner_id is None:
        activity.owner = actor
    activity = form.save()
    if "retention_rules" in form.cleaned_data:  # only the part that shows them
        activity.retention_rules.set(form.cleaned_data["retention_rules"])
    for formset in formsets:
        formset.instance = activity
        formset.save()
    return activity


# The change reason of a history record that changed only the status (submit, approve): the
# four-eyes rule looks past those for the last person who changed the content.
STATUS_CHANGE = "status"


def last_editor_id(activity: ProcessingActivity) -> int | None:
    """Who last changed the activity's content (created, edited, restored, copied): the user of
    the newest history record that is not a mere status change. Records written before status
    changes were marked count as edits, so the rule errs on the careful side there."""
    record = (
        activity.history.exclude(history_change_reason=STATUS_CHANGE)
        .order_by("-history_date")
        .values("history_user_id")
        .first()
    )
    return record["history_user_id"] if record else None


def four_eyes_refusal(*, actor: User, activity: ProcessingActivity) -> str | None:
    """Why the board's four-eyes rule keeps this person from approving the activity, or None."""
    if activity.board.four_eyes and last_editor_id(activity) == actor.pk:
        return _(
            "U heeft deze verwerking het laatst gewijzigd. Dit bestuur werkt met vier ogen: "
            "een collega die mag vaststellen, controleert de verwerking en stelt haar vast."
        )
    return None


def _set_status(
    activity: ProcessingActivity, expected_version: int, *, actor: User, **fields: object
) -> None:
    """Change the status of the version the user saw, and nothing else.

    The activity is read again after the claim, under its row lock, so the history record
    shows exactly what was stored; only the status fields are written, so an object loaded
    earlier in the request can never overwrite someone else's change.
    """
    _claim_version(activity, expected_version)
    activity.refresh_from_db()
    for name, value in fields.items():
        setattr(activity, name, value)
    activity._history_user = actor
    activity._change_reason = STATUS_CHANGE  # type: ignore[attr-defined]
    activity.save(update_fields=list(fields))
    del activity._change_reason  # type: ignore[attr-defined]


@transaction.atomic
def activity_submit_for_review(
    *, actor: User, activity: ProcessingActivity, expected_version: int
) -> None:
    if not activity.can_be_submitted:
        raise ValidationError(_("Alleen een concept kan ter review worden aangeboden."))
    _set_status(activity, expected_version, actor=actor, status=ProcessingActivity.Status.IN_REVIEW)
    notifications.notify_on_commit(notifications.SUBMITTED, activity.pk, actor=actor)


@transaction.atomic
def activity_approve(
    *,
    actor: User,
    activity: ProcessingActivity,
    expected_version: int,
    advice_read: bool = False,
) -> ProcessingActivity:
    """Approve the version the approver saw; EditConflict when it changed since. Refused to
    the last editor on a four-eyes board, and while the FG's advice is open unless the
    approver confirms having read it."""
    refusal = four_eyes_refusal(actor=actor, activity=activity)
    if refusal:
        raise ValidationError(refusal)
    if not advice_read and activity.comments.open().exists():
        raise ValidationError(
            _("Er is open advies van de FG. Lees het en bevestig dat u toch vaststelt.")
        )
    _set_status(
        activity,
        expected_version,
        actor=actor,
        status=ProcessingActivity.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
    )
    notifications.notify_on_commit(notifications.APPROVED, activity.pk, actor=actor)
    return activity


@transaction.atomic
@findings_deferred()  # the activity and all its rows, linted once
def activity_copy(
    *, actor: User, activity: ProcessingActivity, name: str, schools
) -> ProcessingActivity:
    """A new concept with the same content: as a template, or for other schools."""
    original_pk = activity.pk
    original = ProcessingActivity.objects.get(pk=original_pk)
    m2m = {field: list(getattr(original, field).all()) for field in ACTIVITY_M2M_FIELDS}
    rules = list(original.retention_rules.all())
    copy = ProcessingActivity.objects.get(pk=original_pk)
    copy.pk = None
    # A new activity: save() gives it the board's next number (the field is None only until
    # then, which its type does not say).
    copy.number = None  # type: ignore[assignment]
    copy.name = name
    copy.name_en = ""  # it translated the original's name
    copy.status = ProcessingActivity.Status.CONCEPT
    copy.approved_at = copy.approved_by = None
    copy.version = 1
    copy.owner = actor
    # A copy was not adopted from the catalogue: the board may adopt that entry only once.
    copy.catalogue_key, copy.catalogue_version, copy.catalogue_snapshot = "", None, None
    if schools:
        copy.applies_to_all_schools = False
        m2m["schools"] = list(schools)
    copy.full_clean()
    copy.save()
    for field, values in m2m.items():
        getattr(copy, field).set(values)
    copy.retention_rules.set(rules)
    dossiers: dict[int, Dossier] = {}
    for model in ACTIVITY_PARTS:
        # django-stubs cannot resolve lookups on the subclasses of an abstract model
        rows = model._default_manager.filter(activity_id=original_pk)  # type: ignore[misc]
        for row in rows:
            old_pk = row.pk
            row.pk = None
            row.activity = copy
            if isinstance(row, DossierPart) and row.dossier_id:
                row.dossier = dossiers[row.dossier_id]
            row.save()
            if isinstance(row, Dossier):
                dossiers[old_pk] = row
    return copy


def record_reaches(records: list) -> dict[int, dict]:
    """Which schools earlier versions concerned, by history id, as ProcessingActivity.reach()
    gives it for the current one: restoring a version gives the activity this reach again.
    One query for any number of versions, so that the history page stays cheap."""
    local = [record.history_id for record in records if not record.applies_to_all_schools]
    schools: dict[int, list[int]] = defaultdict(list)
    if local:
        through = records[0].schools.model
        for history_id, school_id in through.objects.filter(history_id__in=local).values_list(
            "history_id", "school_id"
        ):
            schools[history_id].append(school_id)
    return {
        record.history_id: {"whole_board": True}
        if record.applies_to_all_schools
        else {"schools": schools[record.history_id]}
        for record in records
    }


@transaction.atomic
@findings_deferred()  # the activity and all its rows, linted once
def activity_restore(
    *, actor: User, activity: ProcessingActivity, record, expected_version: int
) -> ProcessingActivity:
    """Bring back the content of an earlier version, as a new concept that needs approval.
    Only over the version the user saw: EditConflict when it changed since, as for edits."""
    _claim_version(activity, expected_version)
    activity.refresh_from_db()  # locked by the claim: what it is now is what the user saw
    moment = end_of_save(record)
    # Where it came from in the catalogue is not content: an earlier version keeps today's; the
    # place in the statements is the board's current order, not the old version's.
    kept = {
        "id",
        "board",
        "version",
        "status",
        "approved_at",
        "approved_by",
        "statement_position",
        *CATALOGUE_FIELDS,
    }
    for model_field in ProcessingActivity._meta.concrete_fields:
        if model_field.name not in kept:
            setattr(activity, model_field.attname, getattr(record, model_field.attname))
    activity.status = ProcessingActivity.Status.CONCEPT
    activity.full_clean()
    activity._history_user = actor
    activity.save()
    for field in ACTIVITY_M2M_FIELDS:
        getattr(activity, field).set(historical_m2m_ids(record, field))
    for model in reversed(ACTIVITY_PARTS):
        # django-stubs cannot resolve lookups on the subclasses of an abstract model
        model._default_manager.filter(activity=activity).delete()  # type: ignore[misc]
    for model in ACTIVITY_PARTS:
        for row in model.history.as_of(moment).filter(activity_id=activity.pk):
            row._history_user = actor
            row.save(force_insert=True)
    return activity


@transaction.atomic
def comment_add(*, actor: User, activity: ProcessingActivity, text: str) -> Comment:
    comment = Comment(activity=activity, author=actor, text=text)
    comment.full_clean()
    comment.save()
    notifications.notify_on_commit(notifications.ADVICE_ADDED, comment.pk, actor=actor)
    return comment


@transaction.atomic
def comment_resolve(*, actor: User, comment: Comment, resolution: str) -> Comment:
    comment.resolved_at = timezone.now()
    comment.resolved_by = actor
    comment.resolution = resolution
    comment.save()
    notifications.notify_on_commit(notifications.ADVICE_RESOLVED, comment.pk, actor=actor)
    return comment


def conflict_changes(activity: ProcessingActivity, started_from: int | None):
    """What another person changed since this edit started from version `started_from`."""
    records = activity.history.order_by("history_date")
    base = records.filter(version=started_from).last()
    latest = records.last()
    return changes_between(base, latest) if base and latest else []


@transaction.atomic
def activity_move(*, board: Board, activity: ProcessingActivity, up: bool) -> None:
    """Move an activity one place up or down in the order of the board's statements.

    Every activity of the board gets its place written, so the order stays as the page showed
    it also when activities are added later (they follow, alphabetically). Written with one
    update per activity, without a history record: the order is no fact of the register.
    """
    activities = list(board.activities.select_for_update().in_statement_order())
    index = next(i for i, a in enumerate(activities) if a.pk == activity.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(activities):
        activities[index], activities[other] = activities[other], activities[index]
    for position, moved in enumerate(activities, start=1):
        moved.statement_position = position
    ProcessingActivity.objects.bulk_update(activities, ["statement_position"])


@transaction.atomic
@findings_deferred()  # the activity and all its rows, linted once
def activity_replace(
    *,
    actor: User,
    activity: ProcessingActivity,
    fields: dict,
    m2m: dict[str, list],
    rows: Callable[[Callable[[str], Dossier | None]], dict[type[ActivityPart], list]],
    retention_rules: list,
    expected_version: int | None,
) -> ProcessingActivity:
    """Give an activity, new or existing, the content of another version of it (an imported
    one) as one change, by the rules of an edit: an approved activity becomes a concept, and a
    save that started from an older version is refused. `rows` builds the rows to replace,
    unsaved and per model (models it leaves out keep their rows), from a function that gives
    the activity's dossier of a name, made when it has none."""
    _claim_version(activity, expected_version)
    _reopen(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.owner_id is None:
        activity.owner = actor
    activity.full_clean(exclude=["number"])
    activity._history_user = actor
    activity.save()
    for name, values in m2m.items():
        getattr(activity, name).set(values)
    activity.retention_rules.set(retention_rules)
    dossiers = {dossier.name: dossier for dossier in activity.dossiers.all()}

    def dossier(name: str) -> Dossier | None:
        if name and name not in dossiers:
            made = Dossier(activity=activity, name=name)
            made._history_user = actor
            made.full_clean()
            made.save()
            dossiers[name] = made
        return dossiers.get(name) if name else None

    for model, new_rows in rows(dossier).items():
        # django-stubs cannot resolve lookups on the subclasses of an abstract model
        for old in model._default_manager.filter(activity=activity):  # type: ignore[misc]
            old._history_user = actor  # the history record of the deletion names the actor
            old.delete()
        # The rows' terms and dossier were looked up in the activity's board: checking that
        # each still exists would cost a query per reference, thousands in a large import.
        references = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for row in new_rows:
            row.activity, row._history_user = activity, actor
            row.full_clean(exclude=references)
            row.save()
    return activity
