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


def board_state(slug: str) -> dict:
    from privacyregister.backup import board_objects
    from privacyregister.models import Board

    rows = serializers.serialize(
        "python", board_objects(Board.objects.get(slug=slug)), use_natural_foreign_keys=True
    )
    return sorted(
        (row["model"], str(row["pk"]), repr(sorted(row["fields"].items()))) for row in rows
    )


def test_one_board_is_backed_up_and_restored_on_its_own(tmp_path):
    from privacyregister.models import Board

    load_demo()
    before = board_state("veluwse-onderwijsgroep")
    assert any(model == "processing.historicalprocessingactivity" for model, _, _ in before)
    path = str(tmp_path / "vog.xml.gz")
    call_command("backup", path, bestuur="veluwse-onderwijsgroep", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", path, verbosity=0)
    assert list(Board.objects.values_list("slug", flat=True)) == ["veluwse-onderwijsgroep"]
    assert board_state("veluwse-onderwijsgroep") == before


def test_an_unknown_board_is_refused(tmp_path):
    with pytest.raises(CommandError, match="geen bestuur"):
        call_command("backup", str(tmp_path / "x.xml"), bestuur="bestaat-niet", verbosity=0)
