import datetime
import shutil
import subprocess
import tempfile

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacyregister.roles import Role
from rights.models import PublicHoliday, RightsRequest
from rights.services import purge_closed_requests, request_register, send_rights_reminders
from tests.factories import MembershipFactory, RightsRequestFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name, request, **kwargs):
    return reverse(name, kwargs={"board": request.board.slug, "pk": request.pk, **kwargs})


def register(officer, **fields) -> RightsRequest:
    school = SchoolFactory(board=officer.board)
    return request_register(
        actor=officer.user,
        rights_request=RightsRequestFactory.build(board=officer.board, school=school, **fields),
    )


def test_registering_computes_the_deadline_and_starts_the_timeline(client, officer):
    school = SchoolFactory(board=officer.board)
    response = client.post(
        reverse("rights_request_create", kwargs={"board": officer.board.slug}),
        {
            "school": school.pk,
            "type": "inzage",
            "requester_role": "ouder",
            "requester_name": "J. de Boer",
            "requester_contact": "j@example.nl",
            "received_on": "2026-04-14",
            "channel": "email",
        },
    )
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert request.deadline == D(2026, 5, 15)  # 14 May 2026 is Hemelvaartsdag
    assert request.events.get().kind == "registered"


def test_a_pupil_under_16_as_requester_gives_a_warning(client, officer):
    school = SchoolFactory(board=officer.board)
    response = client.post(
        reverse("rights_request_create", kwargs={"board": officer.board.slug}),
        {
            "school": school.pk,
            "type": "inzage",
            "requester_role": "leerling",
            "requester_name": "Kim",
            "requester_contact": "kim@example.nl",
            "received_on": "2026-11-20",
            "channel": "email",
        },
        follow=True,
    )
    assert "jonger dan 16 jaar kan zijn rechten niet zelf uitoefenen" in response.content.decode()


def test_a_received_date_in_the_future_is_refused_and_the_input_kept(client, officer):
    school = SchoolFactory(board=officer.board)
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        reverse("rights_request_create", kwargs={"board": officer.board.slug}),
        {
            "school": school.pk,
            "type": "inzage",
            "requester_role": "ouder",
            "requester_name": "J. de Boer",
            "requester_contact": "j@example.nl",
            "received_on": future.isoformat(),
            "channel": "email",
        },
    )
    content = response.content.decode()
    assert "De datum van ontvangst ligt in de toekomst." in content
    assert 'value="J. de Boer"' in content
    assert not RightsRequest.objects.exists()


def test_extension_within_the_first_month_moves_the_deadline_to_three_months(client, officer):
    request = register(officer, received_on=D(2026, 8, 31))
    client.post(
        url("rights_request_action", request, action="verlengen"),
        {"reason": "Veel dossiers", "notified_on": "2026-09-20"},
    )
    request.refresh_from_db()
    assert request.deadline == D(2026, 11, 30)
    assert request.status == RightsRequest.Status.EXTENDED


def test_an_extension_notified_after_the_first_month_is_refused(client, officer):
    request = register(officer, received_on=D(2026, 8, 31))
    response = client.post(
        url("rights_request_action", request, action="verlengen"),
        {"reason": "Te laat bedacht", "notified_on": "2026-10-01"},
        follow=True,
    )
    assert "binnen de eerste maand" in response.content.decode()
    request.refresh_from_db()
    assert request.deadline == D(2026, 9, 30)
    assert not request.extension_notified_on


def test_closing_needs_a_motivation_and_a_decision_not_before_receipt(client, officer):
    request = register(officer, received_on=D(2026, 10, 1))
    action = url("rights_request_action", request, action="besluit")
    response = client.post(
        action, {"status": "afgewezen", "decided_on": "2026-10-20", "motivation": ""}, follow=True
    )
    assert "Motiveer het besluit" in response.content.decode()
    response = client.post(
        action,
        {"status": "afgehandeld", "decided_on": "2026-09-01", "motivation": "Gedaan"},
        follow=True,
    )
    assert "vóór de ontvangst" in response.content.decode()
    request.refresh_from_db()
    assert request.is_open
    client.post(
        action,
        {"status": "afgehandeld", "decided_on": "2026-10-20", "motivation": "Inzage gegeven."},
    )
    request.refresh_from_db()
    assert request.status == RightsRequest.Status.DONE
    assert [e.kind for e in request.events.order_by("pk")] == ["registered", "closed"]


