"""Every register page works on the demo boards, for the roles that use them."""

import pytest
from django.urls import reverse

from privacyregister.models import User
from processing.models import ProcessingActivity
from processing.vocabularies import BY_SLUG

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("email", ["privacy@example.nl", "privacy-vog@example.nl", "fg@example.nl"])
def test_every_register_page_of_the_demo_opens(client, demo, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    assert client.get("/").status_code == 200
    for board in user.memberships.values_list("board__slug", flat=True).distinct():
        pages = [
            reverse("activity_list", kwargs={"board": board}),
            reverse("lint", kwargs={"board": board}),
            reverse("matrix", kwargs={"board": board}),
            *(reverse("term_list", kwargs={"board": board, "kind": kind}) for kind in BY_SLUG),
        ]
        for activity in ProcessingActivity.objects.filter(board__slug=board):
            kwargs = {"board": board, "pk": activity.pk}
            pages += [
                reverse("activity_detail", kwargs=kwargs),
                reverse("activity_history", kwargs=kwargs),
            ]
            if email != "fg@example.nl":
                pages.append(reverse("activity_edit", kwargs=kwargs))
        for page in pages:
            assert client.get(page).status_code == 200, page


def test_the_dashboard_shows_what_needs_attention(client, demo):
    client.force_login(User.objects.get(email="privacy@example.nl"))
    content = client.get("/").content.decode()
    assert "Stichting CPOW" in content
    assert "Wacht op vaststelling" in content
    assert "Bedrijfsvoering: financiën, ICT en contracten" in content  # ter review in the demo
    assert "Controle:" in content


def test_an_employee_dashboard_lists_the_board_without_register_details(client, demo):
    client.force_login(User.objects.get(email="medewerker@example.nl"))
    content = client.get("/").content.decode()
    assert "Stichting CPOW" in content
    assert "Controle:" not in content


def test_the_dashboard_lists_requests_near_their_deadline(client, demo):
    client.force_login(User.objects.get(email="privacy@example.nl"))
    content = client.get("/").content.decode()
    assert "Verzoeken met een deadline binnen een week" in content  # the demo has one 26 days old
