import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from workspace.demo import load_demo

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


def board_state(slug: str) -> list[tuple[str, str, str]]:
    from privacyregister.models import Board
    from workspace.backup import board_objects

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


def _save_again(activity_pk: int) -> None:
    """One save as the application makes it: the version up, a history record, a new row."""
    from django.db import transaction

    from processing.models import ProcessingActivity, Purpose

    with transaction.atomic():
        activity = ProcessingActivity.objects.get(pk=activity_pk)
        activity.version += 1
        activity.save()
        Purpose.objects.create(
            activity=activity, description=f"Doel {activity.version}", legal_basis="e"
        )


def _activity_in_backup(path: str, activity_pk: int) -> dict:
    """The activity's version, its history versions and its purposes, as the file has them."""
    import gzip
    from xml.etree import ElementTree

    def field(element, name):
        return element.find(f"field[@name='{name}']").text

    with gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path) as file:
        objects = ElementTree.parse(file).getroot().findall("object")
    version: int | None = None
    history: list[int] = []
    purposes: list[int] = []
    for element in objects:
        model = element.get("model")
        if model == "processing.processingactivity" and element.get("pk") == str(activity_pk):
            version = int(field(element, "version"))
        elif model == "processing.historicalprocessingactivity":
            if field(element, "id") == str(activity_pk):
                history.append(int(field(element, "version")))
        elif model == "processing.purpose":
            purposes.append(int(field(element, "description").removeprefix("Doel ")))
    return {"version": version, "history": history, "purposes": purposes}


@pytest.mark.parametrize("bestuur", [False, True], ids=["installatie", "bestuur"])
def test_a_backup_taken_while_someone_saves_restores_a_state_that_existed(
    tmp_path, monkeypatch, bestuur
):
    """The backup pauses after reading the activity; meanwhile another connection saves it
    again (on SQLite, where a reader holds back writers, it tries to). What the file holds
    must be one moment: the activity's version is its newest history record's, and no
    purpose is newer than that version."""
    import threading
    import time

    from django.core.serializers import xml_serializer
    from django.db import OperationalError, connection

    from tests.factories import ActivityFactory

    activity = ActivityFactory()
    _save_again(activity.pk)  # version 2, with "Doel 2"
    paused, tried = threading.Event(), threading.Event()

    def writer():
        paused.wait(timeout=30)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    _save_again(activity.pk)
                    return
                except OperationalError:  # SQLite: "database table is locked" while read
                    tried.set()
                    time.sleep(0.05)
        finally:
            tried.set()
            connection.close()

    start_object = xml_serializer.Serializer.start_object

    def pause_after_the_activity(self, obj):
        if obj._meta.label == "processing.ProcessingActivity" and not paused.is_set():
            paused.set()
            assert tried.wait(timeout=30)
        return start_object(self, obj)

    monkeypatch.setattr(xml_serializer.Serializer, "start_object", pause_after_the_activity)
    thread = threading.Thread(target=writer)
    thread.start()
    path = str(tmp_path / "backup.xml.gz")
    options = {"bestuur": activity.board.slug} if bestuur else {}
    call_command("backup", path, verbosity=0, **options)
    thread.join(timeout=30)

    from processing.models import ProcessingActivity

    assert ProcessingActivity.objects.get(pk=activity.pk).version == 3  # the save went through
    found = _activity_in_backup(path, activity.pk)
    assert found["version"] == max(found["history"])
    assert max(found["purposes"]) == found["version"]


def test_a_boards_backup_brings_back_its_breaches_with_their_history(tmp_path):
    from breaches.models import Breach, BreachEvent, BreachMeasure

    load_demo()
    before = board_state("cpow")
    assert any(model == "breaches.historicalbreach_activities" for model, _, _ in before)
    cpow = {"board__slug": "cpow"}
    counts = (
        Breach.objects.filter(**cpow).count(),
        BreachMeasure.objects.filter(breach__board__slug="cpow").count(),
        BreachEvent.objects.filter(breach__board__slug="cpow").count(),
    )
    assert counts[0] == 3
    path = str(tmp_path / "cpow.xml.gz")
    call_command("backup", path, bestuur="cpow", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", path, verbosity=0)
    assert board_state("cpow") == before
    restored = (Breach.objects.count(), BreachMeasure.objects.count(), BreachEvent.objects.count())
    assert restored == counts
    assert Breach.history.count() > 3
