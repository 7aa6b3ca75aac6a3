"""The demo boards load idempotently and hold the facts of the seed statements as data."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from privacyregister.models import Board, Membership, School, User
from processing import models as register
from retention.models import RetentionException, RetentionRule
from workspace.demo import load_demo

pytestmark = pytest.mark.django_db

COUNTED = [
    Board,
    School,
    User,
    Membership,
    register.DataSubjectGroup,
    register.DataCategory,
    register.DataSource,
    register.Recipient,
    register.StaffRole,
    register.SecurityMeasure,
    register.ProcessingActivity,
    register.Dossier,
    register.Purpose,
    register.ActivityDataCategory,
    register.ActivitySource,
    register.ActivityRecipient,
    register.Transfer,
    register.StaffAccess,
    register.Cookie,
    RetentionRule,
    RetentionException,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def rule(board_slug: str, name: str) -> RetentionRule:
    return RetentionRule.objects.get(board__slug=board_slug, name=name)


def test_loading_the_demo_twice_creates_no_duplicates(demo):
    first = counts()
    load_demo()
    assert counts() == first
    call_command("load_demo", force=True, verbosity=0)
    assert counts() == first
    assert first["Board"] == 2
    assert all(first[name] > 0 for name in ["Purpose", "Transfer", "Dossier", "RetentionException"])


def test_the_demo_is_refused_outside_development_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="openbaar wachtwoord"):
        call_command("load_demo")


def test_there_is_one_demo_user_per_role_and_the_fg_serves_both_boards(demo):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"beheerder", "privacy_officer", "fg", "schoolleider", "medewerker"}
    assert User.objects.get(email="admin@example.nl").is_superuser
    fg = User.objects.get(email="fg@example.nl")
    assert set(fg.memberships.values_list("board__slug", flat=True)) == {
        "cpow",
        "veluwse-onderwijsgroep",
    }


def test_every_demo_object_passes_model_validation(demo):
    for model in COUNTED:
        for obj in model.objects.all():
            obj.full_clean()


# Seed 002: the board with 18 primary schools (CPOW).


def test_cpow_has_18_primary_schools_and_an_external_fg(demo):
    board = Board.objects.get(slug="cpow")
    assert board.schools.filter(sector="PO").count() == 18
    assert board.fg_email == "fg@privacyopschool.nl"
    assert board.fg_is_external
    assert board.privacy_email == "privacy@cpow.nl"


def test_cpow_keeps_applicants_4_weeks_or_1_year_with_consent(demo):
    applicants = rule("cpow", "Sollicitatiegegevens")
    assert (applicants.period_amount, applicants.period_unit) == (4, "weken")
    assert applicants.start_event == "einde_sollicitatie"
    exception = applicants.exceptions.get()
    assert (exception.period_amount, exception.period_unit) == (1, "jaren")
    assert "toestemming" in exception.condition


def test_cpow_keeps_salary_administration_7_years(demo):
    salary = rule("cpow", "Salaris- en loonadministratie")
    assert (salary.period_amount, salary.period_unit, salary.period_kind) == (
        7,
        "jaren",
        "minimaal",
    )
    assert "Algemene wet inzake rijksbelastingen" in salary.legal_source


def test_cpow_keeps_camera_images_at_most_6_weeks_at_some_schools_on_legitimate_interest(demo):
    camera = register.ProcessingActivity.objects.get(board__slug="cpow", name="Cameratoezicht")
    cameras_rule = camera.retention_rules.get()
    assert (cameras_rule.period_amount, cameras_rule.period_unit) == (6, "weken")
    assert cameras_rule.period_kind == "maximaal"
    assert not camera.applies_to_all_schools
    assert camera.schools.count() == 3
    assert set(camera.purposes.values_list("legal_basis", flat=True)) == {"f"}
    assert all(p.legal_basis_detail for p in camera.purposes.all())


def test_cpow_data_per_subject_group_with_sources(demo):
    board = Board.objects.get(slug="cpow")
    groups_with_data = set(
        register.ActivityDataCategory.objects.filter(activity__board=board).values_list(
            "subject_group__name", flat=True
        )
    )
    assert {
        "Leerlingen",
        "Ouders/verzorgers",
        "Medewerkers",
        "Sollicitanten",
        "Stagiaires",
    } <= groups_with_data
    sources = set(
        register.ActivitySource.objects.filter(activity__board=board).values_list(
            "source__name", flat=True
        )
    )
    assert {"Voorgaande school", "Gemeente", "Arbodienst"} <= sources


def test_cpow_uses_all_six_legal_bases_and_health_data_has_an_art9_exception(demo):
    purposes = register.Purpose.objects.filter(activity__board__slug="cpow")
    assert set(purposes.values_list("legal_basis", flat=True)) == set("abcdef")
    care = register.ProcessingActivity.objects.get(
        board__slug="cpow", name="Leerlingbegeleiding en zorg"
    )
    assert care.data_categories.filter(category__kind="bijzonder").exists()
    assert care.purposes.exclude(special_category_exception="").exists()
    assert care.consent_how_withdrawn


def test_cpow_profiles_for_education_without_automated_decisions(demo):
    profiling = register.ProcessingActivity.objects.filter(board__slug="cpow", profiling=True)
    assert profiling.exists()
    assert not register.ProcessingActivity.objects.filter(
        board__slug="cpow", automated_decision_making=True
    ).exists()


# Seed 004: the secondary-school group (Veluwse Onderwijsgroep).

VOG = "veluwse-onderwijsgroep"


@pytest.mark.parametrize(
    ("name", "amount", "unit", "start_event"),
    [
        ("Leerlingdossier", 2, "jaren", "einde_inschrijving"),
        ("Verzuim en in- en uitschrijving", 5, "jaren", "einde_inschrijving"),
        ("Gegevens voor de bekostiging", 7, "jaren", "einde_schooljaar"),
        ("Werk van het centraal examen en cijferlijsten", 6, "maanden", "examenuitslag"),
        ("Camerabeelden", 4, "weken", "opname"),
        ("Gegevens bij verwijzing naar speciaal onderwijs", 3, "jaren", "verwijzing"),
        ("Bezwaar-, klachten- en gerechtelijke procedures", 5, "jaren", "einde_inschrijving"),
    ],
)
def test_vog_retention_list_with_start_events(demo, name, amount, unit, start_event):
    found = rule(VOG, name)
    assert (found.period_amount, found.period_unit, found.start_event) == (
        amount,
        unit,
        start_event,
    )


def test_vog_camera_images_have_incident_and_police_exceptions(demo):
    conditions = " ".join(rule(VOG, "Camerabeelden").exceptions.values_list("condition", flat=True))
    assert "incident" in conditions
    assert "politie" in conditions


def test_vog_special_care_file_is_open_only_to_care_staff_and_management(demo):
    care = register.ProcessingActivity.objects.get(
        board__slug=VOG, name="Onderwijsbegeleiding en zorg"
    )
    assert set(care.dossiers.values_list("name", flat=True)) == {
        "Leerlingdossier",
        "Speciaal zorgdossier",
    }
    roles = set(
        care.staff_access.filter(dossier__name="Speciaal zorgdossier").values_list(
            "staff_role__name", flat=True
        )
    )
    assert roles == {
        "Zorgcoördinator",
        "Interne leerlingbegeleider",
        "Schooldirectie, teamleider",
        "Mentor",
    }
    care_recipients = set(
        care.recipients.filter(dossier__name="Speciaal zorgdossier").values_list(
            "recipient__name", flat=True
        )
    )
    assert "Permanente Commissie Leerlingenzorg (PCL)" in care_recipients
    assert "Zorg- en adviesteam (ZAT)" in care_recipients


def test_vog_shares_with_cito_on_legitimate_interest(demo):
    cito = register.ActivityRecipient.objects.get(activity__board__slug=VOG, recipient__name="Cito")
    assert cito.ground == "f"
    assert "College voor Toetsen en Examens" in cito.ground_detail


def test_vog_suppliers_have_a_dpa_on_the_sector_model(demo):
    magister = register.Recipient.objects.get(board__slug=VOG, product="Magister")
    assert magister.kind == "verwerker"
    assert magister.dpa_status == "getekend"
    assert magister.dpa_uses_sector_model


def test_vog_processes_are_the_five_of_the_seed(demo):
    names = set(
        register.ProcessingActivity.objects.filter(board__slug=VOG).values_list("name", flat=True)
    )
    assert {
        "Inschrijving en administratie",
        "Onderwijsbegeleiding en zorg",
        "Digitale leermiddelen, toetsen en internetvoorzieningen",
        "Foto, film en sociale media",
        "Cameratoezicht",
        "Websites en cookies",
    } == names


def test_vog_fg_contact(demo):
    board = Board.objects.get(slug=VOG)
    assert (board.fg_name, board.fg_email) == ("D. Boersen", "d.boersen@veluwseonderwijsgroep.nl")


def test_a_transfer_outside_the_eea_names_its_safeguard(demo):
    transfer = register.Transfer.objects.get(activity__board__slug=VOG)
    assert transfer.country == "Verenigde Staten"
    assert transfer.safeguard == "dpf"


def test_a_term_in_use_cannot_be_deleted_but_a_whole_board_can(demo):
    from django.db.models import RestrictedError

    board = Board.objects.get(slug="cpow")
    pupils = board.subject_groups.get(name="Leerlingen")
    with pytest.raises(RestrictedError), transaction.atomic():
        pupils.delete()
    board.delete()
    assert not register.ProcessingActivity.objects.filter(board__slug="cpow").exists()
    assert Board.objects.filter(slug=VOG).exists()


def test_vog_website_lists_its_cookies_with_lifetimes(demo):
    website = register.ProcessingActivity.objects.get(board__slug=VOG, name="Websites en cookies")
    cookies = {c.name: c.lifetime for c in website.cookies.all()}
    assert cookies["_ga"] == "2 jaar"
    assert cookies["_gat"] == "1 minuut"


def test_enrolment_says_that_providing_the_data_is_required(demo):
    for board, name in [
        ("cpow", "Inschrijving en leerlingadministratie"),
        (VOG, "Inschrijving en administratie"),
    ]:
        activity = register.ProcessingActivity.objects.get(board__slug=board, name=name)
        assert "inschrijv" in activity.provision_requirement


def test_cpow_has_an_open_a_notified_and_a_closed_breach(demo):
    from breaches.models import Breach

    breaches = Breach.objects.filter(board__slug="cpow").order_by("-aware_at")
    just_reported, notified, closed = breaches
    assert just_reported.status == Breach.Status.REPORTED
    assert just_reported.source == Breach.Source.PUBLIC and just_reported.is_open
    assert notified.ap_reference and notified.must_notify_ap and notified.fg_advice
    assert notified.activities.exists() and notified.measures.filter(done_on=None).exists()
    assert closed.status == Breach.Status.CLOSED and closed.must_notify_ap is False
    assert [b.number for b in breaches] == [3, 2, 1]  # numbered in the order they happened
    # The other board has one report from the website, not yet looked at.
    assert Breach.objects.get(board__slug=VOG).status == Breach.Status.REPORTED
