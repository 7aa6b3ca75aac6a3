"""Templates ask models what a stored value means (activity.can_be_submitted, export.is_ready)
instead of comparing the raw value: a rule then lives in one place and survives a renamed
choice."""

import re
from pathlib import Path

from django.conf import settings

# `activity.status == "concept"`, `row.kind != "gewoon"`, `rule.period_kind == "minimaal"`.
RAW_COMPARISON = re.compile(r"""\.(status|kind|period_kind)\s*[!=]=\s*["']""")


def test_no_template_compares_a_stored_status_or_kind_with_a_raw_value():
    base = Path(settings.BASE_DIR)
    templates = [
        path
        for pattern in ["templates/**/*.html", "*/templates/**/*.html"]
        for path in base.glob(pattern)
        if ".venv" not in path.parts
    ]
    assert templates
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates
        for match in RAW_COMPARISON.finditer(path.read_text())
    ]
    assert offending == []
