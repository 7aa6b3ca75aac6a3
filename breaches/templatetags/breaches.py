import datetime

from django import template

from privacyregister.dates import dutch_moment

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """{{ breach.reported_at|moment }}: 24 november 2026 om 14:05, in Dutch time."""
    return dutch_moment(value) if value else "—"
