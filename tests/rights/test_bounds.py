"""Free text and dates of a data-subject request are bounded: a 1.8 MB reason made a 472-page
letter that took 19 s on every request (issue 15, finding 9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from privacyregister.forms import TEXT_LIMIT
from rights.models import RightsRequest
from rights.services import request_extend, request_register
from tests.factories import RightsRequestFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOVEL = "x" * 1_800_000


@pytest.fixture
def request_(officer):
    school = SchoolFactory(board=officer.board)
    return request_register(
        actor=officer.user,
        rights_request=RightsRequestFactory.build(board=officer.board, school=school),
    )


def action(request: RightsRequest, name: str) -> str:
    return reverse(
        "rights_request_action",
        kwargs={"board": request.board.slug, "pk": request.pk, "action": name},
    )


def test_an_oversized_extension_reason_is_refused_in_dutch(client, request_):
    response = client.post(
        action(request_, "verlengen"),
        {"reason": NOVEL, "notified_on": request_.received_on.isoformat()},
        follow=True,
    )
    assert f"niet meer dan {TEXT_LIMIT} tekens" in response.content.decode()
    request_.refresh_from_db()
    assert request_.extension_reason == ""
    assert request_.status == RightsRequest.Status.RECEIVED


def test_an_oversized_decision_motivation_is_refused_in_dutch(client, request_):
    response = client.post(
        action(request_, "besluit"),
        {
            "status": "afgehandeld",
            "decided_on": request_.received_on.isoformat(),
            "motivation": NOVEL,
        },
        follow=True,
    )
    assert f"niet meer dan {TEXT_LIMIT} tekens" in response.content.decode()
    request_.refresh_from_db()
    assert request_.is_open
    assert request_.decision_motivation == ""


def test_the_model_refuses_oversized_text_whatever_path_it_comes_by(officer, request_):
    with pytest.raises(ValidationError) as error:
        request_extend(
            actor=officer.user,
            rights_request=request_,
            reason="x" * (TEXT_LIMIT + 1),
            notified_on=request_.received_on,
        )
    assert "extension_reason" in error.value.message_dict


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("identiteit", {"how": "getoond", "on": "9999-12-31"}),
        ("verlengen", {"reason": "Veel dossiers", "notified_on": "0001-01-01"}),
        ("besluit", {"status": "afgehandeld", "decided_on": "9999-12-31", "motivation": "Klaar"}),
    ],
)
def test_a_date_out_of_range_in_a_step_is_refused_in_dutch(client, request_, name, data):
    response = client.post(action(request_, name), data, follow=True)
    assert "Kies een datum tussen 1 januari 1900 en 31 december 2200." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == RightsRequest.Status.RECEIVED
    assert request_.events.count() == 1


def test_a_request_received_before_1900_is_refused_in_dutch(client, officer):
    school = SchoolFactory(board=officer.board)
    response = client.post(
        reverse("rights_request_create", kwargs={"board": officer.board.slug}),
        {
            "school": school.pk,
            "type": "inzage",
            "requester_role": "ouder",
            "requester_name": "J. de Boer",
            "requester_contact": "j@example.nl",
            "received_on": "0001-01-01",
            "channel": "email",
        },
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 1900 en 31 december 2200." in response.content.decode()
    assert not RightsRequest.objects.exists()
