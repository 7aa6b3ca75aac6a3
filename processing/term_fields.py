"""A term field of the activity editor (a choice from one of the board's lists) with a small form
beside it that adds a new term to that list without leaving the editor.

The template tag {% term_field %} (processing/templatetags/terms.py) renders it on the page; the
term-create view renders the same part again after an htmx post, with the new term chosen. The
small form's inputs lie inside the activity form (forms cannot nest), so they carry a prefix of
their own, belong to no form (their form attribute names none) and htmx posts them with the
chosen terms (hx-include, hx-params); saving the activity does not send them."""

import copy
import functools
import re
from urllib.parse import quote

from django import forms
from django.db.models import BooleanField, Field
from django.forms import BoundField
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from privacyregister.access import BoardRequest
from privacyregister.forms import BoardOwnedForm, limit_to_board
from privacyregister.permissions import Capability
from processing.forms import FORMSETS, ActivityForm
from processing.vocabularies import BY_MODEL, BY_SLUG, Vocabulary

# The form attribute of the small form's inputs: the id of no form, so they belong to none.
OUTSIDE_THE_EDITOR = "nieuwe-term"
ROW_FIELD = re.compile(r"^(?P<prefix>[a-z]+)-(?P<index>\d+)-(?P<name>\w+)$")


def vocabulary_of(field: forms.Field) -> Vocabulary | None:
    """The list a choice field offers terms of, if it is one of the board's lists."""
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        return None
    return BY_MODEL.get(field.queryset.model)


def editor_field(html_name: str, vocabulary: Vocabulary) -> forms.Field | None:
    """The field of the activity editor with this name (a field of the activity, or of a row:
    "gegevens-2-category") if it offers terms of this list; None for anything else, so a post
    cannot render another kind's or an invented field."""
    field = ActivityForm.base_fields.get(html_name)
    if field is None and (match := ROW_FIELD.match(html_name)):
        formsets = {prefix: formset for prefix, _heading, formset in FORMSETS}
        formset = formsets.get(match["prefix"])
        field = formset.form.base_fields.get(match["name"]) if formset else None
    if field is None or vocabulary_of(field) is not vocabulary:
        return None
    return field


@functools.cache
def new_term_form_class(slug: str) -> type[forms.ModelForm]:
    """The term's name and the other facts a term cannot be saved without; the rest can be
    filled in later on the list's own page. Built once per list (by its slug: a Vocabulary holds
    lists and cannot be a cache key), not for every term field of every row on every render."""
    vocabulary = BY_SLUG[slug]
    fields = [vocabulary.model._meta.get_field(name) for name in vocabulary.fields]
    required = [
        field.name
        for field in fields
        if isinstance(field, Field) and not field.blank and not isinstance(field, BooleanField)
    ]
    return forms.modelform_factory(
        vocabulary.model, form=BoardOwnedForm, fields=["board", *required]
    )


def new_term_form(
    request: BoardRequest, vocabulary: Vocabulary, html_name: str, data=None
) -> forms.ModelForm:
    # Every list has a board foreign key; django-stubs checks the abstract base's fields.
    term = vocabulary.model(board=request.board)  # type: ignore[misc]
    form = new_term_form_class(vocabulary.slug)(data, instance=term, prefix=f"nieuw-{html_name}")
    limit_to_board(form, request.board)
    for field in form.fields.values():
        # Owned by a form that is not on the page: saving the activity does not post them
        # (htmx posts them with hx-include).
        field.widget.attrs["form"] = OUTSIDE_THE_EDITOR
    return form


def chosen_field(request: BoardRequest, html_name: str, field: forms.Field, chosen) -> BoundField:
    """The editor's field on its own, limited to the board's terms, with these terms chosen.
    Same name and id as on the page, so it replaces the field there one for one."""
    form = forms.Form(initial={html_name: chosen})
    form.fields[html_name] = copy.deepcopy(field)
    limit_to_board(form, request.board)
    return form[html_name]


def term_field_context(
    request: BoardRequest, field: BoundField, new_term: forms.ModelForm | None = None
) -> dict:
    """What processing/includes/term_field.html needs: the field, and for a list of the board
    the small form, the URL it posts to and the names htmx posts."""
    vocabulary = vocabulary_of(field.field)
    # The lists are the whole board's: a user who may edit only their school's activities
    # (a schoolleider) may not add to them (term_create refuses), so gets the plain field.
    if vocabulary is None or not request.access.can(Capability.EDIT_ACTIVITY, whole_board=True):
        return {"field": field, "vocabulary": None}
    context: dict = {"field": field, "vocabulary": vocabulary}
    if new_term is None:
        new_term = new_term_form(request, vocabulary, field.html_name)
    create = reverse("term_create", kwargs={"board": request.board.slug, "kind": vocabulary.slug})
    # An htmx answer is rendered for the term-create URL: the page to return to is the editor.
    page = request.htmx.current_url_abs_path if request.htmx else request.get_full_path()
    context.update(
        term_name=vocabulary.model._meta.verbose_name,
        new_term=new_term,
        create_url=create,
        page_url=f"{create}?next={quote(page or '', safe='/')}",
        params=",".join(
            ["csrfmiddlewaretoken", "veld", field.html_name]
            + [new_term[name].html_name for name in new_term.fields if name != "board"]
        ),
        wrapper_id=f"{field.auto_id}-lijst",
    )
    return context


def safe_next(request: BoardRequest) -> str | None:
    """The page to return to after adding a term (?next=): only a page of this board on this
    site, so the link cannot send anyone elsewhere."""
    url = request.GET.get("next", "")
    own = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    board_root = reverse("board_home", kwargs={"board": request.board.slug})
    return url if own and url.startswith(board_root) else None
