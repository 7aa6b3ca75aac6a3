"""Every form of the product, fed bad values one field at a time: oversized text, the wrong type,
dates and periods out of range, another board's ids in every choice field, and tampered row
counts in every formset. Each must end in a form error or a 4xx, and the database must be exactly
as before (issue 15: "Bad input, generally")."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse

from privacyregister.forms import TEXT_LIMIT
from privacyregister.models import Board
from privacyregister.roles import Role
from processing import models as register
from processing.parts import PARTS
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    RetentionRuleFactory,
    RightsRequestFactory,
    SchoolFactory,
    SubjectGroupFactory,
)
from tests.forms import attribute, form_data, owned_fields

pytestmark = pytest.mark.django_db

CHECKED_APPS = {"privacyregister", "processing", "retention", "rights"}
NOT_COMPARED = {"SecurityEvent"}  # the audit log may record attempts; that is its job


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        board = BoardFactory(slug="eigen")
        school = SchoolFactory(board=board, slug="eigen-school")
        user = MembershipFactory(board=board, role=Role.BEHEERDER).user
        for role in (Role.PRIVACY_OFFICER, Role.FG):
            MembershipFactory(board=board, role=role, user=user)
        group = SubjectGroupFactory(board=board)
        activity = ActivityFactory(board=board, name="Eigen verwerking")
        activity.subject_groups.add(group)
        activity.purposes.create(description="Doel", legal_basis="e", legal_basis_detail="WPO")
        comment = register.Comment.objects.create(activity=activity, text="Advies")
        rule = RetentionRuleFactory(board=board)
        recipient = RecipientFactory(board=board, kind="verwerker", dpa_status="getekend")
        rights_request = RightsRequestFactory(board=board, school=school)

        foreign = BoardFactory(slug="vreemd")
        foreign_ids = [
            SchoolFactory(board=foreign).pk,
            SubjectGroupFactory(board=foreign).pk,
            DataCategoryFactory(board=foreign).pk,
            RecipientFactory(board=foreign).pk,
            RetentionRuleFactory(board=foreign).pk,
            ActivityFactory(board=foreign).pk,
            MembershipFactory(board=foreign).user.pk,
        ]
        foreign_ids += [foreign.staff_roles.create(name="Vreemde rol").pk]
        foreign_ids += [foreign.data_sources.create(name="Vreemde bron").pk]
        foreign_ids += [foreign.security_measures.create(name="Vreemd", kind="technisch").pk]
        foreign_ids += [RightsRequestFactory(board=foreign).pk]
        yield {
            "user": user,
            "foreign_ids": foreign_ids,
            "rights_request": rights_request,
            "forms": {
                "activity_create": reverse("activity_create", kwargs={"board": "eigen"}),
                **{
                    f"activity_part_{part.slug}": reverse(
                        "activity_edit_part",
                        kwargs={"board": "eigen", "pk": activity.pk, "part": part.slug},
                    )
                    for part in PARTS
                },
                "activity_copy": reverse(
                    "activity_copy", kwargs={"board": "eigen", "pk": activity.pk}
                ),
                "comment_add": reverse("comment_add", kwargs={"board": "eigen", "pk": activity.pk}),
                "comment_resolve": reverse(
                    "comment_resolve",
                    kwargs={"board": "eigen", "pk": activity.pk, "comment": comment.pk},
                ),
                "term_edit": reverse(
                    "term_edit", kwargs={"board": "eigen", "kind": "ontvangers", "pk": recipient.pk}
                ),
                "term_create": reverse(
                    "term_create", kwargs={"board": "eigen", "kind": "gegevens"}
                ),
                "school_edit": reverse(
                    "school_edit", kwargs={"board": "eigen", "school": school.slug}
                ),
                "members": reverse("members", kwargs={"board": "eigen"}),
                "rule_create": reverse("retention_rule_create", kwargs={"board": "eigen"}),
                "rule_edit": reverse(
                    "retention_rule_edit", kwargs={"board": "eigen", "pk": rule.pk}
                ),
                "rights_request_create": reverse(
                    "rights_request_create", kwargs={"board": "eigen"}
                ),
                "publish": reverse("statement_publish_board", kwargs={"board": "eigen"}),
            },
        }
        transaction.set_rollback(True)


def database() -> dict:
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in CHECKED_APPS and model.__name__ not in NOT_COMPARED:
            state[model._meta.label] = serializers.serialize(
                "python", model._default_manager.order_by("pk")
            )
    return state


def offered(response) -> dict[str, set[str]]:
    """The values the page offers per choice field (options, checkboxes, current row ids)."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[-1]
    values: dict[str, set[str]] = {}
    for field in owned_fields(form, ["input", "select"]):
        name = attribute(field, "name")
        if not name:  # not posted
            continue
        if field.name == "select":
            values.setdefault(name, set()).update(
                attribute(o, "value", "") for o in field.find_all("option")
            )
        else:
            values.setdefault(name, set()).add(attribute(field, "value", ""))
    return values


