"""Runs only in the PostgreSQL pass of `make test`; proves that pass really used PostgreSQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from privacyregister.models import Membership
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_suite_runs_on_a_real_postgresql_server():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_partial_unique_indexes_hold_on_postgresql():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, board=membership.board, role=membership.role
        )


def _in_threads(*jobs):
    """Run the jobs at the same moment, each in its own thread and database connection."""
    import threading

    from django.db import connection

    barrier, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception as error:  # the test inspects what happened
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_cannot_both_win():
    from django.test import Client
    from django.urls import reverse

    from privacyregister.roles import Role
    from tests.factories import ActivityFactory
    from tests.forms import form_data

    first = MembershipFactory(role=Role.PRIVACY_OFFICER)
    second = MembershipFactory(board=first.board, role=Role.BEHEERDER)
    activity = ActivityFactory(board=first.board, description="Begin")
    url = reverse(
        "activity_edit_part",
        kwargs={"board": first.board.slug, "pk": activity.pk, "part": "beschrijving"},
    )
    clients = []
    for membership, text in [(first, "Versie A"), (second, "Versie B")]:
        client = Client()
        client.force_login(membership.user)
        data = form_data(client.get(url))
        data["description"] = text
        clients.append((client, data))
    statuses = _in_threads(*[lambda c=c, d=d: c.post(url, d).status_code for c, d in clients])
    assert sorted(statuses) == [302, 409]
    activity.refresh_from_db()
    assert activity.version == 2
    assert activity.description == ("Versie A" if statuses[0] == 302 else "Versie B")


@pytest.mark.django_db(transaction=True)
def test_publishing_twice_at_once_gives_two_version_numbers():
    from privacyregister.roles import Role
    from processing.statements import statement_publish

    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    results = _in_threads(
        *[
            lambda: (
                statement_publish(
                    actor=officer.user,
                    board=officer.board,
                    school=None,
                    change_summary="gelijktijdig",
                ).number
            )
        ]
        * 2
    )
    assert sorted(results) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_eight_first_readers_of_a_pdf_at_once_wait_for_one_render(monkeypatch):
    from django.test import Client

    import processing.pdf
    from privacyregister.roles import Role
    from processing.statements import statement_publish

    renders = []
    render = processing.pdf.render_statement_pdf

    def counted(statement, *variant):
        renders.append(statement.pk)
        return render(statement, *variant)

    monkeypatch.setattr(processing.pdf, "render_statement_pdf", counted)
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    url = f"/privacy/{officer.board.slug}/v1.pdf"
    responses = _in_threads(*[lambda: Client().get(url)] * 8)
    assert [response.status_code for response in responses] == [200] * 8
    assert len({response.content for response in responses}) == 1
    assert responses[0].content.startswith(b"%PDF")
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_public_breach_reports_sent_at_once_are_counted_one_after_the_other(settings):
    import datetime

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from breaches.models import Breach
    from tests.factories import BoardFactory, StatementVersionFactory

    settings.BREACH_REPORTS_PER_BOARD = 2
    settings.BREACH_REPORTS_CEILING_PER_BOARD = 4
    board = BoardFactory()
    StatementVersionFactory(board=board)
    url = reverse("breach_report_public", kwargs={"board": board.slug})
    discovered = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    data = {"what_happened": "Cijferlijsten op internet.", "discovered_at": discovered}

    def post(ip: str) -> int:
        return Client().post(url, data, REMOTE_ADDR=ip).status_code

    statuses = _in_threads(*[lambda ip=f"203.0.113.{n}": post(ip) for n in range(1, 7)])
    # Without the board's lock all six would read the same count and pass.
    assert sorted(statuses) == [302, 302, 302, 302, 429, 429]
    reports = Breach.objects.filter(board=board)
    assert sorted(reports.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert reports.filter(flood_suspected=True).count() == 2
