"""The activity editor in parts: every field on exactly one part, the task list, and each
finding's "Verbeteren" link to the page where the fix is made."""

from pathlib import Path

import pytest
from django.urls import reverse

from processing.forms import EDITABLE_FIELDS, FORMSETS
from processing.lint import activity_findings
from processing.parts import BY_ANCHOR, PARTS, State, activity_tasks, fix_url
from tests.factories import ActivityFactory, RecipientFactory, SchoolFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def part_url(activity, part: str) -> str:
    return reverse(
        "activity_edit_part", kwargs={"board": activity.board.slug, "pk": activity.pk, "part": part}
    )


def test_every_editable_field_and_formset_is_on_exactly_one_part():
    fields = [name for part in PARTS for name in part.fields]
    formsets = [prefix for part in PARTS for prefix in part.formsets]
    assert sorted(fields) == sorted(EDITABLE_FIELDS)
    assert sorted(formsets) == sorted(prefix for prefix, _heading, _formset in FORMSETS)


def test_a_part_saves_only_its_own_fields(client, officer):
    activity = ActivityFactory(board=officer.board, description="Blijft", dpia_required=False)
    data = form_data(client.get(part_url(activity, "beoordeling")))
    data.update({"dpia_required": "on", "description": "Gewijzigd"})
    assert client.post(part_url(activity, "beoordeling"), data).status_code == 302
    activity.refresh_from_db()
    assert activity.dpia_required
    assert activity.description == "Blijft"


def test_the_assessment_part_refuses_a_dpia_not_needed_and_profiling_unexplained(client, officer):
    activity = ActivityFactory(board=officer.board, dpia_required=False)
    data = form_data(client.get(part_url(activity, "beoordeling")))
    data.update({"dpia_done_on": "2026-03-01", "profiling": "on", "automated_logic": " "})
    response = client.post(part_url(activity, "beoordeling"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "dpia_required": ["Er is een DPIA gedaan; vink aan dat die nodig was."],
        "automated_logic": ["Leg uit hoe het geautomatiseerde besluit of profiel tot stand komt."],
    }
    activity.refresh_from_db()
    assert activity.dpia_done_on is None and not activity.profiling


def test_schools_posted_while_all_schools_is_ticked_are_ignored(client, officer):
    school = SchoolFactory(board=officer.board)
    activity = ActivityFactory(board=officer.board)
    data = form_data(client.get(part_url(activity, "beschrijving")))
    data.update({"applies_to_all_schools": "on", "schools": [str(school.pk)]})
    assert client.post(part_url(activity, "beschrijving"), data).status_code == 302
    assert not activity.schools.exists()


def test_the_task_list_shows_each_part_with_its_state(client, officer):
    activity = ActivityFactory(board=officer.board)  # a purpose and a rule, no data, no measures
    content = client.get(
        reverse("activity_edit", kwargs={"board": officer.board.slug, "pk": activity.pk})
    ).content.decode()
    for part in PARTS:
        assert part_url(activity, part.slug) in content
    tasks = {task.part.slug: task.state for task in activity_tasks(activity, [])}
    assert tasks["gegevens"] == State.TO_DO
    assert tasks["beschrijving"] == State.DONE
    assert "nog invullen" in content


def test_a_lint_error_marks_its_part_as_fout_with_the_finding_under_it(officer):
    activity = ActivityFactory(board=officer.board)
    processor = RecipientFactory(board=officer.board, kind="verwerker", dpa_status="ontbreekt")
    activity.processors.add(processor)
    tasks = {t.part.slug: t for t in activity_tasks(activity, activity_findings(activity))}
    assert tasks["ontvangers"].state == State.ERROR
    assert [f.code for f in tasks["ontvangers"].findings] == ["processor_without_dpa"]


def test_every_lint_anchor_belongs_to_a_part():
    from processing import lint

    source = Path(lint.__file__).read_text()
    for anchor in (
        "doelen",
        "toestemming",
        "verwerkers",
        "doorgiften",
        "bewaartermijnen",
        "controle",
    ):
        assert f'"{anchor}"' in source
        assert anchor in BY_ANCHOR


def test_each_findings_link_opens_a_page_with_the_field_to_fix(client, officer):
    activity = ActivityFactory(board=officer.board, consent_how_withdrawn="")
    activity.purposes.all().delete()
    activity.purposes.create(description="Foto's", legal_basis="a")
    activity.purposes.create(description="Beveiliging", legal_basis="f")
    activity.retention_rules.clear()
    processor = RecipientFactory(board=officer.board, kind="verwerker", dpa_status="ontbreekt")
    abroad = RecipientFactory(board=officer.board, kind="verwerker", in_eea=False, name="VS")
    activity.processors.add(processor, abroad)
    activity.transfers.create(recipient=abroad, country="VS")
    activity.next_review_on = (
        activity.created_at.date() if hasattr(activity, "created_at") else None
    )
    findings = activity_findings(activity)
    field_of = {
        "consent_without_withdrawal": 'name="consent_how_withdrawn"',
        "legitimate_interest_unexplained": 'name="doelen-',
        "processor_without_dpa": 'name="dpa_status"',
        "processor_dpa_unsigned": 'name="dpa_status"',
        "transfer_without_safeguard": 'name="doorgiften-',
        "outside_eea_without_transfer": 'name="doorgiften-',
        "no_retention": 'id="bewaartermijnen"',  # the board's rules are ticked there
    }
    seen = set()
    for finding in findings:
        if finding.code not in field_of:
            continue
        link = fix_url(officer.board.slug, finding)
        path, _, anchor = link.partition("#")
        content = client.get(path).content.decode()
        assert field_of[finding.code] in content, (finding.code, link)
        if anchor:
            assert f'id="{anchor}"' in content
        seen.add(finding.code)
    assert {"consent_without_withdrawal", "processor_without_dpa", "no_retention"} <= seen


def test_the_lint_page_links_a_missing_agreement_to_the_processors_own_page(client, officer):
    activity = ActivityFactory(board=officer.board)
    processor = RecipientFactory(board=officer.board, kind="verwerker", dpa_status="ontbreekt")
    activity.processors.add(processor)
    content = client.get(reverse("lint", kwargs={"board": officer.board.slug})).content.decode()
    assert f"/b/{officer.board.slug}/lijsten/ontvangers/{processor.pk}/" in content
