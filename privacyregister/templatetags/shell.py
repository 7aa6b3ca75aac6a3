"""The workspace shell's template tags: the breadcrumbs and the error summary of a form."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str | None  # None: the current page


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context, *trail: str | Promise) -> dict:
    """{% breadcrumbs "Register" register_url activity.name %}: labels and URLs in turn, the
    current page's label last. The board's home comes first by itself; a URL may also be the
    name of a board page (`"activity_list"`), reversed for the request's board."""
    request = context["request"]
    crumbs = [
        Crumb(request.board.name, reverse("board_home", kwargs={"board": request.board.slug}))
    ]
    *pairs, current = trail
    for label, url in zip(pairs[::2], pairs[1::2], strict=True):
        if not str(url).startswith("/"):
            url = reverse(str(url), kwargs={"board": request.board.slug})
        crumbs.append(Crumb(label, str(url)))
    crumbs.append(Crumb(current, None))
    return {"crumbs": crumbs}


@dataclass(frozen=True)
class FormError:
    message: str
    target: str | None  # the id of the field to go to; None for an error of the whole form


def _form_errors(form: BaseForm, place: str = "") -> list[FormError]:
    errors = [FormError(f"{place}{message}", None) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        field = form[name]
        # A hidden field (the version of an edit) cannot be corrected by the user: no link.
        target = None if field.is_hidden else field.id_for_label
        label = f"{field.label}: " if field.label else ""
        errors += [FormError(f"{place}{label}{message}", target) for message in messages]
    return errors


def _formset_errors(formset: BaseFormSet, heading: str | Promise | None) -> list[FormError]:
    errors = [FormError(str(message), None) for message in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        # Not formset.deleted_forms: Django leaves that empty while the formset is invalid,
        # which is exactly when the summary is shown; a row ticked for deletion is not corrected.
        # (Django's own test, missing from the stubs; a formset may override it.)
        if formset.can_delete and formset._should_delete_form(form):  # type: ignore[attr-defined]
            continue
        if heading:
            place = _("%(heading)s, rij %(row)s: ") % {"heading": heading, "row": number}
        else:
            place = _("Rij %(row)s: ") % {"row": number}
        errors += _form_errors(form, place)
    return errors


@register.simple_tag
def error_summary_items(form: BaseForm | None, formsets=()) -> list[FormError]:
    """Every error of a sent form and its formsets, in the order of the page. `formsets` is one
    formset, a list of formsets, or a list of (prefix, heading, formset) tuples when the rows
    need a heading (a template cannot build a list, so one formset is taken as it is)."""
    if form is None or not form.is_bound:
        return []
    errors = _form_errors(form)
    if isinstance(formsets, BaseFormSet):
        formsets = [formsets]
    for entry in formsets or ():
        if isinstance(entry, tuple):
            _prefix, heading, formset = entry
        else:
            heading, formset = None, entry
        if formset.is_bound:
            errors += _formset_errors(formset, heading)
    return errors
