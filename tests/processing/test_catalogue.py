import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from privacyregister.models import SecurityEvent
from privacyregister.reference import read_fixture
from privacyregister.roles import Role
from processing import catalogue as catalogue_module
from processing.catalogue import catalogue, catalogue_adopt, catalogue_problems, entry_problems
from processing.findings import finding_counts
from processing.lint import lint
from processing.models import ProcessingActivity
from processing.services import activity_copy, board_install_reference_vocabularies
from retention.services import board_install_default_retention_rules
from tests.factories import ActivityFactory, BoardFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

CATALOGUE_FILE = "catalogue/activities.json"


def all_keys() -> list[str]:
    return list(catalogue().entries)


def page_url(board) -> str:
    return reverse("catalogue", kwargs={"board": board.slug})


@pytest.fixture(autouse=True)
def dutch():
    """Messages of the services are read in Dutch, whatever an earlier test left active."""
    with translation.override("nl"):
        yield


@pytest.fixture
def fresh_board():
    """A new board as every route creates one: the reference terms and default rules."""
    board = BoardFactory()
    board_install_reference_vocabularies(board=board)
    board_install_default_retention_rules(board=board)
    return board


@pytest.fixture
def newer_catalogue(tmp_path, settings):
    """Point the app at a copy of the catalogue in which one entry got a new version; returns
    a function that writes it."""

    def write(key: str, change) -> dict:
        data = copy.deepcopy(read_fixture(CATALOGUE_FILE))
        entry = next(item for item in data["entries"] if item["key"] == key)
        change(entry)
        entry["version"] += 1
        path = tmp_path / f"catalogue-{key}-{entry['version']}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        settings.CATALOGUE_FILE = str(path)
        return entry

    return write


# The catalogue itself


def test_the_catalogue_has_about_twenty_valid_entries_in_every_theme():
    data = read_fixture(CATALOGUE_FILE)
    assert catalogue_problems(data) == []
    assert 18 <= len(data["entries"]) <= 30
    assert all(entries for _theme, entries in catalogue().by_theme())


def test_every_entry_has_a_stable_key_a_version_and_a_summary():
    for entry in catalogue().entries.values():
        assert entry.key and entry.key == entry.key.lower() and " " not in entry.key
        assert isinstance(entry.version, int) and entry.version >= 1
        assert entry.summary and entry.name


def test_the_catalogue_names_no_supplier_as_a_processor():
    for item in read_fixture(CATALOGUE_FILE)["entries"]:
        assert "processors" not in item and "transfers" not in item


def test_consent_is_the_basis_only_where_it_really_is_consent():
    consent = {
        key
        for key, entry in catalogue().entries.items()
        if any(p["legal_basis"] == "a" for p in entry.activity["purposes"])
    }
    # Photos, the school photographer and reunions are voluntary; care by external experts and
    # medicines are given at the parents' request. Everything else rests on a law or the task.
    assert consent == {
        "foto-video",
        "schoolfotograaf",
        "reunie",
        "ondersteuning-zorg",
        "gezondheid-medicijnen",
    }


def test_legitimate_interest_is_used_only_outside_the_public_task():
    legitimate = {
        key
        for key, entry in catalogue().entries.items()
        if any(p["legal_basis"] == "f" for p in entry.activity["purposes"])
    }
    assert legitimate == {"cameratoezicht"}


def test_every_special_category_purpose_names_its_article_of_the_uavg_or_consent():
    for entry in catalogue().entries.values():
        for purpose in entry.activity["purposes"]:
            if purpose.get("special_category_exception") in ("b", "g"):
                assert "UAVG" in purpose["special_category_detail"], entry.key


def test_the_bsn_is_only_in_activities_with_a_legal_obligation():
    reference = {
        c["name"]: c for c in read_fixture("reference/vocabularies.json")["data_categories"]
    }
    for entry in catalogue().entries.values():
        kinds = {reference[row["category"]]["kind"] for row in entry.activity["data"]}
        if "bsn" in kinds:
            details = [p for p in entry.activity["purposes"] if p["legal_basis"] == "c"]
            assert any("art. 46 UAVG" in p["legal_basis_detail"] for p in details), entry.key


