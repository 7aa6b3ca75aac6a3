import datetime
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from breaches import services
from breaches.models import Breach, BreachEvent
from privacyregister.dates import dutch_moment
from privacyregister.roles import Role
from processing.models import ActivityDataCategory, DataCategory, DataSubjectGroup, Recipient
from tests.factories import (
    ActivityFactory,
    BreachFactory,
    MembershipFactory,
    RecipientFactory,
)
from tests.processing.test_statements import pdf_text, squeeze

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
FACTS = {
    "nature": "Een medewerker stuurde een e-mail met cijferlijsten naar de verkeerde ouders.",
    "data_categories": "Naam, klas en cijfers",
    "subject_groups": "Leerlingen van groep 8 en hun ouders",
    "approx_people": 28,
    "approx_records": 28,
    "consequences": "Andere ouders kennen de cijfers van deze leerlingen.",
    "measures_taken": "De ontvangers is gevraagd de e-mail te verwijderen.",
}


def reported(board, **fields) -> Breach:
    # A staff member's report: the clock started when they discovered it, an hour ago.
    fields.setdefault("source", Breach.Source.STAFF)
    return services.breach_report(breach=BreachFactory.build(board=board, **fields))


def assessed(board, user, **facts) -> Breach:
    breach = reported(board)
    for name, value in (FACTS | facts).items():
        setattr(breach, name, value)
    return services.breach_assess(actor=user, breach=breach)


def decided(breach: Breach, user, *, high_risk: bool = True) -> Breach:
    return services.breach_decide(
        actor=user,
        breach=breach,
        personal_data_involved=True,
        risk_unlikely=False,
        high_risk=high_risk,
        motivation="Cijfers van kinderen bij onbekenden.",
    )


def url(name: str, breach: Breach) -> str:
    return reverse(name, kwargs={"board": breach.board.slug, "pk": breach.pk})


def complete_board(board) -> None:
    board.kvk_number, board.postal_address, board.fg_phone = (
        "12345678",
        "Postbus 1\n1234 AB Ede",
        "0318 123456",
    )
    board.save()


def test_the_ap_draft_shows_the_facts_of_the_breach_and_the_fg_as_contact(client, officer):
    complete_board(officer.board)
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = client.get(url("breach_ap_notification", breach))
    assert response.status_code == 200
    page = response.content.decode()
    assert FACTS["nature"] in page
    assert "Leerlingen van groep 8 en hun ouders" in page
    assert "fg@bestuur.example" in page and "F. Gegevens" in page
    assert "12345678" in page
    assert "Volledige melding." in page
    assert "Voorlopige melding" not in page


def test_a_draft_with_missing_facts_is_a_provisional_notification_that_lists_them(client, officer):
    breach = reported(officer.board)
    page = client.get(url("breach_ap_notification", breach)).content.decode()
    assert "Voorlopige melding" in page
    assert "nog invullen" in page
    # The facts of the breach, the board's KvK number: each listed as still to fill in.
    assert "Waarschijnlijke gevolgen" in page and "KvK-nummer" in page
    assert f'href="/b/{officer.board.slug}/datalekken/{breach.pk}/"' in page


def test_the_draft_lists_the_processors_outside_the_eea_and_the_special_categories(client, officer):
    breach = assessed(officer.board, officer.user)
    abroad = RecipientFactory(
        board=officer.board,
        name="Cloudbedrijf",
        kind=Recipient.Kind.PROCESSOR,
        dpa_status=Recipient.DpaStatus.SIGNED,
        country="Verenigde Staten",
        in_eea=False,
    )
    at_home = RecipientFactory(board=officer.board, name="Leerlingvolgsysteem NL")
    activity = ActivityFactory(board=officer.board)
    ActivityDataCategory.objects.create(
        activity=activity,
        category=DataCategory.objects.create(
            board=officer.board, name="Burgerservicenummer", kind=DataCategory.Kind.NATIONAL_ID
        ),
        subject_group=DataSubjectGroup.objects.create(board=officer.board, name="Leerlingen"),
    )
    services.breach_link(
        actor=officer.user,
        breach=breach,
        activities=[activity],
        processors=[abroad, at_home],
        schools=[],
    )
    page = client.get(url("breach_ap_notification", breach)).content.decode()
    assert "Cloudbedrijf (Verenigde Staten)" in page
    assert "Leerlingvolgsysteem NL" not in page
    assert "Burgerservicenummer" in page


def test_the_fg_reads_the_draft_and_a_school_leader_may_not(client, officer, schoolleider):
    breach = reported(schoolleider.board, school=schoolleider.school)
    assert client.get(url("breach_ap_notification", breach)).status_code == 403
    fg = MembershipFactory(board=schoolleider.board, role=Role.FG)
    client.force_login(fg.user)
    assert client.get(url("breach_ap_notification", breach)).status_code == 200


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")
def test_the_ap_draft_comes_as_a_pdf(client, officer):
    breach = assessed(officer.board, officer.user)
    response = client.get(url("breach_ap_notification_pdf", breach))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(response.content))
    assert "Concept van de melding bij de AP" in text
    assert "Voorlopige melding" in text  # no KvK number, no address of the board
    assert "cijferlijsten naar de verkeerde ouders" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")
def test_the_letter_to_the_people_concerned_is_a_pdf_in_plain_dutch(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = client.get(url("breach_subjects_letter", breach))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(response.content))
    assert "Beste ouder of verzorger," in text
    assert "Wat is er gebeurd?" in text and FACTS["nature"] in text
    assert "Wat kunt u zelf doen?" in text
    assert "F. Gegevens" in text and "fg@bestuur.example" in text
    assert f"het bestuur van {officer.board.name}" in text


