import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from breaches import services
from breaches.models import Breach, BreachEvent, BreachMeasure
from breaches.register_facts import register_facts
from privacyregister.dates import dutch_moment
from privacyregister.models import SecurityEvent
from privacyregister.roles import Role
from processing.models import ActivityDataCategory, DataCategory, Recipient
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    BreachFactory,
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    SchoolFactory,
    SubjectGroupFactory,
)

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def report(board, **fields) -> Breach:
    return services.breach_report(breach=BreachFactory.build(board=board, **fields))


def known_since(board, hours: float, **fields) -> Breach:
    """A staff member's report: the clock runs from their discovery, `hours` ago."""
    discovered = timezone.now() - datetime.timedelta(hours=hours)
    return report(board, source=Breach.Source.STAFF, discovered_at=discovered, **fields)


def url(name: str, breach: Breach) -> str:
    return reverse(name, kwargs={"board": breach.board.slug, "pk": breach.pk})


def list_url(board) -> str:
    return reverse("breach_list", kwargs={"board": board.slug})


def decide(breach: Breach, user, **answers) -> Breach:
    answers = {"personal_data_involved": True, "risk_unlikely": False, "high_risk": False} | answers
    return services.breach_decide(actor=user, breach=breach, motivation="Omdat.", **answers)


def test_the_list_shows_open_breaches_first_by_deadline_with_the_hours_left_and_overdue(
    client, officer
):
    board = officer.board
    fresh = known_since(board, 30.5)
    late = known_since(board, 77.5)
    closed = known_since(board, 100)
    decide(closed, officer.user, risk_unlikely=True)
    services.breach_close(actor=officer.user, breach=closed)
    response = client.get(list_url(board))
    assert [breach for breach, _clock in response.context["rows"]] == [late, fresh]
    html = response.content.decode()
    assert "nog 41 uur" in html
    assert '<tr class="overdue">' in html
    assert "te laat: 5 uur geleden" in html
    assert dutch_moment(fresh.deadline) in html  # "27 november 2026 om 14:05", never ISO
    every = client.get(list_url(board), {"status": "alle"}).context["rows"]
    assert [breach for breach, _clock in every] == [late, fresh, closed]
    assert "niet meldplichtig" in client.get(list_url(board), {"status": "alle"}).content.decode()


def test_the_list_says_when_a_breach_was_notified_to_the_ap(client, officer):
    breach = decide(known_since(officer.board, 10), officer.user)
    notified = timezone.now() - HOUR
    services.breach_record_ap_notification(
        actor=officer.user, breach=breach, notified_at=notified, reference="AP-1"
    )
    html = client.get(list_url(officer.board)).content.decode()
    assert f"gemeld bij de AP op {dutch_moment(notified)}" in html


def test_the_list_filters_on_status_and_school(client, officer):
    board = officer.board
    north, south = SchoolFactory(board=board), SchoolFactory(board=board)
    in_north = report(board, school=north)
    in_south = report(board, school=south)
    linked_south = report(board)
    services.breach_link(
        actor=officer.user, breach=linked_south, activities=[], processors=[], schools=[south]
    )
    listed = client.get(list_url(board), {"school": south.pk}).context["rows"]
    assert {breach for breach, _clock in listed} == {in_south, linked_south}
    started = client.get(list_url(board), {"status": "in_behandeling"})
    assert [breach for breach, _clock in started.context["rows"]] == [linked_south]
    assert in_north in [b for b, _c in client.get(list_url(board)).context["rows"]]


def test_the_list_shows_25_breaches_a_page(client, officer):
    for _ in range(27):
        report(officer.board)
    first = client.get(list_url(officer.board))
    second = client.get(list_url(officer.board), {"pagina": 2})
    assert (len(first.context["rows"]), len(second.context["rows"])) == (25, 2)
    assert "Pagina 1 van 2" in first.content.decode()