def _entry(**changes) -> dict:
    item = copy.deepcopy(catalogue().entries["leerlingadministratie"].raw)
    item.update(changes)
    return item


@pytest.mark.parametrize(
    "item, problem",
    [
        (_entry(theme="sport"), "onbekend thema"),
        (_entry(version=0), "version"),
        (_entry(sectors=["MBO"]), "onbekende sector"),
        (_entry(processors=["Topicus (ParnasSys)"]), "processors hoort bij een bestuur"),
        (_entry(security_measures=["Kluis"]), "security_measures 'Kluis'"),
        (_entry(retention_rules=[]), "geen bewaartermijn"),
        (
            _entry(
                purposes=[{"description": "x", "legal_basis": "e", "legal_basis_detail": "WPO"}]
            ),
            "BSN zonder wettelijke verplichting",
        ),
        (
            _entry(
                data=[{"category": "Gezondheidsgegevens", "subject_group": "Leerlingen"}],
            ),
            "bijzondere persoonsgegevens zonder uitzondering",
        ),
        (
            _entry(purposes=[{"description": "x", "legal_basis": "a", "legal_basis_detail": "ok"}]),
            "toestemming zonder uitleg",
        ),
        (
            _entry(purposes=[{"description": "x", "legal_basis": "z", "legal_basis_detail": "ok"}]),
            "onbekende grondslag",
        ),
        (
            _entry(data=[{"category": "Camerabeelden", "subject_group": "Sollicitanten"}]),
            "geen betrokkene",
        ),
    ],
)
def test_the_check_of_the_catalogue_refuses_a_bad_entry(item, problem):
    problems = entry_problems(item, catalogue_module._reference_terms())
    assert any(problem in text for text in problems), problems


def test_a_bad_catalogue_file_is_refused_when_it_is_read(tmp_path, settings):
    data = read_fixture(CATALOGUE_FILE)
    data["entries"].append(copy.deepcopy(data["entries"][0]))  # the same key twice
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.CATALOGUE_FILE = str(path)
    with pytest.raises(Exception, match="dubbele key"):
        catalogue()


# Adopting


def test_adopting_every_entry_into_a_fresh_board_gives_concepts_without_lint_errors(fresh_board):
    user = MembershipFactory(board=fresh_board).user
    activities = catalogue_adopt(actor=user, board=fresh_board, keys=all_keys())

    assert len(activities) == len(all_keys()) == fresh_board.activities.count()
    today = timezone.localdate()
    errors = [f for f in lint(fresh_board.activities.all(), today, board=fresh_board) if f.is_error]
    assert errors == []
    assert finding_counts(fresh_board.activities.all(), today)["errors"] == 0  # stored, too
    for activity in fresh_board.activities.all():
        assert activity.status == ProcessingActivity.Status.CONCEPT
        assert activity.owner == user
        entry = catalogue().entries[activity.catalogue_key]
        assert activity.catalogue_version == entry.version
        assert activity.catalogue_snapshot == entry.raw
        assert activity.purposes.count() == len(entry.activity["purposes"])
        assert activity.retention_rules.count() == len(entry.activity["retention_rules"])


def test_adopting_adds_only_the_terms_and_rules_the_board_lacks():
    board = BoardFactory()  # nothing installed
    user = MembershipFactory(board=board).user
    [camera] = catalogue_adopt(actor=user, board=board, keys=["cameratoezicht"])
    assert board.data_categories.filter(name="Camerabeelden").exists()
    assert board.recipients.filter(name="Politie").exists()
    assert board.retention_rules.get(name="Camerabeelden").period_amount == 4
    assert not board.subject_groups.filter(name="Sollicitanten").exists()
    assert set(camera.subject_groups.values_list("name", flat=True)) == {
        "Leerlingen",
        "Medewerkers",
        "Bezoekers",
    }
    # A second entry reuses what is there.
    catalogue_adopt(actor=user, board=board, keys=["vog"])
    assert board.retention_rules.filter(name="Camerabeelden").count() == 1


