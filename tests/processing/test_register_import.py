"""Importing the register's own spreadsheet: a preview of what it creates, changes or refuses,
then one commit that writes all of it or nothing."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacyregister.models import Board, SecurityEvent
from privacyregister.roles import Role
from processing import services, statements
from processing.models import (
    DataCategory,
    DataSubjectGroup,
    ProcessingActivity,
    Purpose,
    RegisterImport,
)
from processing.register_import import _opened, import_plan, import_preview, import_run_commit
from retention.models import RetentionRule
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    DataCategoryFactory,
    MembershipFactory,
    SchoolFactory,
    SubjectGroupFactory,
    UserFactory,
)
from tests.processing.import_workbooks import activity, register_workbook, workbook

pytestmark = pytest.mark.django_db


def uploaded(membership, content: bytes, name: str = "register.xlsx") -> RegisterImport:
    record = RegisterImport.objects.create(
        board=membership.board, uploaded_by=membership.user, file_name=name, content=content
    )
    return import_preview(record)


def committed(record: RegisterImport, create_terms: bool = False) -> RegisterImport:
    record.create_terms = create_terms
    import_run_commit(record)
    record.refresh_from_db()
    return record


def refusal_texts(record: RegisterImport) -> list[str]:
    preview = record.preview
    texts = [r["text"] for r in preview["refusals"]]
    for planned in preview["activities"]:
        texts += [r["text"] for r in planned["refusals"]]
    return texts


def live_snapshots(board: Board) -> dict[str, dict]:
    vocabulary = statements.terms_by_pk(board)
    snapshots = {}
    for a in statements.with_rows(board.activities.all()):
        snapshot = statements.activity_snapshot(statements.live_version(a), vocabulary)
        # The rules are the board's schedule, which an import links by name and never writes.
        snapshot["retention"] = sorted(rule["name"] for rule in snapshot["retention"])
        snapshots[a.name] = snapshot
    return snapshots


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.PRIVACY_OFFICER)


def test_an_exported_register_imported_into_an_empty_board_gives_the_same_register(demo):
    source = Board.objects.get(slug="veluwse-onderwijsgroep")
    reader = MembershipFactory(board=source, role=Role.PRIVACY_OFFICER).user
    # One activity approved and then edited: the file holds both versions, the draft wins.
    edited = source.activities.order_by("number").first()
    edited.status, edited.approved_at = ProcessingActivity.Status.APPROVED, timezone.now()
    edited.save()
    edited.description, edited.status = "Nieuwe uitleg.", ProcessingActivity.Status.CONCEPT
    edited.save()
    target = BoardFactory()
    for school in source.schools.all():
        SchoolFactory(board=target, name=school.name)
    for rule in source.retention_rules.all():
        RetentionRule.objects.create(
            board=target,
            name=rule.name,
            period_amount=rule.period_amount,
            period_unit=rule.period_unit,
            start_event=rule.start_event,
        )
    importer = MembershipFactory(board=target, role=Role.PRIVACY_OFFICER)

    record = uploaded(importer, register_workbook(source, reader))
    assert record.status == RegisterImport.Status.PREVIEW
    assert refusal_texts(record) == []
    assert record.counts["create"] == source.activities.count()
    assert record.preview["new_terms"]
    notes = [n for p in record.preview["activities"] for n in p["notes"]]
    assert any("conceptrij" in note for note in notes)

    record = committed(record, create_terms=True)

    assert record.status == RegisterImport.Status.DONE
    assert live_snapshots(target) == live_snapshots(source)
    assert set(target.activities.values_list("status", flat=True)) == {"concept"}
    assert set(target.activities.values_list("owner", flat=True)) == {importer.user.pk}
    assert sorted(target.activities.values_list("number", flat=True)) == list(
        range(1, source.activities.count() + 1)
    )


def plan_queries(activities: int) -> int:
    """The queries of reading back a board's own export of `activities` activities, each for one
    school of the board."""
    officer = MembershipFactory.create(role=Role.PRIVACY_OFFICER)
    school = SchoolFactory.create(board=officer.board)
    for _ in range(activities):
        ActivityFactory.create(board=officer.board, applies_to_all_schools=False).schools.add(
            school
        )
    record = RegisterImport(
        board=officer.board,
        uploaded_by=officer.user,
        content=register_workbook(officer.board, officer.user),
    )
    opened = _opened(record)
    with CaptureQueriesContext(connection) as queries:
        plan = import_plan(officer.board, opened)
    assert plan.counts()["unchanged"] == activities
    return len(queries)


def test_the_preview_reads_the_schools_of_all_activities_at_once():
    assert plan_queries(20) == plan_queries(2)


def test_an_unchanged_file_changes_nothing_and_a_changed_field_is_named(officer):
    group = SubjectGroupFactory(board=officer.board, name="Leerlingen")
    category = DataCategoryFactory(board=officer.board, name="Naam")
    existing = ActivityFactory(board=officer.board, name="Leerlingadministratie")
    existing.data_categories.create(category=category, subject_group=group)
    existing.purposes.create(description="Onderwijs geven", legal_basis="e")
    rows = {
        "activities": [activity(existing.number, "Leerlingadministratie")],
        "data": [
            {"number": existing.number, "version": "concept", "subject_group": "Leerlingen"}
            | {"category": "Naam"}
        ],
        "purposes": [
            {"number": existing.number, "version": "concept", "description": "Onderwijs geven"}
            | {"legal_basis_label": "taak van algemeen belang (art. 6 lid 1 sub e AVG)"}
        ],
    }
    rows["activities"][0]["description"] = existing.description

    record = uploaded(officer, workbook(rows))
    assert record.counts["unchanged"] == 1
    assert record.preview["activities"][0]["changes"] == []

    rows["activities"][0]["description"] = "Een andere uitleg."
    rows["purposes"][0]["legal_basis_label"] = "legal obligation (Art. 6(1)(c) GDPR)"  # English
    record = uploaded(officer, workbook(rows))
    assert refusal_texts(record) == []
    assert record.preview["activities"][0]["action"] == "change"
    assert record.preview["activities"][0]["changes"] == ["Uitleg in gewone taal", "Doelen"]


def test_a_changed_approved_activity_becomes_a_concept_that_names_the_importer(officer):
    existing = ActivityFactory(
        board=officer.board,
        name="Rooster",
        status=ProcessingActivity.Status.APPROVED,
        approved_at=timezone.now(),
    )
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [
                    activity(
                        existing.number,
                        "Rooster",
                        profiling="ja",
                        automated_logic="Het rooster voorspelt wie uitvalt.",
                    )
                ]
            }
        ),
    )
    record = committed(record)

    existing.refresh_from_db()
    assert record.status == RegisterImport.Status.DONE
    assert existing.status == ProcessingActivity.Status.CONCEPT
    assert existing.approved_at is not None  # parents keep seeing the approved version
    assert existing.profiling is True
    assert existing.history.latest().history_user == officer.user
    event = SecurityEvent.objects.get(action="processing.register.imported")
    assert event.detail == {
        "file_name": "register.xlsx",
        "created": 0,
        "changed": 1,
        "unchanged": 0,
        "terms_created": 0,
    }


def test_new_activities_get_the_next_register_numbers(officer):
    ActivityFactory(board=officer.board, name="Bestaand")  # number 1
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [activity(None, "Zonder nummer"), activity(900, "Eigen nummer")],
                "purposes": [
                    {"number": 900, "version": "concept", "description": "Iets doen"}
                    | {"legal_basis_label": "toestemming"}
                ],
            }
        ),
    )
    assert record.counts["create"] == 2
    committed(record)
    numbers = dict(officer.board.activities.values_list("name", "number"))
    assert sorted([numbers["Zonder nummer"], numbers["Eigen nummer"]]) == [2, 3]
    assert Purpose.objects.get(description="Iets doen").activity.name == "Eigen nummer"


def test_an_unknown_term_is_offered_and_created_when_asked(officer):
    rows = {
        "activities": [activity(5, "Nieuw", subject_groups=["Sollicitanten"])],
        "data": [
            {"number": 5, "version": "concept", "subject_group": "Sollicitanten"}
            | {"category": "Cv", "kind_label": "gewoon persoonsgegeven"}
        ],
    }
    record = uploaded(officer, workbook(rows))
    assert refusal_texts(record) == []
    offered = {(t["vocabulary"], t["name"]) for t in record.preview["new_terms"]}
    assert offered == {("groep betrokkenen", "Sollicitanten"), ("categorie persoonsgegevens", "Cv")}

    assert committed(record).status == RegisterImport.Status.PREVIEW  # not asked: not written
    assert not officer.board.activities.exists()

    record = committed(record, create_terms=True)
    assert record.status == RegisterImport.Status.DONE
    assert record.counts["terms"] == 2
    made = officer.board.activities.get()
    assert [g.name for g in made.subject_groups.all()] == ["Sollicitanten"]
    assert made.data_categories.get().category.board == officer.board


def test_a_term_of_another_board_is_unknown_here(officer):
    other = BoardFactory()
    SubjectGroupFactory(board=other, name="Ouders")
    record = uploaded(
        officer, workbook({"activities": [activity(1, "Nieuw", subject_groups=["Ouders"])]})
    )
    assert [t["name"] for t in record.preview["new_terms"]] == ["Ouders"]
    committed(record, create_terms=True)
    group = officer.board.activities.get().subject_groups.get()
    assert group.board == officer.board
    assert DataSubjectGroup.objects.filter(name="Ouders", board=other).exists()


def test_an_unknown_school_is_refused_with_its_sheet_row_and_column(officer):
    SchoolFactory(board=officer.board, name="De Regenboog")
    SchoolFactory(board=BoardFactory(), name="De Klimop")
    record = uploaded(
        officer, workbook({"activities": [activity(1, "Lokaal", schools=["De Klimop"])]})
    )
    assert refusal_texts(record) == [
        "blad Verwerkingen, rij 2, kolom Geldt voor: "
        "De school “De Klimop” bestaat niet bij dit bestuur."
    ]
    assert record.preview["activities"][0]["action"] == "refused"


def test_an_archived_school_is_refused_for_a_new_link_and_kept_where_the_activity_has_it(
    officer,
):
    closed = SchoolFactory(board=officer.board, name="De Klimop", archived_at=timezone.now())
    kept = ActivityFactory(board=officer.board, name="Oud", applies_to_all_schools=False)
    kept.schools.set([closed])
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [
                    activity(kept.number, "Oud", schools=["De Klimop"]),
                    activity(None, "Nieuw", schools=["De Klimop"]),
                ]
            }
        ),
    )
    assert refusal_texts(record) == [
        "blad Verwerkingen, rij 3, kolom Geldt voor: De school “De Klimop” is gearchiveerd: er "
        "komen geen verwerkingen meer bij. Haal de school uit deze rij, of zet haar eerst terug "
        "bij Scholen."
    ]


def test_the_editors_rules_between_fields_refuse_an_imported_row_too(officer):
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [
                    activity(
                        1,
                        "Toets",
                        dpia_required=False,
                        dpia_done_on=datetime.date(2026, 3, 1),
                        profiling=True,
                        automated_logic="",
                    )
                ]
            }
        ),
    )
    assert refusal_texts(record) == [
        "blad Verwerkingen, rij 2, kolom DPIA nodig: "
        "Er is een DPIA gedaan; vink aan dat die nodig was.",
        "blad Verwerkingen, rij 2, kolom Hoe het besluit of profiel tot stand komt: "
        "Leg uit hoe het geautomatiseerde besluit of profiel tot stand komt.",
    ]


def test_a_missing_required_field_is_refused(officer):
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [activity(1, "Zonder uitleg", description="")],
                "purposes": [{"number": 1, "version": "concept", "legal_basis_label": "a"}],
            }
        ),
    )
    assert refusal_texts(record) == [
        "blad Verwerkingen, rij 2, kolom Uitleg in gewone taal: Dit veld is verplicht.",
        "blad Doelen, rij 2, kolom Doel: Dit veld is verplicht.",
    ]


def test_a_bad_legal_basis_is_refused(officer):
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [activity(1, "Nieuw")],
                "purposes": [
                    {"number": 1, "version": "concept", "description": "Iets"}
                    | {"legal_basis_label": "omdat het moet"}
                ],
            }
        ),
    )
    [text] = refusal_texts(record)
    assert text.startswith(
        "blad Doelen, rij 2, kolom Grondslag: “omdat het moet” is geen geldige keuze. Kies uit: "
        "toestemming (art. 6 lid 1 sub a AVG);"
    )


def test_a_part_row_whose_number_is_not_on_the_activities_sheet_is_refused(officer):
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [activity(1, "Nieuw")],
                "cookies": [{"number": 7, "version": "concept", "name": "sessie"}],
            }
        ),
    )
    assert refusal_texts(record) == [
        "blad Cookies, rij 2, kolom Nr.: Nr. 7 staat niet op het blad Verwerkingen."
    ]


def test_nothing_is_written_when_something_is_refused(officer):
    DataCategoryFactory(board=officer.board, name="Naam")
    before = ProcessingActivity.objects.count(), DataCategory.objects.count()
    record = uploaded(
        officer,
        workbook(
            {
                "activities": [
                    activity(1, "Goed", subject_groups=["Nieuwe groep"]),
                    activity(2, "Fout", schools=["Bestaat niet"]),
                ]
            }
        ),
    )
    assert record.counts["refused"] == 1

    record = committed(record, create_terms=True)

    assert record.status == RegisterImport.Status.PREVIEW
    assert (ProcessingActivity.objects.count(), DataCategory.objects.count()) == before
    assert not DataSubjectGroup.objects.filter(name="Nieuwe groep").exists()
    assert not SecurityEvent.objects.filter(action="processing.register.imported").exists()


def test_an_activity_saved_by_someone_else_while_the_import_writes_goes_back_to_the_preview(
    officer, monkeypatch
):
    existing = ActivityFactory(board=officer.board, name="Leerlingadministratie")
    record = uploaded(officer, workbook({"activities": [activity(existing.number, existing.name)]}))
    assert record.counts["change"] == 1
    replace = services.activity_replace

    def saved_meanwhile(*, activity, **kwargs):
        # Another editor's save, between the commit's read of the register and its write.
        ProcessingActivity.objects.filter(pk=activity.pk).update(version=F("version") + 1)
        return replace(activity=activity, **kwargs)

    monkeypatch.setattr(services, "activity_replace", saved_meanwhile)

    record = committed(record)

    assert record.status == RegisterImport.Status.PREVIEW
    assert record.preview["activities"][0]["action"] == "change"
    existing.refresh_from_db()
    assert existing.description == "Wat wij doen, in gewone taal."


def test_a_file_that_is_not_a_spreadsheet_is_refused(officer):
    record = uploaded(officer, b"%PDF-1.4 niet een spreadsheet", name="register.pdf")
    assert record.status == RegisterImport.Status.REFUSED
    assert record.preview["error"].startswith("Dit bestand is geen Excel-werkmap (.xlsx).")


def upload(client, board, content: bytes, name: str = "register.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("register_import", kwargs={"board": board.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_an_upload_is_read_by_a_job_shown_as_a_preview_and_committed_on_request(
    client, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    content = workbook({"activities": [activity(1, "Nieuw", subject_groups=["Ouders"])]})
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, officer.board, content)
    record = RegisterImport.objects.get()
    assert response.url == reverse(
        "register_import_detail", kwargs={"board": officer.board.slug, "pk": record.pk}
    )
    page = client.get(response.url).content.decode()
    assert "Nieuwe begrippen" in page and "Ouders" in page and "Doorvoeren" in page
    assert "hx-trigger" not in page  # read: nothing to wait for

    commit = reverse(
        "register_import_commit", kwargs={"board": officer.board.slug, "pk": record.pk}
    )
    refused = client.post(commit, {})
    assert refused.status_code == 400  # the new terms were not allowed
    assert not officer.board.activities.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit, {"create_terms": "on"})
    page = client.get(response.url).content.decode()
    made = officer.board.activities.get()
    assert "De import is doorgevoerd" in page
    assert reverse("activity_detail", kwargs={"board": officer.board.slug, "pk": made.pk}) in page


def test_a_refused_activitys_reason_is_shown_once_in_its_row(
    client, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    content = workbook({"activities": [activity(1, "Lokaal", schools=["De Klimop"])]})
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, officer.board, content)
    page = client.get(response.url).content.decode()
    assert page.count("De school “De Klimop” bestaat niet bij dit bestuur.") == 1
    assert "1 verwerking wordt geweigerd: de reden staat bij die verwerking in de tabel." in page


def test_the_page_refreshes_itself_while_the_file_is_being_read(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    upload(client, officer.board, workbook({}))  # no commit in a test: the job waits
    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.PENDING
    url = reverse("register_import_detail", kwargs={"board": officer.board.slug, "pk": record.pk})
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Het bestand wordt gelezen" in page


def test_an_import_whose_worker_died_is_shown_as_interrupted_and_read_again_on_request(
    client, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    upload(client, officer.board, workbook({"activities": [activity(1, "Nieuw")]}))
    record = RegisterImport.objects.get()  # queued, but no worker took the job
    kwargs = {"board": officer.board.slug, "pk": record.pk}
    detail = reverse("register_import_detail", kwargs=kwargs)
    retry = reverse("register_import_retry", kwargs=kwargs)
    client.post(retry)  # too early: the job may still be running
    assert RegisterImport.objects.get().status == RegisterImport.Status.PENDING
    assert "onderbroken" not in client.get(detail).content.decode()

    RegisterImport.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=11))
    page = client.get(detail).content.decode()
    assert "Het lezen van dit bestand is onderbroken." in page
    assert "hx-trigger" not in page  # nothing to wait for any more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    assert RegisterImport.objects.get().status == RegisterImport.Status.PREVIEW
    assert "Doorvoeren" in client.get(detail).content.decode()


def test_a_file_over_10_mb_is_refused_at_the_upload(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    response = upload(client, officer.board, b"0" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "groter dan 10 MB" in response.content.decode()
    assert not RegisterImport.objects.exists()


@pytest.mark.parametrize("role", [Role.SCHOOLLEIDER, Role.FG])
def test_who_may_not_import_gets_403(client, role):
    membership = MembershipFactory(
        role=role,
        school=SchoolFactory() if role == Role.SCHOOLLEIDER else None,
    )
    if membership.school:
        membership.board = membership.school.board
        membership.save()
    client.force_login(membership.user)
    response = client.get(reverse("register_import", kwargs={"board": membership.board.slug}))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who, expected",
    [
        ("officer of another board, in the URL of their own", 404),
        ("non-member", 404),
        ("schoolleider of another board", 404),
        ("schoolleider of the same board", 403),
    ],
)
def test_an_import_is_reached_only_by_its_uploader(
    client, who, expected, django_capture_on_commit_callbacks
):
    owner = MembershipFactory(role=Role.PRIVACY_OFFICER)
    SchoolFactory(board=owner.board)
    record = uploaded(owner, workbook({"activities": [activity(1, "Nieuw")]}))
    board = owner.board
    if who == "non-member":
        user = UserFactory()
    elif who == "schoolleider of the same board":
        school = owner.board.schools.get()
        user = MembershipFactory(board=board, role=Role.SCHOOLLEIDER, school=school).user
    else:
        school = SchoolFactory()
        role = Role.PRIVACY_OFFICER if who.startswith("officer") else Role.SCHOOLLEIDER
        other = MembershipFactory(
            board=school.board, role=role, school=school if role == Role.SCHOOLLEIDER else None
        )
        user = other.user
        if role == Role.PRIVACY_OFFICER:
            board = other.board
    client.force_login(user)
    kwargs = {"board": board.slug, "pk": record.pk}
    assert client.get(reverse("register_import_detail", kwargs=kwargs)).status_code == expected
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register_import_commit", kwargs=kwargs))
    assert response.status_code == expected
    assert not owner.board.activities.exists()
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.PREVIEW


def test_the_blank_template_reads_as_an_import_that_changes_nothing(client, officer):
    client.force_login(officer.user)
    url = reverse("register_import_template", kwargs={"board": officer.board.slug})
    response = client.get(url)
    assert response.status_code == 200
    record = uploaded(officer, response.content)
    assert record.status == RegisterImport.Status.PREVIEW
    assert record.counts == {"create": 0, "change": 0, "unchanged": 0, "refused": 0, "terms": 0}
