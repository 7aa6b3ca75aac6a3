from django import template
from django.forms import BoundField

from processing.term_fields import term_field_context

register = template.Library()


@register.inclusion_tag("processing/includes/term_field.html", takes_context=True)
def term_field(context: template.Context, field: BoundField) -> dict:
    """A field of the activity editor; a choice from one of the board's lists gets a small form
    beside it that adds a new term to the list in place: {% term_field form.processors %}."""
    return term_field_context(context["request"], field)
