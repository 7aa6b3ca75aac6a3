"""The apps depend one way: workspace -> processing, retention, rights -> privacyregister.

The contracts are import-linter's, in pyproject.toml; `make lint` runs them too. Running them
here keeps the rule in every test run, where a developer sees it first."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def test_the_core_imports_no_feature_app_and_no_app_imports_the_workspace():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_every_app_of_the_project_is_under_the_contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    own_apps = {app.name for app in apps.get_app_configs() if Path(app.path).parent == ROOT}
    assert own_apps == set(config["root_packages"])