def test_an_empty_register_says_how_someone_reports_a_breach(client, officer):
    html = client.get(list_url(officer.board)).content.decode()
    assert "Er zijn geen datalekken gemeld." in html
    assert f"/privacy/{officer.board.slug}/datalek-melden/" in html
    assert f"/b/{officer.board.slug}/datalekken/melden/" in html  # "Datalek registreren"


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_makes_the_same_number_of_queries_for_few_and_many_breaches(
    client, officer, count
):
    school = SchoolFactory(board=officer.board)
    for _ in range(count):
        breach = report(officer.board, school=school)
        services.breach_link(
            actor=officer.user, breach=breach, activities=[], processors=[], schools=[school]
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(officer.board))
    assert response.status_code == 200
    assert len(queries) <= 15
    # Pinned: the number must not grow with the breaches on the page.
    assert len(queries) == QUERIES_OF_THE_LIST


QUERIES_OF_THE_LIST = 13


def test_a_school_leader_sees_only_their_own_schools_breaches_and_reads_them_only(
    client, schoolleider
):
    board, own = schoolleider.board, schoolleider.school
    other = SchoolFactory(board=board)
    mine = report(board, school=own, reporter_email="ouder@example.nl")
    linked = report(board)
    theirs = report(board, school=other)
    officer = MembershipFactory(board=board, role=Role.PRIVACY_OFFICER).user
    services.breach_link(actor=officer, breach=linked, activities=[], processors=[], schools=[own])
    listed = client.get(list_url(board)).context["rows"]
    assert {breach for breach, _clock in listed} == {mine, linked}
    page = client.get(url("breach_detail", mine))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ouder@example.nl" not in html  # the reporter's contact is for who follows it up
    assert url("breach_facts", mine) not in html
    assert client.get(url("breach_detail", theirs)).status_code == 403
    assert client.post(url("breach_start", mine)).status_code == 403
    assert client.get(url("breach_history", mine)).status_code == 200


def test_the_officer_sees_the_reporters_contact(client, officer):
    breach = report(officer.board, reporter_name="A. Ouder", reporter_email="ouder@example.nl")
    html = client.get(url("breach_detail", breach)).content.decode()
    assert "A. Ouder" in html and "ouder@example.nl" in html


def test_a_school_leader_does_not_see_who_reported_on_the_timeline_or_in_the_history(
    client, schoolleider
):
    board = schoolleider.board
    teacher = MembershipFactory(board=board, role=Role.MEDEWERKER, school=schoolleider.school).user
    teacher.full_name = "Meester Melder"
    teacher.save()
    breach = services.breach_report(
        breach=BreachFactory.build(
            board=board, school=schoolleider.school, source=Breach.Source.STAFF
        ),
        actor=teacher,
    )
    # A fixed name: a generated one may hold a character the page escapes ("'t Hart").
    officer = MembershipFactory(
        board=board, role=Role.PRIVACY_OFFICER, user__full_name="Pim Privacy"
    ).user
    services.breach_start(actor=officer, breach=breach)
    for name in ("breach_detail", "breach_history"):
        html = client.get(url(name, breach)).content.decode()
        assert str(teacher) not in html and teacher.email not in html
        assert str(officer) in html  # who took it on is no secret
    client.force_login(officer)
    for name in ("breach_detail", "breach_history"):
        assert str(teacher) in client.get(url(name, breach)).content.decode()


def test_a_breach_of_another_board_is_not_found(client, officer):
    foreign = report(BoardFactory())
    wrong_board = reverse("breach_detail", kwargs={"board": officer.board.slug, "pk": foreign.pk})
    assert client.get(wrong_board).status_code == 404
    assert client.get(url("breach_detail", foreign)).status_code == 404


def test_starting_a_breach_puts_it_in_the_officers_hands(client, officer):
    breach = report(officer.board)
    response = client.post(url("breach_start", breach))
    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.status, breach.handler) == (Breach.Status.IN_PROGRESS, officer.user)
    client.post(url("breach_start", breach))  # twice: refused with a message, nothing changes
    assert breach.events.filter(kind=BreachEvent.Kind.STARTED).count() == 1


