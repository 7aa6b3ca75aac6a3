"""Links into the activity editor's parts."""

from django import template

from processing import parts
from processing.lint import Finding

register = template.Library()


@register.simple_tag(takes_context=True)
def fix_url(context: template.Context, finding: Finding) -> str:
    """Where the finding is put right ("Verbeteren")."""
    return parts.fix_url(context["request"].board.slug, finding)
