import datetime

from django import template

from breaches.services import moment as written_moment

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """{{ breach.reported_at|moment }}: 24 november 2026 om 14:05, in Dutch time."""
    return written_moment(value) if value else "—"
