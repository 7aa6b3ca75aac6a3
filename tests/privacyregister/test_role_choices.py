"""Forms offer as owner of an activity or handler of a request only people whose role may do
that work."""

import pytest
from django.urls import reverse

from privacyregister.permissions import Capability, roles_with
from privacyregister.roles import Role
from processing.forms import ActivityForm
from processing.parts import FIRST
from rights.forms import RequestForm
from rights.models import RightsRequest
from tests.factories import MembershipFactory, SchoolFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_with_every_role():
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    board = officer.board
    school = SchoolFactory(board=board)
    people = {Role.PRIVACY_OFFICER: officer.user}
    for role in (Role.BEHEERDER, Role.FG):
        people[role] = MembershipFactory(board=board, role=role).user
    for role in (Role.SCHOOLLEIDER, Role.MEDEWERKER):
        people[role] = MembershipFactory(board=board, role=role, school=school).user
    return board, school, people


def test_roles_with_reads_the_matrix():
    assert roles_with(Capability.EDIT_ACTIVITY) == [
        Role.BEHEERDER,
        Role.PRIVACY_OFFICER,
        Role.SCHOOLLEIDER,
    ]
    assert roles_with(Capability.MANAGE_MEMBERS) == [Role.BEHEERDER]


def test_an_activity_is_owned_only_by_someone_who_may_edit_activities(board_with_every_role):
    board, _school, people = board_with_every_role
    form = ActivityForm(board=board, school_scope=False, part=FIRST)
    offered = set(form.fields["owner"].queryset)
    assert offered == {
        people[Role.BEHEERDER],
        people[Role.PRIVACY_OFFICER],
        people[Role.SCHOOLLEIDER],
    }


def test_a_request_is_handled_only_by_someone_who_may_handle_requests(board_with_every_role):
    board, _school, people = board_with_every_role
    form = RequestForm(board=board)
    offered = set(form.fields["handler"].queryset)
    assert offered == {
        people[Role.BEHEERDER],
        people[Role.PRIVACY_OFFICER],
        people[Role.SCHOOLLEIDER],
    }


def test_a_posted_medewerker_as_owner_is_refused(client, board_with_every_role):
    board, _school, people = board_with_every_role
    client.force_login(people[Role.PRIVACY_OFFICER])
    create = reverse("activity_create", kwargs={"board": board.slug})
    data = form_data(client.get(create))
    data.update(
        {
            "name": "Leerlingvolgsysteem",
            "description": "Wij volgen de voortgang.",
            "applies_to_all_schools": "on",
            "owner": str(people[Role.MEDEWERKER].pk),
        }
    )
    response = client.post(create, data)
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not board.activities.exists()


def test_a_posted_medewerker_as_handler_is_refused(client, board_with_every_role):
    board, school, people = board_with_every_role
    client.force_login(people[Role.PRIVACY_OFFICER])
    response = client.post(
        reverse("rights_request_create", kwargs={"board": board.slug}),
        {
            "school": school.pk,
            "type": "inzage",
            "requester_role": "ouder",
            "requester_name": "J. de Boer",
            "requester_contact": "j@example.nl",
            "received_on": "2026-04-14",
            "channel": "email",
            "handler": people[Role.MEDEWERKER].pk,
        },
    )
    assert response.status_code == 200
    assert "handler" in response.context["form"].errors
    assert not RightsRequest.objects.exists()
