"""The workspace shell every logged-in page shares: the board's menu with its current item, the
breadcrumbs, the error summary of a sent form, and the house colour on the public pages."""

import re

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, reverse

from privacyregister.branding import WHITE, colour_css, contrast_ratio, readable_on_white
from privacyregister.navigation import BOARD_MENU
from privacyregister.templatetags.shell import error_summary_items
from tests.factories import ActivityFactory
from tests.privacyregister.test_board_settings import GOOD, page_data, url
from workspace.urls import board_patterns

pytestmark = pytest.mark.django_db


class RowForm(forms.Form):
    url = forms.URLField()


def current_items(html: str) -> list[str]:
    return re.findall(
        r'<a class="utrecht-nav-list__link" href="[^"]*" aria-current="page">([^<]*)</a>', html
    )


def board_url_names(patterns=board_patterns) -> list[str]:
    """Every page under /b/<board>/, so that a new page is checked without naming it here."""
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names += board_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(pattern.name)
    return names


@pytest.mark.parametrize("url_name", sorted(set(board_url_names()) - {"board_home"}))
def test_every_board_page_belongs_to_exactly_one_menu_item(url_name):
    assert [item.url_name for item in BOARD_MENU if item.covers(url_name)] != []
    assert len([item for item in BOARD_MENU if item.covers(url_name)]) == 1


def test_an_activity_page_marks_the_register_as_the_current_menu_item(client, officer):
    activity = ActivityFactory(board=officer.board)
    page = client.get(
        reverse("activity_access", kwargs={"board": officer.board.slug, "pk": activity.pk})
    )
    assert current_items(page.content.decode()) == ["Register"]


def test_the_settings_page_marks_bestuur_and_the_dashboard_marks_my_boards(client, beheerder):
    settings_page = client.get(url(beheerder.board)).content.decode()
    assert current_items(settings_page) == ["Bestuur"]
    assert current_items(client.get(reverse("dashboard")).content.decode()) == ["Mijn besturen"]


def test_the_menu_folds_behind_a_menu_button_and_lists_only_what_the_member_may_open(
    client, schoolleider
):
    html = client.get(
        reverse("activity_list", kwargs={"board": schoolleider.board.slug})
    ).content.decode()
    assert '<details class="menu-fold">' in html and "<summary>Menu</summary>" in html
    assert ">Register</a>" in html
    assert ">Gebruikers</a>" not in html and ">Bestuur</a>" not in html


def test_an_activity_page_has_breadcrumbs_from_the_board_to_the_page(client, officer):
    board = officer.board
    activity = ActivityFactory(board=board, name="Leerlingadministratie")
    html = client.get(
        reverse("activity_history", kwargs={"board": board.slug, "pk": activity.pk})
    ).content.decode()
    trail = html[
        html.index('aria-label="Kruimelpad"') : html.index("</nav>", html.index("Kruimelpad"))
    ]
    assert f'href="/b/{board.slug}/">{board.name}</a>' in trail
    assert f'href="/b/{board.slug}/register/">Register</a>' in trail
    assert f'href="/b/{board.slug}/register/{activity.pk}/">Leerlingadministratie</a>' in trail
    assert 'aria-current="page">Geschiedenis</span>' in trail


def test_a_sent_form_with_errors_gets_a_summary_linking_to_each_field_and_formset_row(
    client, beheerder
):
    board = beheerder.board
    data = page_data(client, board, **{**GOOD, "privacy_email": "geen-adres"})
    data["documenten-TOTAL_FORMS"] = "1"
    data.update({"documenten-0-title": "Reglement", "documenten-0-url": "javascript:alert(1)"})
    html = client.post(url(board), data).content.decode()
    summary = html[
        html.index("data-error-summary") : html.index(
            "</div>\n</div>", html.index("data-error-summary")
        )
    ]
    assert (
        'tabindex="-1"'
        in html[html.index("error-summary") - 200 : html.index("data-error-summary")]
    )
    assert "Er ging iets mis" in summary
    assert '<a href="#id_privacy_email">' in summary
    assert '<a href="#id_documenten-0-url">Rij 1: ' in summary


def test_the_summary_leaves_out_the_errors_of_a_row_marked_for_deletion(db):
    # A formset with an error is invalid, and an invalid formset's deleted_forms is empty: the
    # summary has to ask each row itself whether it is to be deleted.
    Rows = forms.formset_factory(RowForm, can_delete=True)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-url": "geen-adres",
        "form-0-DELETE": "on",
        "form-1-url": "ook-geen-adres",
    }
    form = RowForm({"url": "https://example.nl/"})

    errors = error_summary_items(form, Rows(data))

    assert [error.target for error in errors] == ["id_form-1-url"]
    assert errors[0].message.startswith("Rij 2: ")


def test_a_page_that_was_not_sent_has_no_error_summary(client, beheerder):
    assert "data-error-summary" not in client.get(url(beheerder.board)).content.decode()


def test_an_error_of_the_whole_form_is_in_the_summary_without_a_link(client, db):
    html = client.post(
        reverse("login"), {"username": "niemand@example.nl", "password": "fout-wachtwoord-1"}
    ).content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert "<li><a " not in summary and "<li>" in summary


def test_a_colour_too_light_for_white_text_is_darkened_until_it_reaches_aa():
    assert contrast_ratio("#ffff00", WHITE) < 4.5
    darker = readable_on_white("#ffff00")
    assert contrast_ratio(darker, WHITE) >= 4.5
    assert readable_on_white("#0b4f8a") == "#0b4f8a"


def test_the_public_pages_take_the_house_colour_for_their_links_and_buttons(client, db):
    css = client.get(reverse("public_colour", kwargs={"colour": "ffff00"})).content.decode()
    assert css == colour_css("#ffff00")
    colour = readable_on_white("#ffff00")
    assert f"--utrecht-link-color: {colour};" in css
    assert f"--utrecht-button-primary-action-background-color: {colour};" in css
    assert "#ffff00" not in css