def test_there_is_no_letter_when_the_people_need_not_be_informed(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user, high_risk=False)
    detail = client.get(url("breach_ap_notification", breach)).content.decode()
    assert url("breach_subjects_letter", breach) not in detail
    response = client.get(url("breach_subjects_letter", breach), follow=True)
    assert response.redirect_chain[-1][0] == url("breach_detail", breach)
    assert "hoeven niet geïnformeerd te worden" in response.content.decode()


def post_ap(client, breach, notified_at, reference="AP-2026-123", late_reason=""):
    local = timezone.localtime(notified_at)
    return client.post(
        url("breach_record_ap_notification", breach),
        {
            "ap-notified_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ap-reference": reference,
            "ap-late_reason": late_reason,
        },
        follow=True,
    )


def test_recording_the_ap_notification_in_time(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = post_ap(client, breach, timezone.now() - HOUR / 2)
    assert response.redirect_chain[-1][0] == url("breach_detail", breach)
    breach.refresh_from_db()
    assert breach.ap_reference == "AP-2026-123"
    assert breach.events.filter(kind=BreachEvent.Kind.AP_NOTIFIED).exists()
    assert "meldnummer AP-2026-123" in response.content.decode()


def test_a_late_ap_notification_needs_its_reason(client, officer):
    aware = timezone.now() - 80 * HOUR
    breach = decided(reported(officer.board, discovered_at=aware), officer.user)
    response = post_ap(client, breach, timezone.now() - HOUR)
    assert "geef de reden" in response.content.decode()
    breach.refresh_from_db()
    assert breach.ap_notified_at is None
    post_ap(client, breach, timezone.now() - HOUR, late_reason="Pas na het weekend ontdekt.")
    breach.refresh_from_db()
    assert breach.notified_late and breach.ap_late_reason == "Pas na het weekend ontdekt."


def test_the_form_shows_the_deadline_beside_the_late_reason(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    page = client.get(url("breach_ap_notification", breach)).content.decode()
    assert "Alleen nodig als u later meldt dan" in page
    assert dutch_moment(breach.deadline) in page


def test_an_ap_notification_in_the_future_is_refused(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = post_ap(client, breach, timezone.now() + 2 * HOUR)
    assert "Dit tijdstip ligt in de toekomst." in response.content.decode()
    breach.refresh_from_db()
    assert breach.ap_notified_at is None


def post_subjects(client, breach, **data):
    return client.post(
        url("breach_record_subjects_informed", breach),
        {f"betrokkenen-{name}": value for name, value in data.items()},
        follow=True,
    )


def test_recording_when_the_people_were_informed(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    informed = timezone.localtime() - HOUR
    post_subjects(client, breach, informed_at=informed.strftime("%Y-%m-%dT%H:%M"))
    breach.refresh_from_db()
    assert breach.subjects_informed_at == informed.replace(second=0, microsecond=0)


def test_recording_an_exception_of_article_34_3_with_its_explanation(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = post_subjects(client, breach, exception="versleuteld")
    assert "Licht de uitzondering toe." in response.content.decode()
    post_subjects(client, breach, exception="versleuteld", explanation="De laptop had BitLocker.")
    breach.refresh_from_db()
    assert breach.subjects_informed_at is None
    assert breach.subjects_not_informed_reason.startswith("De gegevens waren versleuteld")
    assert breach.subjects_not_informed_reason.endswith("De laptop had BitLocker.")


def test_recording_neither_a_moment_nor_a_reason_is_refused_in_dutch(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = post_subjects(client, breach)
    assert "Vul in wanneer de betrokkenen zijn geïnformeerd" in response.content.decode()
    assert not breach.events.filter(kind=BreachEvent.Kind.SUBJECTS_INFORMED).exists()


def test_a_processors_report_shows_the_note_and_flags_an_unsigned_agreement(client, officer):
    processor = RecipientFactory(
        board=officer.board,
        name="Toetsbureau",
        kind=Recipient.Kind.PROCESSOR,
        dpa_status=Recipient.DpaStatus.DRAFT,
    )
    breach = reported(
        officer.board,
        source=Breach.Source.PROCESSOR,
        reporting_processor=processor,
        aware_at=timezone.now() - HOUR / 2,
    )
    page = client.get(url("breach_ap_notification", breach)).content.decode()
    assert "Dit lek is gemeld door de verwerker Toetsbureau." in page
    assert "art. 33 lid 2 AVG" in page
    assert "Verwerkersovereenkomst: concept" in page
    assert "Er is geen getekende verwerkersovereenkomst met deze verwerker." in page


def test_a_refused_ap_notification_shows_the_form_again_with_what_was_typed(client, officer):
    aware = timezone.now() - 80 * HOUR
    breach = decided(reported(officer.board, discovered_at=aware), officer.user)
    response = post_ap(client, breach, timezone.now() - HOUR, reference="AP-9876")
    assert response.status_code == 400 and not response.redirect_chain
    assert response.templates[0].name == "breaches/ap_notification.html"
    form = response.context["notify"].ap_form
    assert form["reference"].value() == "AP-9876"
    assert "geef de reden" in str(form.errors["late_reason"])
    breach.refresh_from_db()
    assert breach.ap_notified_at is None and breach.ap_reference == ""


def test_a_refused_recording_of_the_people_informed_keeps_the_chosen_exception(client, officer):
    breach = decided(assessed(officer.board, officer.user), officer.user)
    response = post_subjects(client, breach, exception="versleuteld")
    assert response.status_code == 400 and not response.redirect_chain
    form = response.context["notify"].subjects_form
    assert form["exception"].value() == "versleuteld"
    assert "Licht de uitzondering toe." in str(form.errors["explanation"])