def test_adopting_is_all_or_nothing(fresh_board, monkeypatch):
    user = MembershipFactory(board=fresh_board).user
    terms_before = fresh_board.data_categories.count()

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(catalogue_module.audit, "record", fail)  # after every activity is made
    board = BoardFactory()
    with pytest.raises(RuntimeError):
        catalogue_adopt(actor=user, board=board, keys=["klachten", "avg-verzoeken"])
    with pytest.raises(RuntimeError):
        catalogue_adopt(actor=user, board=fresh_board, keys=["klachten", "avg-verzoeken"])
    assert not board.activities.exists() and not board.data_categories.exists()
    assert not fresh_board.activities.exists()
    assert fresh_board.data_categories.count() == terms_before


def test_adopted_activities_follow_the_catalogues_order_in_the_statement(fresh_board):
    user = MembershipFactory(board=fresh_board).user
    catalogue_adopt(actor=user, board=fresh_board, keys=["vog"])
    # Ticked in another order than the catalogue's: the statement follows the catalogue.
    catalogue_adopt(actor=user, board=fresh_board, keys=["klachten", "leerlingadministratie"])
    keys = list(fresh_board.activities.in_statement_order().values_list("catalogue_key", flat=True))
    assert keys == ["vog", "leerlingadministratie", "klachten"]


def test_adopting_is_logged_with_the_keys(fresh_board):
    user = MembershipFactory(board=fresh_board).user
    catalogue_adopt(actor=user, board=fresh_board, keys=["vog"])
    event = SecurityEvent.objects.get(action="processing.catalogue.adopted")
    assert event.board == fresh_board and event.detail == {"keys": ["vog"]}


@pytest.mark.parametrize(
    "keys, message",
    [
        ([], "Kies minstens één"),
        (["bestaat-niet"], "niet in de catalogus: bestaat-niet"),
        ([f"nummer-{n}" for n in range(200)], "meer verwerkingen gekozen"),
    ],
)
def test_adopting_refuses_bad_keys(fresh_board, keys, message):
    user = MembershipFactory(board=fresh_board).user
    with pytest.raises(ValidationError, match=message):
        catalogue_adopt(actor=user, board=fresh_board, keys=keys)
    assert not fresh_board.activities.exists()


def test_an_entry_is_adopted_once_and_not_over_an_activity_with_its_name(fresh_board):
    user = MembershipFactory(board=fresh_board).user
    catalogue_adopt(actor=user, board=fresh_board, keys=["vog"])
    with pytest.raises(ValidationError, match="Verklaring omtrent het gedrag"):
        catalogue_adopt(actor=user, board=fresh_board, keys=["klachten", "vog"])
    ActivityFactory(board=fresh_board, name="Cameratoezicht")
    with pytest.raises(ValidationError, match="Cameratoezicht"):
        catalogue_adopt(actor=user, board=fresh_board, keys=["cameratoezicht"])
    assert set(fresh_board.activities.values_list("name", flat=True)) == {
        "Verklaring omtrent het gedrag (VOG)",
        "Cameratoezicht",
    }


def test_a_copy_of_an_adopted_activity_does_not_come_from_the_catalogue(fresh_board):
    user = MembershipFactory(board=fresh_board).user
    [vog] = catalogue_adopt(actor=user, board=fresh_board, keys=["vog"])
    copied = activity_copy(actor=user, activity=vog, name="VOG vrijwilligers", schools=[])
    assert (copied.catalogue_key, copied.catalogue_version, copied.catalogue_snapshot) == (
        "",
        None,
        None,
    )


# The page


