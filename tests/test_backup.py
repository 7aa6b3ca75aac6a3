import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from privacyregister.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

SKIPPED = {"contenttypes", "sessions", "axes", "admin"}


def everything() -> dict[str, list]:
    """Every object of every model (history tables included), comparable across databases."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED or model._meta.label == "auth.Permission":
            continue
        rows = model._default_manager.order_by("pk")
        state[model._meta.label] = serializers.serialize(
            "python", rows, use_natural_foreign_keys=True
        )
    return state


def test_a_backup_restores_every_object_and_every_history_entry(tmp_path):
    load_demo()
    before = everything()
    assert before["processing.HistoricalProcessingActivity"]
    assert before["guardian.UserObjectPermission"]
    path = str(tmp_path / "backup.xml.gz")
    call_command("backup", path, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert everything()["privacyregister.Board"] == []
    call_command("restore", path, verbosity=0)
    assert everything() == before


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    load_demo()
    path = str(tmp_path / "backup.xml")
    call_command("backup", path, verbosity=0)
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore", path, verbosity=0)
