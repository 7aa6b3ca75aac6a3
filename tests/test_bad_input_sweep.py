"""Every form of the product, fed bad values one field at a time: oversized text, the wrong type,
and another board's ids in every choice field. Each must end in a form error or a 4xx, and the
database must be exactly as before."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.urls import reverse

from privacyregister.models import Role
from processing import models as register
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
from tests.forms import form_data

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
            "forms": {
                "activity_create": reverse("activity_create", kwargs={"board": "eigen"}),
                "activity_edit": reverse(
                    "activity_edit", kwargs={"board": "eigen", "pk": activity.pk}
                ),
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
            state[model._meta.label] = serializers.serialize("python", model.objects.order_by("pk"))
    return state


def offered(response) -> dict[str, set[str]]:
    """The values the page offers per choice field (options, checkboxes, current row ids)."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[-1]
    values: dict[str, set[str]] = {}
    for field in form.find_all(["input", "select"]):
        name = field.get("name")
        if field.name == "select":
            values.setdefault(name, set()).update(
                o.get("value", "") for o in field.find_all("option")
            )
        elif name:
            values.setdefault(name, set()).add(field.get("value", ""))
    return values


def field_kinds(response) -> dict[str, str]:
    """name -> select / number / date / text / skip, read from the page like a browser would."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[-1]
    kinds = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name, kind = field.get("name"), field.get("type", "")
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
            and field.get("value") not in (None, "on")
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
    "number": ["veel", "-5", "99999999999999999999"],
    "date": ["31-02-2025", "2025-13-45"],
    "month": ["2026-13"],
    "email": ["geen adres", "x" * 300 + "@example.nl"],
    "url": ["javascript:alert(1)"],
}


@pytest.mark.parametrize(
    "form",
    [
        "activity_create",
        "activity_edit",
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
