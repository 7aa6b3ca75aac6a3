"""Every export is a job on the task queue: asked for with a POST, made by a worker, offered on
the export page; a job whose worker died is shown as interrupted, with a button to try again."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from privacyregister.roles import Role
from processing.models import RegisterExport
from tests.factories import ActivityFactory, MembershipFactory
from tests.processing.test_exports import csv_sheet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def export_page(client, board) -> str:
    return client.get(reverse("export", kwargs={"board": board.slug})).content.decode()


def ask_for(client, board, format="csv", **filters):
    return client.post(
        reverse("export_download", kwargs={"board": board.slug, "format": format}), filters
    )


def make_export(membership, *, status="bezig", asked_minutes_ago=0) -> RegisterExport:
    asked = timezone.now() - datetime.timedelta(minutes=asked_minutes_ago)
    return RegisterExport.objects.create(
        board=membership.board,
        exported_by=membership.user,
        format="csv",
        filters={"school": None, "status": "", "start": None, "end": None},
        activity_count=1,
        status=status,
        requested_at=asked,
    )


def test_opening_the_download_address_writes_no_export(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    url = reverse("export_download", kwargs={"board": officer.board.slug, "format": "csv"})
    assert client.get(url).status_code == 405
    assert not RegisterExport.objects.exists()


def test_the_export_page_asks_for_a_file_with_a_post_form():
    from bs4 import BeautifulSoup
    from django.test import Client

    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer.user)
    pdf = BeautifulSoup(export_page(client, officer.board), "html.parser").find(
        "button", string="PDF"
    )
    form = pdf.find_parent("form")
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None


def test_an_export_is_a_job_whose_file_the_page_offers_when_ready(
    client, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory(board=officer.board, name="Leerlingvolgsysteem")
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = ask_for(client, officer.board)
    assert response.status_code == 302
    export = RegisterExport.objects.get()
    assert export.status == "bezig"  # queued, made after the commit
    assert "wordt gemaakt" in export_page(client, officer.board)
    for callback in callbacks:
        callback()  # the test task backend runs the job at once
    export.refresh_from_db()
    assert export.status == "klaar"
    file_url = reverse("export_file", kwargs={"board": officer.board.slug, "pk": export.pk})
    assert file_url in export_page(client, officer.board)
    assert "Leerlingvolgsysteem" in str(csv_sheet(client.get(file_url).content))


def test_a_job_still_running_long_after_it_was_asked_for_is_shown_as_interrupted(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    make_export(officer, asked_minutes_ago=11)
    client.force_login(officer.user)
    page = export_page(client, officer.board)
    assert "Het maken van dit bestand is onderbroken. Probeer het opnieuw." in page
    assert "Opnieuw" in page


def test_a_job_asked_for_a_moment_ago_is_still_being_made(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    export = make_export(officer, asked_minutes_ago=1)
    client.force_login(officer.user)
    page = export_page(client, officer.board)
    assert "onderbroken" not in page
    assert (
        reverse("export_retry", kwargs={"board": officer.board.slug, "pk": export.pk}) not in page
    )
    assert "Vernieuwen" in page


def test_a_failed_job_offers_a_retry_that_makes_the_file(
    client, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory(board=officer.board, name="Cameratoezicht")
    export = make_export(officer, status="mislukt")
    client.force_login(officer.user)
    assert "Het maken van dit bestand is mislukt. Probeer het opnieuw." in export_page(
        client, officer.board
    )
    retry = reverse("export_retry", kwargs={"board": officer.board.slug, "pk": export.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    export.refresh_from_db()
    assert export.status == "klaar"
    file_url = reverse("export_file", kwargs={"board": officer.board.slug, "pk": export.pk})
    assert "Cameratoezicht" in str(csv_sheet(client.get(file_url).content))


def test_an_export_being_made_is_not_queued_twice(client, django_capture_on_commit_callbacks):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    export = make_export(officer, asked_minutes_ago=1)
    client.force_login(officer.user)
    retry = reverse("export_retry", kwargs={"board": officer.board.slug, "pk": export.pk})
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(retry, follow=True)
    assert callbacks == []
    assert "Dit bestand wordt al gemaakt." in response.content.decode()


def test_only_the_maker_retries_an_export(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    export = make_export(officer, status="mislukt")
    colleague = MembershipFactory(board=officer.board, role=Role.FG)
    client.force_login(colleague.user)
    retry = reverse("export_retry", kwargs={"board": officer.board.slug, "pk": export.pk})
    assert client.post(retry).status_code == 404
    assert "Opnieuw" not in export_page(client, officer.board)
    export.refresh_from_db()
    assert export.status == "mislukt"


def test_a_job_that_raises_is_marked_failed(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    import processing.register_xlsx

    def broken(**kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(processing.register_xlsx, "export_csv", broken)
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        ask_for(client, officer.board)
    assert RegisterExport.objects.get().status == "mislukt"
    assert "Probeer het opnieuw." in export_page(client, officer.board)


def test_a_first_job_that_fails_late_leaves_the_file_its_retry_made(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    import processing.export_jobs
    import processing.register_xlsx

    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        ask_for(client, officer.board)  # made by the retry, say
    export = RegisterExport.objects.get()
    assert export.status == "klaar"

    def broken(**kwargs):
        raise RuntimeError("de eerste worker struikelt alsnog")

    monkeypatch.setattr(processing.register_xlsx, "export_csv", broken)
    processing.export_jobs.export_build(RegisterExport.objects.get())  # the interrupted first job
    export.refresh_from_db()
    assert export.status == "klaar"
    assert export.content


# A real worker (manage.py db_worker) in its own process needs a database it can reach, which
# pytest-django's in-memory SQLite test database is not: this runs in the PostgreSQL pass.
def _worker_env() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "privacyregister.settings"}


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "de worker deed niet wat verwacht werd"
        time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_export_whose_worker_is_killed_is_shown_as_interrupted_and_made_on_retry(
    client, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory(board=officer.board, name="Leerlingvolgsysteem")
    client.force_login(officer.user)
    assert ask_for(client, officer.board).status_code == 302
    export = RegisterExport.objects.get()

    # A worker whose exports hang, killed without warning in the middle of the job.
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "processing" / "hanging_worker.py")],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: DBTaskResult.objects.get().status == "RUNNING")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    export.refresh_from_db()
    assert export.status == "bezig"
    assert DBTaskResult.objects.get().status == "RUNNING"  # the queue never hears of the kill
    assert "wordt gemaakt" in export_page(client, officer.board)

    # Past the limit the job is shown as interrupted, with "Opnieuw".
    late = timezone.now() - settings.EXPORT_JOB_TIMEOUT - datetime.timedelta(seconds=1)
    RegisterExport.objects.filter(pk=export.pk).update(requested_at=late)
    page = export_page(client, officer.board)
    assert "Het maken van dit bestand is onderbroken. Probeer het opnieuw." in page
    retry = reverse("export_retry", kwargs={"board": officer.board.slug, "pk": export.pk})
    assert retry in page
    assert client.post(retry).status_code == 302

    # A fresh worker makes the file.
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=_worker_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    export.refresh_from_db()
    assert export.status == "klaar"
    file_url = reverse("export_file", kwargs={"board": officer.board.slug, "pk": export.pk})
    assert "Leerlingvolgsysteem" in str(csv_sheet(client.get(file_url).content))


def test_while_an_own_export_is_made_the_list_refreshes_itself_and_counts_its_activities(
    client, django_assert_max_num_queries
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory.create_batch(2, board=officer.board)
    client.force_login(officer.user)
    ask_for(client, officer.board)  # its job waits: the commit that queues it never comes
    page = export_page(client, officer.board)
    assert 'hx-trigger="every 2s"' in page
    assert "Wordt gemaakt… (2 verwerkingen)" in page
    assert "Vernieuwen" in page  # without JavaScript, the link refreshes
    url = reverse("export", kwargs={"board": officer.board.slug})
    with django_assert_max_num_queries(15):
        response = client.get(url, headers={"HX-Request": "true"})
    assert "<h1>" not in response.content.decode()  # the list alone, swapped in place
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_the_list_stops_refreshing_when_no_own_export_is_being_made(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    colleague = MembershipFactory(board=officer.board, role=Role.FG)
    make_export(officer, status="klaar")
    make_export(officer, asked_minutes_ago=60 * 24)  # interrupted: waits for "Opnieuw"
    make_export(colleague)  # someone else's, which this user cannot download anyway
    client.force_login(officer.user)
    assert "hx-trigger" not in export_page(client, officer.board)
