from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacyregister.access import BoardRequest, board_view
from privacyregister.forms import row_counts_are_sound
from privacyregister.limits import ROW_LIMIT
from privacyregister.permissions import Capability, Scope
from privacyregister.views import rows_refused
from processing import services
from processing.catalogue import catalogue_update
from processing.filters import ActivityFilter
from processing.findings import stored_findings, with_finding_counts
from processing.forms import (
    ActivityForm,
    ApproveForm,
    CommentForm,
    CopyForm,
    ResolveCommentForm,
    build_formsets,
    focus_new_row,
    keep_as_typed,
)
from processing.history import timeline_page
from processing.lint import lint_activity, lint_prefetch, missing_board_facts
from processing.models import (
    ActivityDataCategory,
    ActivityRecipient,
    ActivitySource,
    Comment,
    ProcessingActivity,
    StaffAccess,
    Transfer,
)
from processing.parts import BY_SLUG as PARTS_BY_SLUG
from processing.parts import FIRST as FIRST_PART
from processing.parts import Part, activity_tasks
from processing.statements import statements_showing
from retention.models import RetentionRule

PAGE_SIZE = 25


def _activity(request: BoardRequest, pk: int, capability: str, queryset=None) -> ProcessingActivity:
    """An activity of this board (404 otherwise) that the user may act on (403 otherwise)."""
    queryset = queryset if queryset is not None else request.board.activities.all()
    activity = get_object_or_404(queryset.prefetch_related("schools"), pk=pk)
    request.access.require(capability, **activity.reach())
    if not activity.is_approved:
        request.access.require(Capability.VIEW_REGISTER, **activity.reach())
    return activity


def _to_detail(request: BoardRequest, activity: ProcessingActivity) -> HttpResponse:
    return redirect("activity_detail", board=request.board.slug, pk=activity.pk)


@board_view(Capability.VIEW_APPROVED_REGISTER)
def activity_list(request: BoardRequest) -> HttpResponse:
    activity_filter = ActivityFilter(
        request.GET or None,
        queryset=ProcessingActivity.objects.visible_to(request.access),
        board=request.board,
        advice=request.access.can(Capability.VIEW_REGISTER),
    )
    activities = activity_filter.qs.prefetch_related("schools", "subject_groups").order_by("name")
    if request.access.can(Capability.VIEW_REGISTER):  # findings and advice concern the working copy
        activities = with_finding_counts(activities.with_open_advice(), timezone.localdate())
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "processing/activity_list.html",
        {
            "page": page,
            "filter": activity_filter,
            "query": query.urlencode(),
            "can_adopt": request.access.can(Capability.EDIT_ACTIVITY, whole_board=True),
        },
    )


def _rows(name: str, model, *related: str) -> Prefetch:
    """A kind of row of the activity, with the terms it refers to in the same query."""
    return Prefetch(name, queryset=model.objects.select_related(*related))


# The overview: everything the lint rules read and the statement says. Access, security and
# cookies, and the FG's advice, have tabs of their own (each page stays within 15 queries).
DETAIL_PREFETCH = [
    "subject_groups",
    "processors",
    Prefetch(
        "retention_rules", RetentionRule.objects.annotate(exception_count=Count("exceptions"))
    ),
    "purposes",
    _rows("data_categories", ActivityDataCategory, "category", "subject_group", "dossier"),
    _rows("sources", ActivitySource, "source", "subject_group"),
    _rows("recipients", ActivityRecipient, "recipient", "dossier"),
    _rows("transfers", Transfer, "recipient"),
]
ACCESS_PREFETCH = [
    _rows("staff_access", StaffAccess, "staff_role", "dossier"),
    "security_measures",
    "cookies",
]


def _activity_tab(request: BoardRequest, pk: int, capability: str, prefetch: list):
    """An activity for one of its tabs, with what the tabs themselves show: the number of open
    advices and what the user may do with it."""
    queryset = (
        request.board.activities.select_related("owner", "approved_by")
        .prefetch_related(*prefetch)
        .annotate(open_comments=Count("comments", filter=Q(comments__resolved_at=None)))
    )
    activity = _activity(request, pk, capability, queryset)
    reach = activity.reach()
    can: dict[str, bool | str | None] = {
        name: request.access.can(capability, **reach)
        for name, capability in [
            ("edit", Capability.EDIT_ACTIVITY),
            ("approve", Capability.APPROVE_ACTIVITY),
            ("comment", Capability.COMMENT_ACTIVITY),
            ("history", Capability.VIEW_HISTORY),
            ("see_concepts", Capability.VIEW_REGISTER),
        ]
    }
    can["copy"] = request.access.can(Capability.EDIT_ACTIVITY, whole_board=True)
    # Why the approve button is not there for this person (the board's four-eyes rule).
    can["approve_refusal"] = (
        services.four_eyes_refusal(actor=request.user, activity=activity)
        if can["approve"] and not activity.is_approved
        else None
    )
    return activity, can


