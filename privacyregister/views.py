from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacyregister import services
from privacyregister.access import board_view
from privacyregister.forms import MembershipForm, SchoolForm
from privacyregister.models import Board, Membership
from privacyregister.permissions import MATRIX, Capability
from privacyregister.roles import Role


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("board", "school")
        .order_by("board__name", "role")
    )
    boards: dict[Board, list[Membership]] = {}
    for membership in memberships:
        boards.setdefault(membership.board, []).append(membership)
    return render(request, "privacyregister/dashboard.html", {"boards": boards})


@board_view(Capability.VIEW_APPROVED_REGISTER)
def board_home(request: HttpRequest) -> HttpResponse:
    return redirect("activity_list", board=request.board.slug)


@board_view(Capability.VIEW_MATRIX)
def matrix(request: HttpRequest) -> HttpResponse:
    rows = [
        (capability, [MATRIX[role].get(capability) for role in Role]) for capability in Capability
    ]
    memberships = request.board.memberships.select_related("user", "school").order_by(
        "role", "user__email"
    )
    return render(
        request,
        "privacyregister/matrix.html",
        {"roles": list(Role), "rows": rows, "memberships": memberships},
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_MEMBERS)
def members(request: HttpRequest) -> HttpResponse:
    form = MembershipForm(request.POST or None, board=request.board)
    if form.is_valid():
        try:
            membership = services.membership_create(
                actor=request.user, board=request.board, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(user)s is nu %(role)s.")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
            return redirect("members", board=request.board.slug)
    memberships = request.board.memberships.select_related("user", "school").order_by(
        "user__email", "role"
    )
    return render(
        request, "privacyregister/members.html", {"form": form, "memberships": memberships}
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_MEMBERS, per_object=True)
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        request.board.memberships.select_related("user", "school"), pk=pk
    )
    request.access.require(Capability.MANAGE_MEMBERS)
    if request.method == "POST":
        try:
            services.membership_delete(actor=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De rol %(role)s van %(user)s is ingetrokken.")
                % {"role": membership.get_role_display(), "user": membership.user},
            )
        return redirect("members", board=request.board.slug)
    return render(request, "privacyregister/membership_revoke.html", {"membership": membership})


@board_view(Capability.MANAGE_SCHOOLS)
def schools(request: HttpRequest) -> HttpResponse:
    return render(request, "privacyregister/schools.html", {"schools": request.board.schools.all()})


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_SCHOOLS, per_object=True)
def school_edit(request: HttpRequest, school: str) -> HttpResponse:
    instance = get_object_or_404(request.board.schools, slug=school)
    request.access.require(Capability.MANAGE_SCHOOLS, schools=[instance.pk])
    form = SchoolForm(request.POST or None, instance=instance)
    if form.is_valid():
        form.save()
        messages.success(
            request, _("De gegevens van %(school)s zijn opgeslagen.") % {"school": instance}
        )
        return redirect("schools", board=request.board.slug)
    return render(request, "privacyregister/school_edit.html", {"form": form, "school": instance})
