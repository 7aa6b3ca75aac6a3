from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacyregister.access import board_view
from privacyregister.permissions import Capability, Scope
from processing.forms import ActivityForm, FgAdviceForm
from processing.models import ProcessingActivity
from processing.services import activity_approve

PAGE_SIZE = 25


def _visible_activities(request: HttpRequest):
    """The board's activities this user may read: everything, or only what is approved,
    for the whole board or only for their own school."""
    access, activities = request.access, request.board.activities.all()
    for capability, subset in [
        (Capability.VIEW_REGISTER, activities),
        (
            Capability.VIEW_APPROVED_REGISTER,
            activities.filter(status=ProcessingActivity.Status.APPROVED),
        ),
    ]:
        scope = access.scope(capability)
        if scope == Scope.BOARD:
            return subset
        if scope == Scope.SCHOOL:
            return subset.for_schools(access.school_ids(capability))
    return activities.none()


def _activity(request: HttpRequest, pk: int, capability: str) -> ProcessingActivity:
    """An activity of this board (404 otherwise) that the user may act on (403 otherwise)."""
    activity = get_object_or_404(request.board.activities.prefetch_related("schools"), pk=pk)
    request.access.require(capability, **activity.reach())
    if not activity.is_approved:
        request.access.require(Capability.VIEW_REGISTER, **activity.reach())
    return activity


@board_view(Capability.VIEW_APPROVED_REGISTER)
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = _visible_activities(request).prefetch_related("schools", "subject_groups")
    page = Paginator(activities.order_by("name"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "processing/activity_list.html", {"page": page})


@board_view(Capability.VIEW_APPROVED_REGISTER, per_object=True)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.VIEW_APPROVED_REGISTER)
    reach = activity.reach()
    return render(
        request,
        "processing/activity_detail.html",
        {
            "activity": activity,
            "can_edit": request.access.can(Capability.EDIT_ACTIVITY, **reach),
            "can_approve": request.access.can(Capability.APPROVE_ACTIVITY, **reach),
            "can_comment": request.access.can(Capability.COMMENT_ACTIVITY, **reach),
            "can_view_history": request.access.can(Capability.VIEW_HISTORY, **reach),
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        board=request.board,
        school_scope=request.access.scope(Capability.EDIT_ACTIVITY) == Scope.SCHOOL,
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("De verwerking is opgeslagen."))
        return redirect("activity_detail", board=request.board.slug, pk=activity.pk)
    return render(request, "processing/activity_edit.html", {"form": form, "activity": activity})


@require_POST
@board_view(Capability.APPROVE_ACTIVITY, per_object=True)
def activity_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.APPROVE_ACTIVITY)
    activity_approve(actor=request.user, activity=activity)
    messages.success(request, _("De verwerking is vastgesteld."))
    return redirect("activity_detail", board=request.board.slug, pk=activity.pk)


@require_http_methods(["GET", "POST"])
@board_view(Capability.COMMENT_ACTIVITY, per_object=True)
def activity_advice(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.COMMENT_ACTIVITY)
    form = FgAdviceForm(request.POST or None, instance=activity)
    if form.is_valid():
        form.save()
        messages.success(request, _("Uw advies is opgeslagen."))
        return redirect("activity_detail", board=request.board.slug, pk=activity.pk)
    return render(request, "processing/activity_advice.html", {"form": form, "activity": activity})


@board_view(Capability.VIEW_HISTORY, per_object=True)
def activity_history(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Capability.VIEW_HISTORY)
    records = activity.history.select_related("history_user").order_by("-history_date")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "processing/activity_history.html", {"activity": activity, "page": page})