@board_view(Capability.VIEW_APPROVED_REGISTER, per_object=True)
def activity_detail(request: BoardRequest, pk: int) -> HttpResponse:
    activity, can = _activity_tab(request, pk, Capability.VIEW_APPROVED_REGISTER, DETAIL_PREFETCH)
    findings = lint_activity(activity, timezone.localdate()) if can["see_concepts"] else []
    return render(
        request,
        "processing/activity_detail.html",
        {
            "activity": activity,
            "can": can,
            "findings": findings,
            "tab": "overzicht",
            "catalogue_update": catalogue_update(activity) if can["see_concepts"] else None,
        },
    )


@board_view(Capability.VIEW_APPROVED_REGISTER, per_object=True)
def activity_access(request: BoardRequest, pk: int) -> HttpResponse:
    activity, can = _activity_tab(request, pk, Capability.VIEW_APPROVED_REGISTER, ACCESS_PREFETCH)
    return render(
        request,
        "processing/activity_access.html",
        {"activity": activity, "can": can, "tab": "toegang"},
    )


@board_view(Capability.VIEW_REGISTER, per_object=True)
def activity_comments(request: BoardRequest, pk: int) -> HttpResponse:
    comments = Comment.objects.select_related("author", "resolved_by").order_by(
        F("resolved_at").desc(nulls_first=True), "-created_at"
    )
    activity, can = _activity_tab(
        request, pk, Capability.VIEW_REGISTER, [Prefetch("comments", comments)]
    )
    return render(
        request,
        "processing/activity_comments.html",
        {"activity": activity, "can": can, "tab": "adviezen"},
    )


def _with_extra_row(data, part: Part) -> tuple[QueryDict, bool]:
    """The "Rij toevoegen" button: the same input with one more empty row in that formset, up to
    ROW_LIMIT rows, and whether the limit refused the row. The row counts are known to be sound
    numbers by now."""
    prefix = data["meer"]
    if prefix not in part.formsets:
        return data, False
    key = f"{prefix}-TOTAL_FORMS"
    if int(data[key]) >= ROW_LIMIT:
        return data, True
    data = data.copy()
    data[key] = str(int(data[key]) + 1)
    return data, False


def _edit(request: BoardRequest, activity: ProcessingActivity, part: Part) -> HttpResponse:
    """Create or edit one part of an activity: its fields and row formsets, saved as one change."""
    data: QueryDict | None = request.POST if request.method == "POST" else None
    if data is not None and not row_counts_are_sound(data, list(part.formsets)):
        return rows_refused(request)  # before a single row is built from the tampered counts
    adding_row = data is not None and "meer" in data
    # Said inside the formset that refused a row: the htmx answer holds only that formset, so a
    # message at the top of the page would never be seen there.
    row_refusal = None
    if adding_row and data is not None:
        data, refused = _with_extra_row(data, part)
        if refused:
            row_refusal = {
                "prefix": data["meer"],
                "message": _("Een onderdeel heeft hoogstens %(limit)d rijen.")
                % {"limit": ROW_LIMIT},
            }
    form = ActivityForm.for_part(part)(
        data,
        instance=activity,
        board=request.board,
        part=part,
        school_scope=request.access.scope(Capability.EDIT_ACTIVITY) == Scope.SCHOOL,
        own_school_ids=request.access.school_ids(Capability.EDIT_ACTIVITY),
    )
    formsets = build_formsets(data, activity=activity, board=request.board, part=part, form=form)
    if adding_row and data is not None:
        keep_as_typed(form, [formset for _, _, formset in formsets])
        rows = next((rows for rows in formsets if rows[0] == data["meer"]), None)
        if rows is not None:
            prefix, heading, formset = rows
            focus_new_row(formset)
            if request.htmx:
                # htmx swaps only this kind of rows in: answer with just them, not the whole page.
                return render(
                    request,
                    "processing/includes/formset.html",
                    {
                        "prefix": prefix,
                        "heading": heading,
                        "formset": formset,
                        "row_refusal": row_refusal,
                    },
                )
    conflict = None
    if data is not None and not adding_row:
        if form.is_valid() and all(formset.is_valid() for _, _, formset in formsets):
            try:
                saved = services.activity_save(
                    actor=request.user,
                    form=form,
                    formsets=[formset for _, _, formset in formsets],
                    expected_version=form.cleaned_data["version"],
                )
            except services.EditConflict as error:
                conflict = services.conflict_changes(activity, form.cleaned_data["version"])
                # Keep this person's input; saving again deliberately replaces the other's.
                kept = data.copy()
                kept["version"] = str(error.current.version)
                form.data = kept
            else:
                messages.success(request, _("%(part)s is opgeslagen.") % {"part": part.title})
                return redirect("activity_edit", board=request.board.slug, pk=saved.pk)
        else:
            messages.error(request, _("Niet opgeslagen: verbeter de velden met een foutmelding."))
    return render(
        request,
        "processing/activity_form.html",
        {
            "form": form,
            "formsets": formsets,
            "activity": activity,
            "part": part,
            "conflict": conflict,
            "row_refusal": row_refusal,
        },
        status=409 if conflict is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY)
