import pytest


def test_the_health_check_answers_without_touching_the_database(client):
    # No django_db mark: any query, or even a BEGIN, would make pytest-django fail this test.
    response = client.get("/gezond/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_readiness_check_answers_ok_when_the_database_answers(client):
    response = client.get("/gereed/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_readiness_check_answers_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import OperationalError, connection

    def unreachable():
        raise OperationalError("connection refused")

    # Simulates the database server being away; the view under test is left as it is.
    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/gereed/")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
