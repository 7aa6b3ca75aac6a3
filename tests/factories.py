import datetime

import factory
import faker
from django.utils import timezone

from breaches.models import Breach
from privacyregister.models import Board, Membership, School, User
from privacyregister.roles import Role
from processing import models as register
from retention.models import RetentionRule
from rights.models import RightsRequest

_dutch_names = faker.Faker("nl_NL")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    # Without the apostrophe of "van 't Hof": a page escapes it, and tests look for the name as
    # it is in the page (a generated name with one made such tests fail now and then).
    full_name = factory.LazyAttribute(lambda _: _dutch_names.name().replace("'", ""))
    password = factory.django.Password("een-lang-testwachtwoord")


class BoardFactory(factory.django.DjangoModelFactory[Board]):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Stichting Testbestuur {n}")
    slug = factory.Sequence(lambda n: f"bestuur-{n}")
    privacy_email = "privacy@bestuur.example"
    fg_name = "F. Gegevens"
    fg_email = "fg@bestuur.example"


class SchoolFactory(factory.django.DjangoModelFactory[School]):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}AB")
    sector = School.Sector.PO


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
    role = Role.PRIVACY_OFFICER
    school = None


class SubjectGroupFactory(factory.django.DjangoModelFactory[register.DataSubjectGroup]):
    class Meta:
        model = register.DataSubjectGroup

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")


class DataCategoryFactory(factory.django.DjangoModelFactory[register.DataCategory]):
    class Meta:
        model = register.DataCategory

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Gegeven {n}")


class RecipientFactory(factory.django.DjangoModelFactory[register.Recipient]):
    class Meta:
        model = register.Recipient

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Ontvanger {n}")
    kind = register.Recipient.Kind.PUBLIC_BODY


class ActivityFactory(factory.django.DjangoModelFactory[register.ProcessingActivity]):
    class Meta:
        model = register.ProcessingActivity

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Verwerking {n}")
    description = "Wat wij doen, in gewone taal."


class StatementVersionFactory(factory.django.DjangoModelFactory[register.StatementVersion]):
    class Meta:
        model = register.StatementVersion

    board = factory.SubFactory(BoardFactory)
    school = None
    number = 1
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.SubFactory(UserFactory)
    change_summary = "Eerste versie."
    snapshot = factory.LazyFunction(dict)
    html = "<p>Privacyverklaring</p>"


class RetentionRuleFactory(factory.django.DjangoModelFactory[RetentionRule]):
    class Meta:
        model = RetentionRule

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Dossier {n}")
    period_amount = 2
    period_unit = "jaren"
    start_event = RetentionRule.StartEvent.END_OF_ENROLMENT


class RightsRequestFactory(factory.django.DjangoModelFactory[RightsRequest]):
    class Meta:
        model = RightsRequest

    board = factory.SubFactory(BoardFactory)
    type = RightsRequest.Type.ACCESS
    requester_role = RightsRequest.RequesterRole.PARENT
    requester_name = "J. Ouder"
    requester_contact = "ouder@example.nl"
    received_on = factory.LazyFunction(lambda: timezone.localdate())
    channel = RightsRequest.Channel.EMAIL


class BreachFactory(factory.django.DjangoModelFactory[Breach]):
    """A report from the website, made an hour after it was discovered. Built, not saved: the
    number and the clock come from breaches.services.breach_report."""

    class Meta:
        model = Breach

    board = factory.SubFactory(BoardFactory)
    source = Breach.Source.PUBLIC
    what_happened = "Een map met cijferlijsten lag open op de printer in de gang."
    discovered_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