def field_kinds(response) -> dict[str, str]:
    """name -> select / number / date / text / skip, read from the page like a browser would."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[-1]
    kinds = {}
    for field in owned_fields(form, ["input", "select", "textarea"]):
        name, kind = attribute(field, "name"), attribute(field, "type", "")
        if (
            not name
            or name == "csrfmiddlewaretoken"
            or name.endswith(
                ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS", "-DELETE")
            )
        ):
            continue
        if field.has_attr("disabled") or name in ("board", "version"):
            kinds[name] = "skip"
        elif (
            field.name == "select"
            or kind in ("checkbox", "radio")
            and attribute(field, "value") not in (None, "on")
        ) or name.endswith("-id"):
            kinds[name] = "select"
        elif kind in ("number", "date", "month", "email", "url"):
            kinds[name] = kind
        elif kind == "checkbox":
            kinds[name] = "skip"
        else:
            kinds[name] = "text"
    return kinds


MUTATIONS = {
    "text": ["x" * 20_001],
    "select": ["geen-id", "FOREIGN"],
    # Every number a form asks for is a period; 99999 is beyond 100 years in any unit.
    "number": ["veel", "-5", "99999", "99999999999999999999"],
    "date": ["31-02-2025", "2025-13-45", "0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"],
    "month": ["2026-13"],
    "email": ["geen adres", "x" * 300 + "@example.nl"],
    "url": ["javascript:alert(1)"],
}


@pytest.mark.parametrize(
    "form",
    [
        "activity_create",
        *[f"activity_part_{part.slug}" for part in PARTS],
        "activity_copy",
        "comment_add",
        "comment_resolve",
        "term_edit",
        "term_create",
        "school_edit",
        "members",
        "rule_create",
        "rule_edit",
        "rights_request_create",
        "publish",
    ],
)
def test_bad_values_in_any_field_change_nothing(client, world, form):
    client.force_login(world["user"])
    url = world["forms"][form]
    page = client.get(url)
    assert page.status_code == 200
    baseline, kinds, choices = form_data(page), field_kinds(page), offered(page)
    before = database()
    tried = 0
    for name, kind in kinds.items():
        for value in MUTATIONS.get(kind, []):
            values = [value]
            if value == "FOREIGN":  # ids the page does not offer, another board's included
                foreign = [str(pk) for pk in world["foreign_ids"]]
                values = [pk for pk in foreign if pk not in choices.get(name, ())][:3]
            for bad in values:
                response = client.post(
                    url, {**baseline, name: [bad] if isinstance(baseline.get(name), list) else bad}
                )
                tried += 1
                assert response.status_code in (200, 400, 403, 404, 409), (
                    name,
                    bad,
                    response.status_code,
                )
                if response.status_code == 200:
                    assert (
                        "errorlist" in response.content.decode()
                        or "Publiceren kan nog niet" in response.content.decode()
                    ), (name, bad)
    assert tried > 0
    assert database() == before, form


ROWS_REFUSED = "Het formulier is niet volledig of aangepast verstuurd"


def tampered_counts(data: dict, prefix: str) -> list[dict]:
    """The management form of one formset, tampered with in every way a request can."""
    total, initial = f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"
    missing_total = {k: v for k, v in data.items() if k != total}
    missing_initial = {k: v for k, v in data.items() if k != initial}
    return [
        {**data, total: "100000"},
        {**data, total: "101"},
        {**data, total: "abc"},
        {**data, total: ""},
        {**data, total: "-1"},
        {**data, total: "99999999999999999999"},
        # Numbers Django's IntegerField takes but int() does not, or not as written.
        *({**data, total: number} for number in ["1.0", "3.", " 1", "+1", "\u0662"]),
        {**data, initial: "100000"},
        {**data, initial: "abc"},
        {**data, initial: str(int(data[total]) + 1)},
        missing_total,
        missing_initial,
    ]


@pytest.mark.parametrize(
    "form",
    [
        *[f"activity_part_{part.slug}" for part in PARTS if part.formsets],
        "rule_create",
        "rule_edit",
    ],
)
def test_tampered_row_counts_in_every_formset_are_refused_in_dutch(
    client, world, form, django_assert_max_num_queries
):
    client.force_login(world["user"])
    url = world["forms"][form]
    baseline = form_data(client.get(url))
    prefixes = [name.removesuffix("-TOTAL_FORMS") for name in baseline if "-TOTAL_FORMS" in name]
    assert prefixes
    before = database()
    for prefix in prefixes:
        for data in tampered_counts(baseline, prefix):
            for button in ({}, {"meer": prefix}):  # saving, and the "Rij toevoegen" button
                # A bound on the queries is a bound on the rows built: not one is built.
                with django_assert_max_num_queries(15):
                    response = client.post(url, {**data, **button})
                assert response.status_code == 400, (prefix, data, button)
                assert ROWS_REFUSED in response.content.decode(), (prefix, button)
    assert database() == before, form


OUT_OF_RANGE_DATE = "Kies een datum tussen 1 januari 1900 en 31 december 2200."


@pytest.mark.parametrize(
    ("page", "params", "message"),
    [
        *[
            ("retention_calculator", {"start": day}, OUT_OF_RANGE_DATE)
            for day in ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]
        ],
        ("retention_calculator", {"start": "31-02-2025"}, "Voer een geldige datum in."),
        *[
            ("retention_calendar", {"month": month}, "Kies een maand tussen")
            for month in ["0000-01", "0001-01", "1899-12", "2201-01", "9999-12"]
        ],
        ("retention_calendar", {"month": "2026-13"}, "Kies een maand, bijvoorbeeld"),
        *[
            ("retention_calendar", {"school_year": year}, "Kies een schooljaar tussen")
            for year in ["0000-0001", "1899-1900", "2200-2201", "9998-9999"]
        ],
        ("retention_calendar", {"school_year": "2025-2027"}, "Een schooljaar loopt van"),
        *[
            ("export_download", {field: day}, OUT_OF_RANGE_DATE)  # a POST: it writes an export
            for field in ["start", "end"]
            for day in ["0001-01-01", "9999-12-31"]
        ],
    ],
)
def test_parameters_out_of_range_get_a_dutch_message(client, world, page, params, message):
    client.force_login(world["user"])
    before = database()
    if page == "export_download":
        response = client.post(reverse(page, kwargs={"board": "eigen", "format": "csv"}), params)
    else:
        response = client.get(reverse(page, kwargs={"board": "eigen"}), params)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert database() == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("identiteit", {"how": "getoond", "on": "0001-01-01"}),
        ("identiteit", {"how": "getoond", "on": "9999-12-31"}),
        ("verlengen", {"reason": "x" * 1_800_000, "notified_on": "2026-01-05"}),
        ("verlengen", {"reason": "Veel dossiers", "notified_on": "9999-12-31"}),
        (
            "besluit",
            {"status": "afgehandeld", "decided_on": "2026-01-05", "motivation": "x" * 20_001},
        ),
        ("besluit", {"status": "afgehandeld", "decided_on": "0001-01-01", "motivation": "Klaar"}),
    ],
)
def test_bad_values_in_the_steps_of_a_rights_request_change_nothing(client, world, action, data):
    client.force_login(world["user"])
    rights_request = world["rights_request"]
    url = reverse(
        "rights_request_action",
        kwargs={"board": "eigen", "pk": rights_request.pk, "action": action},
    )
    before = database()
    response = client.post(url, data, follow=True)
    assert response.status_code in (200, 400)
    content = response.content.decode()
    assert OUT_OF_RANGE_DATE in content or f"niet meer dan {TEXT_LIMIT} tekens" in content
    assert database() == before


# Text the register writes itself, not a user.
GENERATED = {
    ("processing", "StatementVersion", field) for field in ("html", "html_pupils", "html_en")
}


# Bounded by the only forms that write them (board texts are kept in the Django admin by the
# operators); a model validator there needs a migration of privacyregister, left to its owner.
def text_fields() -> list[tuple[type[models.Model], str]]:
    fields = []
    for model in apps.get_models():
        if model._meta.app_label not in CHECKED_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model.__name__, field.name)
            if isinstance(field, models.TextField) and key not in GENERATED:
                fields.append((model, field.name))
    return fields


@pytest.mark.parametrize(("model", "name"), text_fields(), ids=lambda v: getattr(v, "__name__", v))
def test_every_text_field_of_every_model_refuses_oversized_text(model, name):
    """Text that reaches a model by any path (form, service, import) meets full_clean."""
    others = [f.name for f in model._meta.fields if f.name != name]
    with pytest.raises(ValidationError) as error:
        model(**{name: "x" * (TEXT_LIMIT + 1)}).clean_fields(exclude=others)
    assert name in error.value.message_dict
    model(**{name: "x" * TEXT_LIMIT}).clean_fields(exclude=others)


def test_a_board_keeps_finished_rights_requests_at_most_a_hundred_years():
    others = [f.name for f in Board._meta.fields if f.name != "rights_purge_after_days"]
    with pytest.raises(ValidationError):
        Board(rights_purge_after_days=36_501).clean_fields(exclude=others)
    Board(rights_purge_after_days=36_500).clean_fields(exclude=others)
