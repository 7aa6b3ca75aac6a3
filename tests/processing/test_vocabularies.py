import pytest
from django.urls import reverse

from privacyregister.reference import read_fixture
from processing.models import DataSource, Recipient
from processing.models import Vocabulary as VocabularyModel
from processing.vocabularies import VOCABULARIES
from tests.factories import ActivityFactory, RecipientFactory

pytestmark = pytest.mark.django_db


def test_a_privacy_officer_adds_a_processor_with_its_dpa(client, officer):
    url = reverse("term_create", kwargs={"board": officer.board.slug, "kind": "ontvangers"})
    response = client.post(
        url,
        {
            "name": "Iddink",
            "kind": "verwerker",
            "country": "Nederland",
            "in_eea": "on",
            "product": "Magister",
            "dpa_status": "getekend",
            "dpa_signed_on": "2025-08-01",
            "dpa_document_url": "https://contracten.example.nl/iddink.pdf",
        },
    )
    assert response.status_code == 302
    processor = Recipient.objects.get(board=officer.board, name="Iddink")
    assert processor.dpa_signed_on.isoformat() == "2025-08-01"


def test_a_duplicate_name_is_refused_with_a_dutch_message(client, officer):
    DataSource.objects.create(board=officer.board, name="DUO")
    url = reverse("term_create", kwargs={"board": officer.board.slug, "kind": "bronnen"})
    response = client.post(url, {"name": "DUO", "description": "dubbel"})
    assert "Deze naam bestaat al bij dit bestuur." in response.content.decode()
    assert DataSource.objects.filter(board=officer.board).count() == 1


def test_a_term_in_use_is_not_deleted_and_its_users_are_listed(client, officer):
    processor = RecipientFactory(board=officer.board, kind="verwerker", dpa_status="getekend")
    activity = ActivityFactory(board=officer.board, name="Leerlingadministratie")
    activity.processors.add(processor)
    url = reverse(
        "term_delete",
        kwargs={"board": officer.board.slug, "kind": "ontvangers", "pk": processor.pk},
    )
    page = client.get(url).content.decode()
    assert "Leerlingadministratie" in page
    client.post(url)
    assert Recipient.objects.filter(pk=processor.pk).exists()


def test_an_unused_term_is_deleted_after_confirmation(client, officer):
    source = DataSource.objects.create(board=officer.board, name="Oude bron")
    url = reverse(
        "term_delete", kwargs={"board": officer.board.slug, "kind": "bronnen", "pk": source.pk}
    )
    assert "Weet u zeker" in client.get(url).content.decode()
    client.post(url)
    assert not DataSource.objects.filter(pk=source.pk).exists()


def test_an_unknown_list_is_not_found(client, officer):
    assert client.get(f"/b/{officer.board.slug}/lijsten/onzin/").status_code == 404


def test_the_registry_holds_every_vocabulary_once_with_its_fixture_key():
    models = [vocabulary.model for vocabulary in VOCABULARIES]
    assert sorted(models, key=str) == sorted(VocabularyModel.__subclasses__(), key=str)
    assert {v.fixture_key for v in VOCABULARIES} == set(read_fixture("reference/vocabularies.json"))
    assert len({v.slug for v in VOCABULARIES}) == len(VOCABULARIES)