def membership(role: str, board=None):
    school = SchoolFactory(board=board) if board else SchoolFactory()
    needs_school = role in (Role.SCHOOLLEIDER, Role.MEDEWERKER)
    return MembershipFactory(board=school.board, role=role, school=school if needs_school else None)


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.BEHEERDER, 200),
        (Role.PRIVACY_OFFICER, 200),
        (Role.FG, 403),
        (Role.SCHOOLLEIDER, 403),  # may only make activities of their own school
        (Role.MEDEWERKER, 403),
    ],
)
def test_who_may_adopt_from_the_catalogue(client, role, status):
    member = membership(role)
    client.force_login(member.user)
    assert client.get(page_url(member.board)).status_code == status
    response = client.post(page_url(member.board), {"entries": ["vog"]})
    assert response.status_code == (302 if status == 200 else status)
    assert member.board.activities.exists() == (status == 200)


def test_an_outsider_gets_404_and_a_visitor_the_login_page(client, officer):
    other = BoardFactory()
    assert client.get(page_url(other)).status_code == 404
    assert client.post(page_url(other), {"entries": ["vog"]}).status_code == 404
    client.logout()
    assert client.get(page_url(officer.board)).status_code == 302
    assert not other.activities.exists()


def test_the_page_groups_the_entries_by_theme_with_a_preview(client, officer):
    content = client.get(page_url(officer.board)).content.decode()
    for theme in ("Leerlingen en ouders", "Personeel", "Organisatie"):
        assert theme in content
    assert 'value="leerlingadministratie"' in content
    assert "Wet register onderwijsdeelnemers" in content  # the preview of its purposes
    assert "Camerabeelden: 4 weken na opname" in content  # retention as the defaults say
    assert "ParnasSys" in content  # a typical processor, as a hint


def test_overnemen_creates_concepts_and_says_so_on_the_register(client, officer):
    response = client.post(
        page_url(officer.board), {"entries": ["vog", "klachten", "cameratoezicht"]}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "activity_list", kwargs={"board": officer.board.slug}
    )
    assert "3 verwerkingen overgenomen als concept; controleer ze en stel ze vast." in (
        response.content.decode()
    )
    assert set(officer.board.activities.values_list("status", flat=True)) == {"concept"}

    page = client.get(page_url(officer.board)).content.decode()
    assert 'value="vog"' not in page  # adopted: shown as such, not tickable
    assert "overgenomen" in page


@pytest.mark.parametrize(
    "entries, message",
    [
        ([], "Kies minstens één verwerking"),
        (["vog", "bestaat-niet"], "staan niet in de catalogus"),
        ([f"x{n}" for n in range(150)], "meer verwerkingen gekozen dan de catalogus heeft"),
    ],
)
def test_bad_input_on_the_page_gives_400_and_creates_nothing(client, officer, entries, message):
    response = client.post(page_url(officer.board), {"entries": entries})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not officer.board.activities.exists()


def test_adopting_an_entry_twice_on_the_page_gives_400(client, officer):
    client.post(page_url(officer.board), {"entries": ["vog"]})
    response = client.post(page_url(officer.board), {"entries": ["vog", "klachten"]})
    assert response.status_code == 400
    assert "er is niets overgenomen" in response.content.decode()
    assert officer.board.activities.count() == 1


def test_the_register_links_to_the_catalogue_for_who_may_adopt(client, officer):
    register = reverse("activity_list", kwargs={"board": officer.board.slug})
    assert page_url(officer.board) in client.get(register).content.decode()
    leider = membership(Role.SCHOOLLEIDER)
    client.force_login(leider.user)
    register = reverse("activity_list", kwargs={"board": leider.board.slug})
    assert page_url(leider.board) not in client.get(register).content.decode()


def test_the_catalogue_page_stays_within_its_query_budget(
    client, officer, django_assert_max_num_queries, newer_catalogue
):
    catalogue_adopt(actor=officer.user, board=officer.board, keys=all_keys())
    newer_catalogue("vog", lambda entry: entry["purposes"][0].update(description="Nieuw."))
    with django_assert_max_num_queries(15):
        response = client.get(page_url(officer.board))
    assert response.status_code == 200
    assert "Bijgewerkt in de catalogus" in response.content.decode()


