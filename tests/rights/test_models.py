import datetime

import pytest
from django.core.exceptions import ValidationError

from rights.models import RightsRequest, RightsRequestEvent
from tests.factories import BoardFactory, RightsRequestFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_decision_cannot_precede_the_request():
    request = RightsRequestFactory.build(
        board=BoardFactory(),
        received_on=datetime.date(2026, 3, 6),
        decided_on=datetime.date(2026, 3, 5),
    )
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "vóór de ontvangst" in str(error.value)


def test_a_request_cannot_belong_to_a_school_of_another_board():
    request = RightsRequestFactory.build(board=BoardFactory(), school=SchoolFactory())
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert error.value.message_dict["school"] == ["Deze school hoort niet bij dit bestuur."]


def test_an_identity_check_is_dated_and_never_a_stored_copy():
    request = RightsRequestFactory.build(
        board=BoardFactory(), identity_check=RightsRequest.IdentityCheck.DOCUMENT_SHOWN
    )
    with pytest.raises(ValidationError):
        request.full_clean()
    assert "geen kopie" in RightsRequest.IdentityCheck.DOCUMENT_SHOWN.label


def test_an_event_has_one_of_the_known_kinds():
    rights_request = RightsRequestFactory()
    event = RightsRequestEvent(request=rights_request, description="Iets", kind="onbekend")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "kind" in error.value.message_dict
    event.kind = RightsRequestEvent.Kind.REGISTERED
    event.full_clean()
