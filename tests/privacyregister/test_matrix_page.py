import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from privacyregister.permissions import MATRIX, Capability
from privacyregister.roles import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_matrix_page_shows_exactly_the_matrix_module(client):
    membership = MembershipFactory(role=Role.FG)
    client.force_login(membership.user)
    html = client.get(reverse("matrix", kwargs={"board": membership.board.slug})).content
    soup = BeautifulSoup(html, "html.parser")
    shown = {
        row["data-capability"]: [cell["data-scope"] for cell in row.find_all("td")]
        for row in soup.select("table.matrix tbody tr")
    }
    assert shown == {
        capability.value: [MATRIX[role].get(capability, "") for role in Role]
        for capability in Capability
    }


def test_the_matrix_page_lists_who_holds_which_role(client):
    membership = MembershipFactory(role=Role.FG, user__full_name="Frank FG")
    MembershipFactory(board=membership.board, role=Role.BEHEERDER, user__full_name="Bea Beheer")
    MembershipFactory(role=Role.BEHEERDER, user__full_name="Iemand Anders")
    client.force_login(membership.user)
    content = client.get(
        reverse("matrix", kwargs={"board": membership.board.slug})
    ).content.decode()
    assert "Frank FG" in content
    assert "Bea Beheer" in content
    assert "Iemand Anders" not in content
