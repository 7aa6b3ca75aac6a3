"""Reference and demo data files in fixtures/ (JSON, keyed by names rather than ids)."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(relative_path: str) -> Any:
    with (FIXTURES_DIR / relative_path).open(encoding="utf-8") as f:
        return json.load(f)
