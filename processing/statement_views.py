"""The privacy officer's side of the statements: overview, preview and publishing."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from privacyregister.access import BoardRequest, board_view
from privacyregister.permissions import Capability
from processing.lint import missing_board_facts
from processing.statement_variants import DOCUMENT_FIELDS
from processing.statements import PublishRefused, statement_preview, statement_publish


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label=gettext_lazy("Wat is er veranderd (voor ouders en medewerkers)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@board_view(Capability.VIEW_REGISTER)
def statement_overview(request: BoardRequest) -> HttpResponse:
    board = request.board
    latest = {}
    for version in board.statement_versions.defer(*DOCUMENT_FIELDS).order_by("number"):
        latest[version.school_id] = version
    targets = [(None, latest.get(None))] + [
        (school, latest.get(school.pk)) for school in board.schools.active()
    ]
    return render(request, "processing/statements.html", {"targets": targets})


def _publish(request: BoardRequest, school) -> HttpResponse:
    board = request.board
    form = PublishForm(request.POST or None)
    if form.is_valid():
        try:
            statement = statement_publish(
                actor=request.user, board=board, school=school, **form.cleaned_data
            )
        except PublishRefused:
            pass  # the page below shows why
        else:
            messages.success(
                request,
                _("Versie %(number)s is gepubliceerd.") % {"number": statement.number},
            )
            return redirect("statement_overview", board=board.slug)
    findings, preview = statement_preview(board, school)
    return render(
        request,
        "processing/statement_publish.html",
        {
            "school": school,
            "form": form,
            "findings": findings,
            "missing_facts": missing_board_facts(board),
            "preview": mark_safe(preview),  # our own render
        },
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.PUBLISH_STATEMENT)
def publish_board_statement(request: BoardRequest) -> HttpResponse:
    return _publish(request, None)


@require_http_methods(["GET", "POST"])
@board_view(Capability.PUBLISH_STATEMENT, per_object=True)
def publish_school_statement(request: BoardRequest, school: str) -> HttpResponse:
    instance = get_object_or_404(request.board.schools.active(), slug=school)
    request.access.require(Capability.PUBLISH_STATEMENT, schools=[instance.pk])
    return _publish(request, instance)