# Catalogue updates


def _add_purpose(entry: dict) -> None:
    entry["purposes"].append(
        {
            "description": "Vastleggen wanneer de VOG opnieuw moet worden aangevraagd.",
            "legal_basis": "c",
            "legal_basis_detail": "VOG-plicht",
        }
    )
    entry["security_measures"].remove("Toegang op basis van een autorisatiematrix")


def test_a_newer_entry_is_shown_field_by_field_until_it_is_seen(client, officer, newer_catalogue):
    [vog] = catalogue_adopt(actor=officer.user, board=officer.board, keys=["vog"])
    detail = reverse("activity_detail", kwargs={"board": officer.board.slug, "pk": vog.pk})
    assert "Nieuwe versie in de catalogus" not in client.get(detail).content.decode()

    newer_catalogue("vog", _add_purpose)
    for url in (detail, page_url(officer.board)):
        content = client.get(url).content.decode()
        assert "overgenomen uit versie 1, de catalogus heeft nu versie 2" in content
        assert "+ Vastleggen wanneer de VOG opnieuw moet worden aangevraagd." in content
        assert "− Toegang op basis van een autorisatiematrix" in content

    before = (vog.purposes.count(), list(vog.security_measures.all()), vog.status)
    seen = reverse("catalogue_seen", kwargs={"board": officer.board.slug, "pk": vog.pk})
    response = client.post(seen, {"catalogue_version": 2})
    assert response.status_code == 302
    assert "Nieuwe versie in de catalogus" not in client.get(detail).content.decode()
    assert "Bijgewerkt in de catalogus" not in client.get(page_url(officer.board)).content.decode()
    vog.refresh_from_db()
    assert vog.catalogue_version == 2
    # Nothing else changed: the board decides what to take over.
    assert (vog.purposes.count(), list(vog.security_measures.all()), vog.status) == before


def test_a_changed_text_of_an_entry_marks_only_the_words_that_changed(
    client, officer, newer_catalogue
):
    [vog] = catalogue_adopt(actor=officer.user, board=officer.board, keys=["vog"])
    newer_catalogue(
        "vog",
        lambda entry: entry.update(name="Verklaring omtrent het gedrag van medewerkers (VOG)"),
    )

    content = client.get(page_url(officer.board)).content.decode()

    assert '<span class="visually-hidden">toegevoegd:</span><ins>van medewerkers </ins>' in content
    assert f"<del>{vog.name}</del>" not in content  # not the whole old name struck through


def test_gezien_for_an_older_version_than_the_current_one_changes_nothing(
    client, officer, newer_catalogue
):
    [vog] = catalogue_adopt(actor=officer.user, board=officer.board, keys=["vog"])
    newer_catalogue("vog", _add_purpose)
    seen = reverse("catalogue_seen", kwargs={"board": officer.board.slug, "pk": vog.pk})
    response = client.post(seen, {"catalogue_version": 1}, follow=True)
    assert "opnieuw gewijzigd" in response.content.decode()
    vog.refresh_from_db()
    assert vog.catalogue_version == 1
    assert client.post(seen, {}).status_code == 400


def test_only_who_may_edit_the_activity_marks_an_update_seen(client, newer_catalogue):
    fg = membership(Role.FG)
    [vog] = catalogue_adopt(actor=fg.user, board=fg.board, keys=["vog"])
    newer_catalogue("vog", _add_purpose)
    client.force_login(fg.user)
    detail = reverse("activity_detail", kwargs={"board": fg.board.slug, "pk": vog.pk})
    content = client.get(detail).content.decode()
    seen = reverse("catalogue_seen", kwargs={"board": fg.board.slug, "pk": vog.pk})
    assert "Nieuwe versie in de catalogus" in content and seen not in content
    assert client.post(seen, {"catalogue_version": 2}).status_code == 403
    vog.refresh_from_db()
    assert vog.catalogue_version == 1