@pytest.fixture
def registered(officer):
    """An activity of the officer's board with a health category, the BSN, a plain name, two
    groups and a processor."""
    board = officer.board
    activity = ActivityFactory(board=board, name="Leerlingenzorg")
    pupils = SubjectGroupFactory(board=board, name="Leerlingen")
    parents = SubjectGroupFactory(board=board, name="Ouders")
    health = DataCategoryFactory(
        board=board,
        name="Medische gegevens",
        kind=DataCategory.Kind.SPECIAL,
        special_type=DataCategory.SpecialType.HEALTH,
    )
    bsn = DataCategoryFactory(board=board, name="Burgerservicenummer", kind="bsn")
    name = DataCategoryFactory(board=board, name="Naam")
    for category in (name, health, bsn):
        ActivityDataCategory.objects.create(
            activity=activity, category=category, subject_group=pupils
        )
    ActivityDataCategory.objects.create(activity=activity, category=name, subject_group=parents)
    processor = RecipientFactory(board=board, name="ParnasSys", kind=Recipient.Kind.PROCESSOR)
    activity.processors.set([processor])
    return activity


def test_the_register_facts_of_a_breach_come_from_its_linked_activities(officer, registered):
    officer.board.fg_name, officer.board.fg_email = "F. Gerritsen", "fg@example.nl"
    officer.board.save()
    breach = report(officer.board)
    breach.activities.set([registered])
    facts = register_facts(breach)
    assert [category.label for category in facts.categories] == [
        "Medische gegevens (bijzonder persoonsgegeven)",
        "Burgerservicenummer (BSN)",
        "Naam",
    ]
    assert [category.sensitive for category in facts.categories] == [True, True, False]
    assert facts.subject_groups == ["Leerlingen", "Ouders"]
    assert facts.processors == ["ParnasSys"]
    assert facts.fg_contact == "F. Gerritsen, fg@example.nl"
    breach.subject_groups = "Alleen de leerlingen van groep 8"
    assert set(facts.suggestions_for(breach)) == {"data_categories"}


def test_linking_an_activity_prefills_the_facts_with_special_data_and_the_bsn_marked(
    client, officer, registered
):
    breach = report(officer.board)
    processor = registered.processors.get()
    response = client.post(
        url("breach_link", breach),
        {"activities": [registered.pk], "processors": [processor.pk]},
    )
    assert response.url == url("breach_facts", breach)
    breach.refresh_from_db()
    assert list(breach.activities.all()) == [registered]
    assert breach.status == Breach.Status.IN_PROGRESS
    page = client.get(url("breach_facts", breach))
    form = page.context["form"]
    assert form["data_categories"].value() == (
        "Medische gegevens (bijzonder persoonsgegeven), Burgerservicenummer (BSN), Naam"
    )
    assert form["subject_groups"].value() == "Leerlingen, Ouders"
    html = page.content.decode()
    assert (
        '<strong class="data-sensitive">Medische gegevens (bijzonder persoonsgegeven)</strong>'
        in html
    )
    assert '<strong class="data-sensitive">Burgerservicenummer (BSN)</strong>' in html


def test_the_prefill_never_overwrites_what_the_officer_typed(client, officer, registered):
    breach = report(officer.board)
    services.breach_link(
        actor=officer.user, breach=breach, activities=[registered], processors=[], schools=[]
    )
    breach.subject_groups = "Twaalf leerlingen van groep 8"
    services.breach_assess(actor=officer.user, breach=breach)
    form = client.get(url("breach_facts", breach)).context["form"]
    assert form["subject_groups"].value() == "Twaalf leerlingen van groep 8"
    assert form["data_categories"].value().startswith("Medische gegevens")
    # The processor of the activity that is not linked yet is pointed out.
    assert client.get(url("breach_facts", breach)).context["unlinked_processors"] == ["ParnasSys"]


def test_linking_an_activity_of_another_board_is_refused_at_the_field(client, officer):
    breach = report(officer.board)
    foreign = ActivityFactory()
    response = client.post(url("breach_link", breach), {"activities": [foreign.pk]})
    assert response.status_code == 200
    assert "activities" in response.context["form"].errors
    assert not breach.activities.exists()


