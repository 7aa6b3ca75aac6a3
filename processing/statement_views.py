"""The privacy officer's side of the statements: overview, preview and publishing."""

import datetime
import re
from typing import cast

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from privacyregister.access import BoardRequest, board_view
from privacyregister.permissions import Capability
from processing.lint import missing_board_facts
from processing.models import ProcessingActivity, StatementVersion
from processing.services import activity_move
from processing.statements import (
    PublishAllRefused,
    PublishRefused,
    out_of_date_statements,
    statement_preview,
    statement_publish,
    statements_publish,
)

# A statement may be published ahead of the school year it is for, not further: a later date
# is a typing error. An earlier date than today would claim that parents could read this text
# before it was published.
EFFECTIVE_AHEAD = datetime.timedelta(days=366)


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label=gettext_lazy("Wat is er veranderd (voor ouders en medewerkers)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    version_label = forms.CharField(
        label=gettext_lazy("Eigen versieaanduiding (niet verplicht)"),
        help_text=gettext_lazy(
            "Bijvoorbeeld 3.1 of juli 2022. Ouders zien die naast het nummer dat wij geven."
        ),
        max_length=30,
        required=False,
    )
    effective_from = forms.DateField(
        label=gettext_lazy("Geldt vanaf (niet verplicht)"),
        help_text=gettext_lazy("Vandaag of een datum binnen een jaar, bijvoorbeeld 1 augustus."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )

    def clean_version_label(self) -> str:
        # "versie 3.1" would read "Versie versie 3.1": the word is ours.
        label = self.cleaned_data["version_label"].strip()
        return re.sub(r"^versie\s+", "", label, flags=re.IGNORECASE)

    def clean_effective_from(self) -> datetime.date | None:
        effective_from = self.cleaned_data["effective_from"]
        today = timezone.localdate()
        if effective_from and not today <= effective_from <= today + EFFECTIVE_AHEAD:
            raise forms.ValidationError(
                _("Kies vandaag of een datum binnen een jaar."), code="effective_from"
            )
        return effective_from


class PublishAllForm(PublishForm):
    """One summary for several statements; each keeps the number we give it."""

    targets = forms.MultipleChoiceField(
        label=gettext_lazy("Deze verklaringen krijgen een nieuwe versie"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version_label"]  # a label of one statement, not of several
        cast(forms.MultipleChoiceField, self.fields["targets"]).choices = targets
        self.order_fields(["targets"])


class MoveForm(forms.Form):
    """One of the page's buttons: "op" or "neer", with the activity as its value."""

    op = forms.ModelChoiceField(queryset=ProcessingActivity.objects.none(), required=False)
    neer = forms.ModelChoiceField(queryset=ProcessingActivity.objects.none(), required=False)

    def __init__(self, *args, board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("op", "neer"):
            self.fields[name].queryset = board.activities.all()  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if bool(data.get("op")) == bool(data.get("neer")):
            raise forms.ValidationError(_("Kies één verwerking om te verplaatsen."))
        return data


@board_view(Capability.VIEW_REGISTER)
def statement_overview(request: BoardRequest) -> HttpResponse:
    board = request.board
    latest = {}
    versions = board.statement_versions.defer(*StatementVersion.DOCUMENT_FIELDS)
    for version in versions.order_by("number"):
        latest[version.school_id] = version
    targets = [(None, latest.get(None))] + [
        (school, latest.get(school.pk)) for school in board.schools.active()
    ]
    out_of_date = out_of_date_statements(board)
    return render(
        request,
        "processing/statements.html",
        {
            "targets": targets,
            "behind": {school.pk if school else None for school in out_of_date},
            "publishable": _publishable(request, out_of_date),
        },
    )


def _publishable(request: BoardRequest, out_of_date: list) -> list:
    """The statements behind the register that this user may publish (None: the board's)."""
    return [
        school
        for school in out_of_date
        if request.access.can(
            Capability.PUBLISH_STATEMENT,
            **({"schools": [school.pk]} if school else {"whole_board": True}),
        )
    ]


def _target_key(school) -> str:
    return f"school-{school.pk}" if school else "bestuur"


@require_http_methods(["GET", "POST"])
@board_view(Capability.PUBLISH_STATEMENT)
def publish_out_of_date(request: BoardRequest) -> HttpResponse:
    """Every statement that is behind the register, published in one action with one summary;
    schools without a statement of their own (their parents read the board's) can be added.
    What is ticked, and still may be published when the button is pressed, is published."""
    board = request.board
    behind = _publishable(request, out_of_date_statements(board))
    never = [
        school
        for school in board.schools.active().filter(
            ~Exists(StatementVersion.objects.filter(school=OuterRef("pk")))
        )
        if request.access.can(Capability.PUBLISH_STATEMENT, schools=[school.pk])
    ]
    publishable = behind + never
    choices = [
        (_target_key(school), _("%(name)s (loopt achter)") % {"name": school or board})
        for school in behind
    ] + [
        (_target_key(school), _("%(name)s (nog geen eigen verklaring)") % {"name": school})
        for school in never
    ]
    form = PublishAllForm(
        request.POST or None,
        targets=choices,
        initial={"targets": [_target_key(school) for school in behind]},
    )
    refused = None
    if form.is_valid():
        chosen = set(form.cleaned_data["targets"])
        try:
            published = statements_publish(
                actor=request.user,
                board=board,
                schools=[school for school in publishable if _target_key(school) in chosen],
                change_summary=form.cleaned_data["change_summary"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except PublishAllRefused as error:
            refused = error
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d privacyverklaring is gepubliceerd.",
                    "%(count)d privacyverklaringen zijn gepubliceerd.",
                    len(published),
                )
                % {"count": len(published)},
            )
            return redirect("statement_overview", board=board.slug)
    return render(
        request,
        "processing/statement_publish_all.html",
        {"form": form, "behind": behind, "never": never, "refused": refused},
    )


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
    findings, preview, changes = statement_preview(board, school)
    return render(
        request,
        "processing/statement_publish.html",
        {
            "school": school,
            "form": form,
            "findings": findings,
            "changes": changes,
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


@require_http_methods(["GET", "POST"])
@board_view(Capability.PUBLISH_STATEMENT)
def statement_order(request: BoardRequest) -> HttpResponse:
    """The order of the activities in the board's statements: whoever publishes decides it."""
    board = request.board
    form = MoveForm(request.POST or None, board=board)
    if form.is_valid():
        activity = form.cleaned_data["op"] or form.cleaned_data["neer"]
        activity_move(board=board, activity=activity, up=bool(form.cleaned_data["op"]))
        # Back to the row that moved, also without JavaScript.
        return redirect(
            f"{reverse('statement_order', kwargs={'board': board.slug})}#v{activity.pk}"
        )
    activities = board.activities.in_statement_order().only("name", "approved_at")
    return render(
        request, "processing/statement_order.html", {"activities": activities, "form": form}
    )
