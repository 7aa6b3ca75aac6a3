"""The NL Design System in the layout: its stylesheets from static/vendor (make assets) instead of
Pico, the theme's class on the body, and every form field in its form-field markup."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_board_page_loads_the_nl_design_system_and_not_pico(client, officer):
    html = client.get(
        reverse("activity_list", kwargs={"board": officer.board.slug})
    ).content.decode()

    assert "vendor/voorbeeld-design-tokens/theme.css" in html
    assert "vendor/utrecht/html.css" in html
    assert "pico" not in html
    assert re.search(r'<body class="[^"]*\bvoorbeeld-theme\b', html)
    assert 'class="utrecht-page-header"' in html


def test_a_public_page_is_in_the_theme_too(client):
    html = client.get(reverse("public_index")).content.decode()

    assert "vendor/utrecht/index.css" in html
    assert re.search(r'<body class="[^"]*\bvoorbeeld-theme\b', html)


def test_a_form_field_has_its_label_above_its_hint_and_input(client, beheerder):
    html = client.get(
        reverse("school_create", kwargs={"board": beheerder.board.slug})
    ).content.decode()

    field = re.search(
        r'<div class="utrecht-form-field utrecht-form-field--text">(.*?)</div>\s*</div>', html, re.S
    )
    assert field
    label, field_input = (
        field.group(1).index("utrecht-form-field__label"),
        field.group(1).index("utrecht-form-field__input"),
    )
    assert label < field_input


def test_a_field_with_an_error_is_marked_invalid_with_its_message(client, beheerder):
    response = client.post(
        reverse("school_create", kwargs={"board": beheerder.board.slug}), {"name": ""}
    )

    html = response.content.decode()
    assert "utrecht-form-field--invalid" in html
    error = 'class="utrecht-form-field__error-message utrecht-form-field-error-message">'
    assert error + '<ul class="errorlist' in html
