from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacyregister import audit, services
from privacyregister.access import AuthenticatedHttpRequest, BoardRequest, board_view
from privacyregister.audit import LABELS
from privacyregister.forms import (
    DOCUMENTS_PREFIX,
    ROWS_REFUSED,
    BoardDocumentFormSet,
    BoardSettingsForm,
    MembershipForm,
    NotificationSettingsForm,
    SchoolForm,
    row_counts_are_sound,
)
from privacyregister.limits import ROW_LIMIT
from privacyregister.models import (
    Invitation,
    NotificationSettings,
    School,
    SecurityEvent,
    normalise_email,
)
from privacyregister.permissions import Capability, matrix_rows
from privacyregister.roles import Role
from privacyregister.throttling import password_reset_allowed


def rows_refused(request: HttpRequest) -> HttpResponse:
    """The answer to tampered or oversized row counts: a short page, so that such a request costs
    less than building, let alone rendering, the form it was aimed at."""
    message = ROWS_REFUSED % {"limit": ROW_LIMIT}
    return render(request, "rows_refused.html", {"message": message}, status=400)


@transaction.non_atomic_requests  # not even a BEGIN
def health(_request: HttpRequest) -> HttpResponse:
    """For a load balancer's health check, and the benchmark's reference: Django answers,
    without a database query or a template."""
    return HttpResponse("ok", content_type="text/plain")


@transaction.non_atomic_requests
def ready(_request: HttpRequest) -> HttpResponse:
    """For a readiness check: unlike /gezond/, this one asks the database, so an instance whose
    database does not answer is taken out of the rotation instead of serving errors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse(
            _("De database antwoordt niet."), status=503, content_type="text/plain"
        )
    else:
        response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def invitation_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Someone else's invitation is as absent as a missing one.
    invitation = get_object_or_404(Invitation.objects.for_user(request.user), pk=pk)
    try:
        membership = services.invitation_accept(actor=request.user, invitation=invitation)
    except ValidationError as error:  # answered or withdrawn a moment ago
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("U bent nu %(role)s bij %(board)s.")
            % {"role": membership.get_role_display(), "board": membership.board},
        )
    return redirect("dashboard")


@require_POST
@login_required
def invitation_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.for_user(request.user), pk=pk)
    try:
        services.invitation_decline(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("U heeft de uitnodiging van %(board)s afgewezen.") % {"board": invitation.board},
        )
    return redirect("dashboard")


@board_view(Capability.VIEW_MATRIX)
def matrix(request: BoardRequest) -> HttpResponse:
    return render(
        request,
        "privacyregister/matrix.html",
        {
            "roles": list(Role),
            "rows": matrix_rows(),
            "memberships": request.board.memberships_by_role(),
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_MEMBERS)
def members(request: BoardRequest) -> HttpResponse:
    form = MembershipForm(request.POST or None, board=request.board)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, board=request.board, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(email)s is uitgenodigd als %(role)s. "
                    "De rol gaat in zodra de uitnodiging is aangenomen."
                )
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("members", board=request.board.slug)
    memberships = request.board.memberships.select_related("user", "school").order_by(
        "user__email", "role"
    )
    # Only what the board typed itself: nothing of an account behind the address.
    invitations = request.board.invitations.pending().select_related("school")
    return render(
        request,
        "privacyregister/members.html",
        {"form": form, "memberships": memberships, "invitations": invitations},
    )


@require_POST
@board_view(Capability.MANAGE_MEMBERS, per_object=True)
def invitation_withdraw(request: BoardRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(request.board.invitations.pending(), pk=pk)
    request.access.require(Capability.MANAGE_MEMBERS)
    try:
        services.invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as error:  # answered a moment ago
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("De uitnodiging van %(email)s is ingetrokken.") % {"email": invitation.email},
        )
    return redirect("members", board=request.board.slug)


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_MEMBERS, per_object=True)
def membership_revoke(request: BoardRequest, pk: int) -> HttpResponse:
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


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own choice of e-mails, for all their boards."""
    instance = NotificationSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST or None, instance=instance or NotificationSettings(user=request.user)
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("Uw keuze is opgeslagen."))
        return redirect("notification_settings")
    return render(request, "privacyregister/notification_settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_BOARD)
def board_settings(request: BoardRequest) -> HttpResponse:
    """What the board's statements say about the board: contact, FG, rights, documents, logo."""
    board = request.board
    data = request.POST if request.method == "POST" else None
    if data is not None and not row_counts_are_sound(data, [DOCUMENTS_PREFIX]):
        return rows_refused(request)  # before a single row is built from the tampered counts
    form = BoardSettingsForm(data, request.FILES if data is not None else None, instance=board)
    documents = BoardDocumentFormSet(data, instance=board, prefix=DOCUMENTS_PREFIX)
    if data is not None and form.is_valid() and documents.is_valid():
        form.save()
        documents.save()
        audit.record(
            "board.settings_changed",
            actor=request.user,
            board=board,
            fields=form.changed_data + (["documents"] if documents.has_changed() else []),
        )
        messages.success(
            request,
            _(
                "De bestuursgegevens zijn opgeslagen. Ze staan in de privacyverklaringen die u "
                "hierna publiceert."
            ),
        )
        return redirect("board_settings", board=board.slug)
    return render(
        request, "privacyregister/board_settings.html", {"form": form, "documents": documents}
    )


@board_view(Capability.MANAGE_SCHOOLS)
def schools(request: BoardRequest) -> HttpResponse:
    schools = list(request.board.schools.order_by("name"))
    return render(
        request,
        "privacyregister/schools.html",
        {
            "schools": [school for school in schools if not school.is_archived],
            "archived": [school for school in schools if school.is_archived],
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_SCHOOLS)
def school_create(request: BoardRequest) -> HttpResponse:
    form = SchoolForm(request.POST or None, instance=School(board=request.board))
    if form.is_valid():
        school = form.save()
        audit.record("school.created", actor=request.user, board=request.board, school=school.name)
        messages.success(request, _("%(school)s is toegevoegd.") % {"school": school})
        return redirect("schools", board=request.board.slug)
    return render(request, "privacyregister/school_edit.html", {"form": form, "school": None})


def _school(request: BoardRequest, slug: str) -> School:
    school = get_object_or_404(request.board.schools, slug=slug)
    request.access.require(Capability.MANAGE_SCHOOLS, schools=[school.pk])
    return school


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_SCHOOLS, per_object=True)
def school_edit(request: BoardRequest, school: str) -> HttpResponse:
    instance = _school(request, school)
    form = SchoolForm(request.POST or None, instance=instance)
    if form.is_valid():
        form.save()
        messages.success(
            request, _("De gegevens van %(school)s zijn opgeslagen.") % {"school": instance}
        )
        return redirect("schools", board=request.board.slug)
    return render(request, "privacyregister/school_edit.html", {"form": form, "school": instance})


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_SCHOOLS, per_object=True)
def school_archive(request: BoardRequest, school: str) -> HttpResponse:
    instance = _school(request, school)
    if request.method == "POST":
        try:
            services.school_archive(actor=request.user, school=instance)
        except ValidationError as error:  # archived a moment ago
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(school)s is gearchiveerd.") % {"school": instance})
        return redirect("schools", board=request.board.slug)
    return render(request, "privacyregister/school_archive.html", {"school": instance})