def test_saving_the_facts_records_them_on_the_timeline(client, officer):
    breach = report(officer.board)
    data = {
        "nature": "Cijferlijst verkeerd gemaild",
        "data_categories": "Naam, cijfers",
        "subject_groups": "Leerlingen",
        "approx_people": 28,
        "approx_records": 28,
        "discovered_at": breach.discovered_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "aware_at": breach.aware_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url("breach_facts", breach), data)
    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.nature, breach.approx_people) == ("Cijferlijst verkeerd gemaild", 28)
    assert breach.events.filter(kind=BreachEvent.Kind.ASSESSED).exists()


def test_facts_with_an_occurrence_after_the_discovery_are_refused_at_the_field(client, officer):
    breach = report(officer.board)
    later = (breach.discovered_at + 10 * datetime.timedelta(minutes=1)).astimezone()
    data = {
        "nature": "Iets",
        "occurred_at": later.strftime("%Y-%m-%dT%H:%M"),
        "discovered_at": breach.discovered_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "aware_at": breach.aware_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url("breach_facts", breach), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Een lek kan niet ontdekt zijn voordat het gebeurde." in errors["occurred_at"]
    assert response.context["form"]["nature"].value() == "Iets"  # nothing typed is lost
    breach.refresh_from_db()
    assert (breach.nature, breach.occurred_at) == ("", None)


def test_the_decision_aid_records_the_outcome_and_the_page_shows_the_deadlines(client, officer):
    breach = report(officer.board)
    response = client.post(
        url("breach_decide", breach),
        {
            "personal_data_involved": "ja",
            "risk_unlikely": "nee",
            "high_risk": "ja",
            "motivation": "Medische gegevens van 30 leerlingen.",
        },
    )
    assert response.url == url("breach_detail", breach) + "#besluit"
    breach.refresh_from_db()
    assert (breach.must_notify_ap, breach.must_inform_subjects) == (True, True)
    html = client.get(url("breach_detail", breach)).content.decode()
    assert f"ja, uiterlijk {dutch_moment(breach.deadline)}" in html
    assert "ja, zonder onnodige vertraging (art. 34 AVG)" in html


def test_a_decision_without_motivation_is_refused_at_the_field_and_nothing_is_saved(
    client, officer
):
    breach = report(officer.board)
    response = client.post(
        url("breach_decide", breach),
        {"personal_data_involved": "ja", "risk_unlikely": "ja", "motivation": " "},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["motivation"] == [
        "Motiveer het besluit om wel of niet te melden."
    ]
    assert response.context["form"]["risk_unlikely"].value() == "ja"
    breach.refresh_from_db()
    assert breach.decided_at is None and breach.risk_unlikely is None


def test_a_missing_follow_up_answer_is_refused_at_its_question(client, officer):
    breach = report(officer.board)
    response = client.post(
        url("breach_decide", breach),
        {"personal_data_involved": "ja", "risk_unlikely": "nee", "motivation": "Omdat."},
    )
    assert response.context["form"].errors["high_risk"] == [
        "Beantwoord of het risico voor de betrokkenen hoog is."
    ]
    breach.refresh_from_db()
    assert breach.decided_at is None


def test_without_personal_data_the_later_questions_do_not_count(client, officer):
    breach = report(officer.board)
    client.post(
        url("breach_decide", breach),
        {"personal_data_involved": "nee", "risk_unlikely": "ja", "motivation": "Lege laptop."},
    )
    breach.refresh_from_db()
    assert (breach.must_notify_ap, breach.risk_unlikely) == (False, None)
    assert breach.hours_left(timezone.now()) is None


def test_the_fg_gives_advice_and_an_empty_one_is_refused(client):
    fg = MembershipFactory(role=Role.FG)
    client.force_login(fg.user)
    breach = report(fg.board)
    empty = client.post(url("breach_advise", breach), {"advice": ""})
    assert empty.context["form"].errors["advice"] == ["Schrijf uw advies."]
    response = client.post(url("breach_advise", breach), {"advice": "Meld het bij de AP."})
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.fg_advice == "Meld het bij de AP."
    assert breach.events.filter(kind=BreachEvent.Kind.ADVICE).exists()
    assert client.post(url("breach_start", breach)).status_code == 403  # the FG advises only


def test_measures_are_added_and_marked_done_each_on_the_timeline_and_in_the_log(client, officer):
    breach = report(officer.board)
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        url("breach_measures", breach),
        {"description": "Wachtwoorden vernieuwen", "owner": officer.user.pk, "due_on": due},
    )
    assert response.status_code == 302
    measure = breach.measures.get()
    assert (measure.owner, measure.due_on) == (officer.user, due)
    client.post(url("breach_measures", breach), {"done": measure.pk})
    measure.refresh_from_db()
    assert measure.done_on == timezone.localdate()
    assert breach.events.filter(kind=BreachEvent.Kind.MEASURE).count() == 2
    assert SecurityEvent.objects.filter(action="breaches.measure").count() == 2


def test_only_a_measure_of_the_breach_itself_can_be_marked_done(client, officer):
    breach, other = report(officer.board), report(officer.board)
    measure = services.breach_measure_add(
        actor=officer.user, breach=other, description="Map opruimen", owner=None, due_on=None
    )
    assert client.post(url("breach_measures", breach), {"done": measure.pk}).status_code == 404
    assert client.post(url("breach_measures", breach), {"done": "x"}).status_code == 404
    measure.refresh_from_db()
    assert measure.done_on is None


def test_a_measure_without_description_or_with_an_owner_of_another_board_is_refused(
    client, officer
):
    breach = report(officer.board)
    stranger = MembershipFactory().user
    response = client.post(
        url("breach_measures", breach), {"description": "", "owner": stranger.pk}
    )
    errors = response.context["form"].errors
    assert errors["description"] == ["Beschrijf de maatregel."]
    assert "owner" in errors
    assert not BreachMeasure.objects.exists()


def test_closing_is_refused_while_something_is_missing_then_allowed_and_reopened(client, officer):
    breach = report(officer.board)
    measure = services.breach_measure_add(
        actor=officer.user, breach=breach, description="Map opruimen", owner=None, due_on=None
    )
    page = client.get(url("breach_close", breach)).content.decode()
    assert "Leg eerst het besluit vast" in page
    assert "Er staan nog maatregelen open." in page
    assert 'type="submit">Afsluiten' not in page
    client.post(url("breach_close", breach))
    breach.refresh_from_db()
    assert breach.is_open
    decide(breach, officer.user, risk_unlikely=True)
    services.breach_measure_done(actor=officer.user, measure=measure, done_on=timezone.localdate())
    assert client.post(url("breach_close", breach)).status_code == 302
    breach.refresh_from_db()
    assert breach.status == Breach.Status.CLOSED
    assert client.post(url("breach_reopen", breach)).status_code == 302
    breach.refresh_from_db()
    assert breach.status == Breach.Status.ASSESSED


def test_the_history_lists_the_changed_fields_with_old_and_new_value_and_who(client, officer):
    breach = report(officer.board)
    school = SchoolFactory(board=officer.board, name="De Akker")
    services.breach_link(
        actor=officer.user, breach=breach, activities=[], processors=[], schools=[school]
    )
    breach.nature = "Verkeerd gemaild"
    services.breach_assess(actor=officer.user, breach=breach)
    response = client.get(url("breach_history", breach))
    entries = response.context["entries"]
    assert [record.history_user for record, _changes in entries][:3] == [officer.user] * 3
    linked = {change.label: (change.old, change.new) for change in entries[2][1]}
    assert linked["scholen"] == ("—", "De Akker")
    newest_changes = {change.label: (change.old, change.new) for change in entries[0][1]}
    assert newest_changes["aard van het lek"] == ("—", "Verkeerd gemaild")
    assert "Verkeerd gemaild" in response.content.decode()


def test_the_board_menu_has_datalekken_for_those_who_see_breaches(client, officer):
    html = client.get(list_url(officer.board)).content.decode()
    assert f'href="{list_url(officer.board)}" aria-current="page">Datalekken' in html
