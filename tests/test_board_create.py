"""An installation operator creates a board: on a product page, with `manage.py create_board`, in
the Django admin, or by restoring a backup. Every route gives the board the reference
vocabularies and the default retention rules, and the page and the command invite its first
beheerder."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail, serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from privacyregister import services
from privacyregister.models import Board, Invitation, Membership, SecurityEvent, User
from privacyregister.reference import read_fixture
from privacyregister.roles import OPERATORS_GROUP, Role
from privacyregister.signals import board_created
from processing.vocabularies import BY_FIXTURE_KEY
from tests.factories import BoardFactory, UserFactory
from tests.privacyregister.test_two_factor import current_code

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Stichting Lumen",
    "slug": "lumen",
    "visiting_address": "Schoolstraat 1\n1234 AB Ergens",
    "postal_address": "Postbus 1\n1234 AA Ergens",
    "kvk_number": "12345678",
    "website": "https://lumen.example",
    "beheerder_email": "Pim@Lumen.example",
    "beheerder_name": "Pim de Vries",
}


def assert_set_up(board: Board) -> None:
    """The board has every reference term and every default retention rule."""
    for key, items in read_fixture("reference/vocabularies.json").items():
        terms = BY_FIXTURE_KEY[key].model._default_manager.filter(board=board)  # type: ignore[misc]
        names = set(terms.values_list("name"))
        assert {(item["name"],) for item in items} <= names, key
    keys = set(board.retention_rules.values_list("reference_key", flat=True))
    assert {r["reference_key"] for r in read_fixture("reference/retention_rules.json")} <= keys
    assert board.set_up_at is not None


@pytest.fixture
def operator(client):
    """Someone in the group Installatiebeheer (made after every migrate), without any role."""
    user = UserFactory(email="operator@sector.example")
    user.groups.add(Group.objects.get(name=OPERATORS_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def setups():
    """How often board_created is sent, per board slug."""
    sent: list[str] = []

    def count(sender, *, board, **kwargs):
        sent.append(board.slug)

    board_created.connect(count)
    yield sent
    board_created.disconnect(count)


# --- who may create boards ---


@pytest.mark.django_db(transaction=True)
def test_the_operators_group_exists_after_every_migrate_and_flush():
    """A flush (as transactional tests do) empties auth_group; post_migrate makes it again."""
    call_command("flush", interactive=False, verbosity=0)
    group = Group.objects.get(name=OPERATORS_GROUP)
    assert [p.codename for p in group.permissions.all()] == ["add_board"]


def test_an_operator_opens_the_page_from_the_dashboard(client, operator):
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("board_create") in dashboard
    page = client.get(reverse("board_create"))
    assert page.status_code == 200
    assert "Nieuw schoolbestuur" in page.content.decode()


def test_a_superuser_may_create_boards_too(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("board_create")).status_code == 200


@pytest.mark.parametrize("persona", ["beheerder", "officer"])
def test_board_roles_without_the_permission_get_403_and_no_link(client, persona, request):
    request.getfixturevalue(persona)
    assert reverse("board_create") not in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("board_create")).status_code == 403
    assert client.post(reverse("board_create"), VALID).status_code == 403
    assert not Board.objects.filter(slug="lumen").exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("board_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_operator_must_set_up_two_factor_login(client, operator, settings):
    settings.TWO_FACTOR_ENFORCED = True
    response = client.get(reverse("board_create"))
    assert response.status_code == 302 and response.url == reverse("two_factor_setup")


def test_an_operator_does_not_see_the_register_of_the_board_they_created(client, operator):
    client.post(reverse("board_create"), VALID)
    assert client.get(reverse("activity_list", kwargs={"board": "lumen"})).status_code == 404


# --- the page ---


def test_the_page_creates_a_set_up_board_and_invites_its_first_beheerder(client, operator):
    response = client.post(reverse("board_create"), VALID)
    assert response.status_code == 302
    assert response.url == reverse("board_created", kwargs={"slug": "lumen"})
    board = Board.objects.get(slug="lumen")
    assert (board.name, board.kvk_number, board.website) == (
        "Stichting Lumen",
        "12345678",
        "https://lumen.example",
    )
    assert (board.privacy_email, board.fg_name, board.fg_email) == ("", "", "")
    assert_set_up(board)
    invitation = Invitation.objects.get(board=board)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "pim@lumen.example",
        Role.BEHEERDER,
        operator,
    )
    assert User.objects.get(email="pim@lumen.example").full_name == "Pim de Vries"
    [message] = mail.outbox
    assert message.to == ["pim@lumen.example"] and "Stichting Lumen" in message.subject
    assert "/wachtwoord-instellen/" in message.body
    event = SecurityEvent.objects.get(action="board.created")
    assert (event.actor, event.board, event.detail["slug"]) == (operator, board, "lumen")

    page = client.get(response.url).content.decode()
    assert "Stichting Lumen is aangemaakt" in page
    assert "pim@lumen.example" in page
    assert f"{len(read_fixture('reference/retention_rules.json'))} bewaartermijnen" in page
    assert "Wat er nu gebeurt" in page


def test_the_short_name_is_suggested_from_the_name(client, operator):
    client.post(reverse("board_create"), {**VALID, "name": "Stichting Öpen Leren", "slug": ""})
    assert Board.objects.filter(name="Stichting Öpen Leren", slug="stichting-open-leren").exists()


def test_the_page_after_creating_is_only_for_the_operator_who_created_it(client, operator):
    client.post(reverse("board_create"), VALID)
    url = reverse("board_created", kwargs={"slug": "lumen"})
    other = UserFactory()
    other.groups.add(Group.objects.get(name=OPERATORS_GROUP))
    client.force_login(other)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "bestaand", "Er is al een bestuur met deze korte naam; kies een andere."),
        ("kvk_number", "1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("kvk_number", "1234567a", "Een KvK-nummer bestaat uit 8 cijfers."),
        (
            "website",
            "ftp://lumen.example",
            "Vul een webadres in dat begint met http:// of https://.",
        ),
        (
            "website",
            "javascript:alert(1)",
            "Vul een webadres in dat begint met http:// of https://.",
        ),
        ("beheerder_email", "geen adres", "Voer een geldig e-mailadres in."),
        ("name", "", "Dit veld is verplicht."),
    ],
)
def test_bad_input_gets_a_dutch_message_keeps_the_input_and_saves_nothing(
    client, operator, field, value, message
):
    BoardFactory(slug="bestaand")
    users, events = User.objects.count(), SecurityEvent.objects.count()
    response = client.post(reverse("board_create"), {**VALID, field: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert response.context["form"].data[field] == value
    assert "Schoolstraat 1" in content and "https://lumen.example" in content or field == "website"
    assert Board.objects.count() == 1
    assert (User.objects.count(), SecurityEvent.objects.count()) == (users, events)
    assert not Invitation.objects.exists() and not mail.outbox


# --- the new beheerder ---


def test_the_new_beheerder_sets_a_password_logs_in_sets_up_two_factor_and_accepts(client, settings):
    settings.TWO_FACTOR_ENFORCED = True
    operator = UserFactory()
    services.board_create(actor=operator, **VALID)
    other = BoardFactory(slug="ander")
    [message] = mail.outbox
    link = re.search(r"http://\S+/wachtwoord-instellen/\S+/", message.body).group(0)

    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    password = "een-lang-nieuw-wachtwoord-2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")

    login = client.post(reverse("login"), {"username": "pim@lumen.example", "password": password})
    assert login.status_code == 302
    dashboard = client.get(reverse("dashboard")).content.decode()
    invitation = Invitation.objects.get(email="pim@lumen.example")
    assert "Stichting Lumen" in dashboard
    client.post(reverse("invitation_accept", kwargs={"pk": invitation.pk}))
    user = User.objects.get(email="pim@lumen.example")
    assert list(Membership.objects.filter(user=user).values_list("board__slug", "role")) == [
        ("lumen", Role.BEHEERDER)
    ]

    # From now on a beheerder: the second step first, as for every beheerder.
    members = reverse("members", kwargs={"board": "lumen"})
    assert client.get(members).url == reverse("two_factor_setup")
    client.get(reverse("two_factor_setup"))
    device = user.totpdevice_set.get()
    client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    assert client.get(members).status_code == 200
    assert client.get(reverse("members", kwargs={"board": other.slug})).status_code == 404


# --- the command ---


def test_the_command_creates_a_set_up_board_and_says_what_it_created():
    out = StringIO()
    call_command(
        "create_board",
        "Stichting Lumen",
        "--slug",
        "lumen",
        "--beheerder",
        "pim@lumen.example",
        "--kvk",
        "12345678",
        stdout=out,
    )
    board = Board.objects.get(slug="lumen")
    assert_set_up(board)
    assert board.kvk_number == "12345678"
    terms = sum(len(items) for items in read_fixture("reference/vocabularies.json").values())
    assert out.getvalue().splitlines() == [
        "Bestuur aangemaakt: Stichting Lumen (korte naam: lumen)",
        f"  meegegeven: {terms} termen in de lijsten",
        f"  meegegeven: {len(read_fixture('reference/retention_rules.json'))} bewaartermijnen",
        "Uitnodiging als beheerder gestuurd naar pim@lumen.example; wie nog geen account heeft, "
        "kiest via de link in die e-mail een wachtwoord.",
    ]
    assert Invitation.objects.get(board=board).role == Role.BEHEERDER
    event = SecurityEvent.objects.get(action="board.created")
    assert (event.actor, event.board) == (None, board)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--slug", "bestaand"], "--slug: Er is al een bestuur met deze korte naam"),
        (["--kvk", "123"], "--kvk: Een KvK-nummer bestaat uit 8 cijfers."),
        (["--website", "ftp://x.example"], "--website: Vul een webadres in dat begint met http"),
        (["--beheerder", "geen adres"], "--beheerder: Voer een geldig e-mailadres in."),
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_1_and_creates_nothing(arguments, message):
    BoardFactory(slug="bestaand")
    argv = ["Stichting Lumen", "--beheerder", "pim@lumen.example", *arguments]
    # manage.py prints a CommandError on stderr and exits with its return code.
    with pytest.raises(CommandError) as refused:
        call_command("create_board", *argv)
    assert refused.value.returncode == 1
    assert str(refused.value).startswith("Niets aangemaakt.") and message in str(refused.value)
    assert Board.objects.count() == 1
    assert not User.objects.exists() and not Invitation.objects.exists() and not mail.outbox


# --- every route sets the board up ---


def test_a_board_added_in_the_django_admin_is_set_up(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    form = client.get(reverse("admin:privacyregister_board_add")).context["adminform"].form
    data = {
        "name": "Stichting Lumen",
        "slug": "lumen",
        "complaint_authority_text": form.initial.get("complaint_authority_text")
        or form.fields["complaint_authority_text"].initial,
        "rights_purge_after_days": "365",
        "breach_anonymise_after_years": "5",
        "schools-TOTAL_FORMS": "0",
        "schools-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:privacyregister_board_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    board = Board.objects.get(slug="lumen")
    assert_set_up(board)
    event = SecurityEvent.objects.get(action="board.created")
    assert (event.actor, event.board) == (admin, board)


def test_changing_a_board_in_the_admin_does_not_set_it_up_again(client, setups):
    board = BoardFactory(slug="oud")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = {
        "name": "Nieuwe naam",
        "slug": "oud",
        "complaint_authority_text": board.complaint_authority_text,
        "rights_purge_after_days": "365",
        "breach_anonymise_after_years": "5",
        "schools-TOTAL_FORMS": "0",
        "schools-INITIAL_FORMS": "0",
    }
    url = reverse("admin:privacyregister_board_change", args=[board.pk])
    assert client.post(url, data).status_code == 302
    assert setups == []


@pytest.mark.django_db(transaction=True)
def test_a_board_restored_from_a_backup_of_before_it_was_set_up_is_set_up(tmp_path, setups):
    board = BoardFactory(slug="oud")
    assert board.set_up_at is None and not board.subject_groups.exists()
    path = str(tmp_path / "backup.xml")
    call_command("backup", path, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", path, verbosity=0)
    assert_set_up(Board.objects.get(slug="oud"))
    assert setups == ["oud"]


@pytest.mark.django_db(transaction=True)
def test_a_restore_keeps_a_set_up_board_as_it_was_without_terms_it_removed(tmp_path, setups):
    created = services.board_create(actor=None, **VALID)
    removed = created.board.data_sources.order_by("name").first()
    removed.delete()
    path = str(tmp_path / "backup.xml")
    call_command("backup", path, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    setups.clear()
    call_command("restore", path, verbosity=0)
    assert setups == []
    assert not Board.objects.get(slug="lumen").data_sources.filter(name=removed.name).exists()


def test_loading_a_fixture_raw_does_not_set_a_board_up(tmp_path, setups):
    path = tmp_path / "board.json"
    path.write_text(serializers.serialize("json", [BoardFactory.build(slug="los", pk=9001)]))
    call_command("loaddata", str(path), verbosity=0)
    board = Board.objects.get(slug="los")
    assert setups == [] and board.set_up_at is None and not board.subject_groups.exists()


def test_load_demo_sets_each_demo_board_up_once(setups):
    from workspace.demo import load_demo

    load_demo()
    assert sorted(setups) == ["cpow", "veluwse-onderwijsgroep"]
    for board in Board.objects.all():
        assert_set_up(board)
    load_demo()
    assert sorted(setups) == ["cpow", "veluwse-onderwijsgroep"]


def test_setting_a_board_up_twice_adds_nothing():
    board = BoardFactory()
    first = services.board_setup(board=board)
    terms = board.subject_groups.count()
    assert services.board_setup(board=board) == {}
    assert first and board.subject_groups.count() == terms