@require_POST
@board_view(Capability.MANAGE_SCHOOLS, per_object=True)
def school_restore(request: BoardRequest, school: str) -> HttpResponse:
    instance = _school(request, school)
    try:
        services.school_restore(actor=request.user, school=instance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(school)s is teruggezet.") % {"school": instance})
    return redirect("schools", board=request.board.slug)


@board_view(Capability.VIEW_AUDIT_LOG)
def audit_log(request: BoardRequest) -> HttpResponse:
    """Security events of the board, and the logins of its members since they joined: what a
    member did before, perhaps at another board, is none of this board's business."""
    member_then = request.board.memberships.filter(
        user=OuterRef("actor"), created_at__lte=OuterRef("at")
    )
    events = SecurityEvent.objects.filter(
        Q(board=request.board) | Q(Exists(member_then), board=None)
    ).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    rows = [(event, LABELS.get(event.action, event.action)) for event in page]
    return render(request, "privacyregister/audit_log.html", {"page": page, "rows": rows})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset with a limit on the mails. Over the limit the visitor sees the
    same "sent" page as always: the page never tells whether an address is known."""

    def form_valid(self, form):
        email = normalise_email(form.cleaned_data["email"])
        if not password_reset_allowed(self.request, email):
            return redirect(self.get_success_url())
        audit.record("auth.password_reset_requested", request=self.request, email=email)
        return super().form_valid(form)