def activity_create(request: BoardRequest) -> HttpResponse:
    """A new activity starts with its description; the other parts follow from the task list."""
    return _edit(request, ProcessingActivity(board=request.board), FIRST_PART)


TASK_PREFETCH = ["data_categories", "purposes", "security_measures", "retention_rules"]


@require_http_methods(["GET"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_edit(request: BoardRequest, pk: int) -> HttpResponse:
    """The task list: every part of the activity, how far it is and what the check found."""
    queryset = request.board.activities.prefetch_related(*TASK_PREFETCH)
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY, queryset)
    findings = stored_findings(request.board.activities.filter(pk=pk), timezone.localdate())
    return render(
        request,
        "processing/activity_tasks.html",
        {"activity": activity, "tasks": activity_tasks(activity, findings)},
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_edit_part(request: BoardRequest, pk: int, part: str) -> HttpResponse:
    if part not in PARTS_BY_SLUG:
        raise Http404
    return _edit(request, _activity(request, pk, Capability.EDIT_ACTIVITY), PARTS_BY_SLUG[part])


def _seen_version(request: BoardRequest) -> int:
    """The version of the activity that was on the user's page when they pressed the button.

    The buttons always send it; without it we cannot tell what the user agreed to."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError) as error:
        raise BadRequest("version") from error


def _conflict(request: BoardRequest, activity: ProcessingActivity, seen: int) -> HttpResponse:
    """The 409 page: the activity changed since the user saw version `seen`, and how."""
    return render(
        request,
        "processing/activity_conflict.html",
        {"activity": activity, "changes": services.conflict_changes(activity, seen)},
        status=409,
    )


def _status_change(
    request: BoardRequest, activity: ProcessingActivity, change: Callable, done: str
) -> HttpResponse:
    """Submit, approve or restore over the version the user saw; a 409 page with what changed
    if it is no longer the current one."""
    seen = _seen_version(request)
    try:
        change(actor=request.user, activity=activity, expected_version=seen)
    except services.EditConflict:
        return _conflict(request, activity, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_detail(request, activity)
    messages.success(request, done)
    return _to_detail(request, activity)


@require_POST
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_submit(request: BoardRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY)
    return _status_change(
        request,
        activity,
        services.activity_submit_for_review,
        _("De verwerking staat klaar om vastgesteld te worden."),
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.APPROVE_ACTIVITY, per_object=True)
def activity_approve(request: BoardRequest, pk: int) -> HttpResponse:
    """A look first: the open advice of the FG and the lint findings of the version to approve,
    and the button that counts; with open advice, approving asks for an explicit confirmation."""
    form: ApproveForm | None = None
    if request.method == "POST":
        # Approving needs the activity, not the page: the tab is built only when it is shown.
        activity = _activity(request, pk, Capability.APPROVE_ACTIVITY)
        form = ApproveForm(request.POST, open_advice=activity.comments.open().exists())
        if form.is_valid():
            return _status_change(
                request,
                activity,
                partial(
                    services.activity_approve,
                    advice_read=form.cleaned_data.get("advice_read", False),
                ),
                _("De verwerking is vastgesteld."),
            )
    # The page shows the findings, not the overview: only what the rules read.
    activity, can = _activity_tab(
        request, pk, Capability.APPROVE_ACTIVITY, lint_prefetch(request.board)
    )
    open_advice = list(activity.comments.open().select_related("author").order_by("created_at"))
    if form is None:
        form = ApproveForm(open_advice=bool(open_advice))
    # The version of the page the button was on; the review page passes it on unchanged.
    seen = request.GET.get("version", "")
    if seen.isdigit() and int(seen) != activity.version:
        return _conflict(request, activity, int(seen))
    return render(
        request,
        "processing/activity_approve.html",
        {
            "activity": activity,
            "can": can,
            "form": form,
            "version": request.POST.get("version", activity.version),
            "open_advice": open_advice,
            "findings": lint_activity(activity, timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_delete(request: BoardRequest, pk: int) -> HttpResponse:
    """An activity that parents can read in a published statement is deleted only by someone
    who may approve it: deleting it changes those statements at their next publication."""
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY)
    statements = statements_showing(activity)
    allowed = not statements or request.access.can(Capability.APPROVE_ACTIVITY, **activity.reach())
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        activity.delete()
        messages.success(request, _("De verwerking %(name)s is verwijderd.") % {"name": activity})
        return redirect("activity_list", board=request.board.slug)
    return render(
        request,
        "processing/activity_delete.html",
        {"activity": activity, "statements": statements, "allowed": allowed},
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_copy(request: BoardRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.VIEW_REGISTER)
    request.access.require(Capability.EDIT_ACTIVITY, whole_board=True)
    form = CopyForm(
        request.POST or None,
        board=request.board,
        initial={"name": _("%(name)s (kopie)") % {"name": activity.name}},
    )
    if form.is_valid():
        copy = services.activity_copy(actor=request.user, activity=activity, **form.cleaned_data)
        messages.success(request, _("Kopie gemaakt; pas hem aan en laat hem vaststellen."))
        return _to_detail(request, copy)
    return render(request, "processing/activity_copy.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
@board_view(Capability.COMMENT_ACTIVITY, per_object=True)
def comment_add(request: BoardRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.COMMENT_ACTIVITY)
    form = CommentForm(request.POST or None)
    if form.is_valid():
        services.comment_add(actor=request.user, activity=activity, text=form.cleaned_data["text"])
        messages.success(request, _("Uw advies is geplaatst."))
        return redirect("activity_comments", board=request.board.slug, pk=activity.pk)
    return render(request, "processing/comment_form.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
@board_view(Capability.APPROVE_ACTIVITY, per_object=True)
def comment_resolve(request: BoardRequest, pk: int, comment: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.APPROVE_ACTIVITY)
    instance = get_object_or_404(activity.comments.filter(resolved_at=None), pk=comment)
    form = ResolveCommentForm(request.POST or None, instance=instance)
    if form.is_valid():
        services.comment_resolve(
            actor=request.user, comment=instance, resolution=form.cleaned_data["resolution"]
        )
        messages.success(request, _("Het advies is afgehandeld."))
        return redirect("activity_comments", board=request.board.slug, pk=activity.pk)
    return render(
        request,
        "processing/comment_resolve.html",
        {"form": form, "activity": activity, "comment": instance},
    )


def _restorable(request: BoardRequest, activity: ProcessingActivity, records: list) -> set[int]:
    """The versions the user may restore. Restoring gives the activity the schools of that
    version again, so the user must be allowed to edit it both as it is and as it was:
    otherwise a schoolleider could make a local activity board-wide, or another school's, by
    restoring an older version."""
    if not request.access.can(Capability.EDIT_ACTIVITY, **activity.reach()):
        return set()
    return {
        history_id
        for history_id, reach in services.record_reaches(records).items()
        if request.access.can(Capability.EDIT_ACTIVITY, **reach)
    }


@board_view(Capability.VIEW_HISTORY, per_object=True)
def activity_history(request: BoardRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.VIEW_HISTORY)
    page = timeline_page(activity, request.GET.get("pagina"), PAGE_SIZE)
    restorable = _restorable(request, activity, [entry.record for entry in page if entry.record])
    return render(
        request,
        "processing/activity_history.html",
        {"activity": activity, "page": page, "restorable": restorable},
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_restore(request: BoardRequest, pk: int, record: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY)
    instance = get_object_or_404(activity.history.all(), history_id=record)
    if instance.history_id not in _restorable(request, activity, [instance]):
        raise PermissionDenied
    if request.method == "POST":
        return _status_change(
            request,
            activity,
            partial(services.activity_restore, record=instance),
            _("De eerdere versie is teruggezet als concept."),
        )
    return render(
        request, "processing/activity_restore.html", {"activity": activity, "record": instance}
    )


@board_view(Capability.VIEW_REGISTER)
def lint_page(request: BoardRequest) -> HttpResponse:
    findings = stored_findings(
        ProcessingActivity.objects.visible_to(request.access), timezone.localdate()
    )
    missing_facts = missing_board_facts(request.board)
    return render(
        request,
        "processing/lint.html",
        {
            "findings": findings,
            "missing_facts": missing_facts,
            "errors": len(missing_facts) + sum(f.is_error for f in findings),
            "warnings": sum(not f.is_error for f in findings),
        },
    )
