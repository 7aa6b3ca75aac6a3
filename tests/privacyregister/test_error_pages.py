"""The 404 and 500 pages: Dutch, in the product's style, and without Django's internals."""

import pytest
from django.test import override_settings
from django.urls import path

from privacyregister.roles import Role
from tests.factories import MembershipFactory, SchoolFactory


def _breaks(request):
    raise RuntimeError("een fout in een view")


# Only for the 500 test below, via ROOT_URLCONF.
urlpatterns = [path("kapot/", _breaks)]


@pytest.mark.django_db
def test_an_unknown_url_gets_the_dutch_404_page_without_djangos_exception_name(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page
    assert "css/app.css" in page
    assert "Resolver404" not in page


@pytest.mark.django_db
def test_a_missing_record_gets_a_404_that_does_not_name_the_model(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    response = client.get(f"/b/{officer.board.slug}/register/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page
    assert "matches the given query" not in page
    assert "ProcessingActivity" not in page


@pytest.mark.django_db
def test_a_reason_written_for_the_visitor_stays_on_the_404_page(client):
    school = SchoolFactory()
    response = client.get(f"/privacy/{school.board.slug}/{school.slug}/v1/")
    assert response.status_code == 404
    assert "Deze privacyverklaring is (nog) niet gepubliceerd." in response.content.decode()


# No django_db mark: the 500 page must render without the database, which may be the very
# thing that failed.
@override_settings(ROOT_URLCONF=__name__)
def test_an_error_in_a_view_gets_the_dutch_500_page_in_the_products_style(client):
    client.raise_request_exception = False
    response = client.get("/kapot/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er is iets misgegaan" in page
    assert "css/app.css" in page
    assert 'href="/"' in page
    assert "een fout in een view" not in page