def test_pausing_for_identity_only_when_the_board_chose_so(client, officer):
    request = register(officer, received_on=D(2026, 8, 31))
    assert request.deadline == D(2026, 9, 30)
    response = client.post(url("rights_request_action", request, action="pauze"), follow=True)
    assert "laat de termijn niet stilstaan" in response.content.decode()
    officer.board.rights_pause_for_identity = True
    officer.board.save()
    client.post(url("rights_request_action", request, action="pauze"))
    assert (
        "termijn staat stil" in client.get(url("rights_request_detail", request)).content.decode()
    )
    pause = request.pauses.get()
    pause.started_on = timezone.localdate() - datetime.timedelta(days=3)
    pause.save()
    client.post(url("rights_request_action", request, action="pauze"))  # proof received today
    request.refresh_from_db()
    # 30 September + 3 paused days = Saturday 3 October 2026, so Monday 5 October.
    assert request.deadline == D(2026, 10, 5)
    assert [e.kind for e in request.events.order_by("pk")].count("pause") == 2


def test_an_extra_day_off_moves_the_deadline(officer):
    PublicHoliday.objects.create(date=D(2026, 9, 30), name="Studiedag")
    assert register(officer, received_on=D(2026, 8, 31)).deadline == D(2026, 10, 1)


def test_the_dashboard_shows_days_left_around_holidays(client, officer):
    request = register(officer, received_on=D(2026, 4, 14))  # deadline 15 May 2026
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: D(2026, 5, 8))
        content = client.get(
            reverse("rights_request_list", kwargs={"board": officer.board.slug})
        ).content.decode()
    assert "15 mei 2026" in content
    assert "7 dagen" in content
    assert request.get_type_display() in content


def test_reminders_go_7_days_and_1_day_before_and_when_missed(officer):
    request = register(officer, received_on=D(2026, 4, 14))  # deadline 15 May 2026
    request.handler = officer.user
    request.save()
    assert send_rights_reminders(D(2026, 5, 7)) == 0
    assert send_rights_reminders(D(2026, 5, 8)) == 1
    assert send_rights_reminders(D(2026, 5, 8)) == 0  # once
    assert send_rights_reminders(D(2026, 5, 14)) == 1
    assert send_rights_reminders(D(2026, 5, 16)) == 1
    assert [m.to for m in mail.outbox] == [[officer.user.email]] * 3
    assert "15 mei 2026" in mail.outbox[0].body


def test_closed_requests_are_anonymised_after_the_boards_period(officer):
    old = register(officer, received_on=D(2024, 1, 10), requester_name="Oud Verzoek")
    RightsRequest.objects.filter(pk=old.pk).update(status="afgehandeld", closed_on=D(2024, 2, 1))
    recent = register(officer, received_on=timezone.localdate(), requester_name="Nieuw Verzoek")
    report = purge_closed_requests(timezone.now())
    assert report == {officer.board.name: 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.requester_name == "(geanonimiseerd)" and old.requester_contact == ""
    assert recent.requester_name == "Nieuw Verzoek"
    call_command("purge_rights_requests", verbosity=0)  # nothing left to purge, no error


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")
@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("ontvangst", "uiterlijk op 30 september 2026 antwoord"),
        ("besluit", "Autoriteit Persoonsgegevens"),
    ],
)
def test_letters_are_pdfs_with_the_deadline_and_the_right_to_complain(client, officer, kind, text):
    request = register(officer, received_on=D(2026, 8, 31), requester_name="J. de Boer")
    response = client.get(url("rights_request_letter", request, kind=kind))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(response.content)
        file.flush()
        extracted = subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True
        ).stdout
    extracted = " ".join(extracted.split())
    assert text in extracted
    assert "J. de Boer" in extracted


def test_a_schoolleider_sees_only_the_own_schools_requests(client):
    school = SchoolFactory()
    other = SchoolFactory(board=school.board)
    leader = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    mine = RightsRequestFactory(board=school.board, school=school, deadline=D(2026, 12, 1))
    theirs = RightsRequestFactory(board=school.board, school=other, deadline=D(2026, 12, 1))
    board_level = RightsRequestFactory(board=school.board, school=None, deadline=D(2026, 12, 1))
    client.force_login(leader.user)
    listed = [
        row[0]
        for row in client.get(
            reverse("rights_request_list", kwargs={"board": school.board.slug})
        ).context["rows"]
    ]
    assert listed == [mine]
    assert client.get(url("rights_request_detail", theirs)).status_code == 403
    assert client.get(url("rights_request_detail", board_level)).status_code == 403
