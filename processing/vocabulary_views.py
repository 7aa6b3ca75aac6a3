"""The board's own lists (vocabularies): subject groups, data categories, sources, recipients
and processors, staff roles and security measures."""

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacyregister.access import BoardRequest, board_view
from privacyregister.forms import BoardOwnedForm, limit_to_board
from privacyregister.permissions import Capability
from processing.term_fields import (
    chosen_field,
    editor_field,
    new_term_form,
    safe_next,
    term_field_context,
)
from processing.vocabularies import BY_SLUG, VOCABULARIES, Vocabulary


def _vocabulary(kind: str) -> Vocabulary:
    try:
        return BY_SLUG[kind]
    except KeyError:
        raise Http404 from None


def _form_class(vocabulary: Vocabulary) -> type[forms.ModelForm]:
    date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.modelform_factory(
        vocabulary.model,
        form=BoardOwnedForm,
        fields=["board", *vocabulary.fields],
        widgets={
            "description": forms.Textarea(attrs={"rows": 3}),
            "dpa_signed_on": date_widget,
            "dpa_valid_until": date_widget,
        },
    )


def _term(request: BoardRequest, vocabulary: Vocabulary, pk: int):
    # django-stubs cannot resolve lookups on the subclasses of an abstract model
    terms = vocabulary.model._default_manager.filter(board=request.board)  # type: ignore[misc]
    return get_object_or_404(terms, pk=pk)


@board_view(Capability.VIEW_REGISTER)
def term_list(request: BoardRequest, kind: str) -> HttpResponse:
    vocabulary = _vocabulary(kind)
    return render(
        request,
        "processing/term_list.html",
        {
            "kind": kind,
            "vocabulary": vocabulary,
            # Per request, not at import: the titles are in the user's language.
            "titles": {vocabulary.slug: vocabulary.title for vocabulary in VOCABULARIES},
            # django-stubs cannot resolve lookups on the subclasses of an abstract model
            "terms": vocabulary.model._default_manager.filter(board=request.board),  # type: ignore[misc]
            "can_edit": request.access.can(Capability.EDIT_ACTIVITY, whole_board=True),
        },
    )


def _edit(request: BoardRequest, kind: str, term) -> HttpResponse:
    """The term's form; the caller has checked the right to edit the board's lists."""
    vocabulary = _vocabulary(kind)
    term.board = request.board
    form = _form_class(vocabulary)(request.POST or None, instance=term)
    limit_to_board(form, request.board)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(term)s is opgeslagen.") % {"term": term})
        # Added from the activity editor without JavaScript: back to it.
        return redirect(safe_next(request) or reverse("term_list", args=[request.board.slug, kind]))
    return render(
        request,
        "processing/term_form.html",
        {"form": form, "term": term, "kind": kind, "vocabulary": vocabulary},
    )


def _create_in_place(request: BoardRequest, vocabulary: Vocabulary) -> HttpResponse:
    """The small form beside a term field of the activity editor, posted with htmx: the field
    again with the new term chosen next to what was chosen already, or the form with its errors.
    Only the field named in "veld", and only if it offers this list's terms."""
    html_name = request.POST.get("veld", "")
    field = editor_field(html_name, vocabulary)
    if field is None:
        raise BadRequest("veld")
    new_term = new_term_form(request, vocabulary, html_name, request.POST)
    chosen = request.POST.getlist(html_name)
    if new_term.is_valid():
        term = new_term.save()
        # A checkbox list keeps what was ticked; a select (a row) has the one new term.
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        chosen = [*chosen, term.pk] if multiple else term.pk
        new_term = new_term_form(request, vocabulary, html_name)
    bound = chosen_field(request, html_name, field, chosen)
    return render(
        request, "processing/includes/term_field.html", term_field_context(request, bound, new_term)
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def term_create(request: BoardRequest, kind: str) -> HttpResponse:
    vocabulary = _vocabulary(kind)
    request.access.require(Capability.EDIT_ACTIVITY, whole_board=True)
    if request.htmx and request.method == "POST":
        return _create_in_place(request, vocabulary)
    # Every list has a board foreign key; django-stubs checks the abstract base's fields.
    return _edit(request, kind, vocabulary.model(board=request.board))  # type: ignore[misc]


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def term_edit(request: BoardRequest, kind: str, pk: int) -> HttpResponse:
    term = _term(request, _vocabulary(kind), pk)
    request.access.require(Capability.EDIT_ACTIVITY, whole_board=True)
    return _edit(request, kind, term)


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def term_delete(request: BoardRequest, kind: str, pk: int) -> HttpResponse:
    vocabulary = _vocabulary(kind)
    term = _term(request, vocabulary, pk)
    request.access.require(Capability.EDIT_ACTIVITY, whole_board=True)
    users = request.board.activities.filter(vocabulary.used_by(term)).distinct().order_by("name")
    rules = term.retention_rules.all() if hasattr(term, "retention_rules") else []
    in_use = users.exists() or bool(rules)
    if request.method == "POST" and not in_use:
        term.delete()
        messages.success(request, _("%(term)s is verwijderd.") % {"term": term})
        return redirect("term_list", board=request.board.slug, kind=kind)
    if request.method == "POST":
        messages.error(
            request, _("%(term)s is nog in gebruik en is niet verwijderd.") % {"term": term}
        )
    return render(
        request,
        "processing/term_delete.html",
        {"term": term, "kind": kind, "vocabulary": vocabulary, "users": users, "rules": rules},
    )
