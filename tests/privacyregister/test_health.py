def test_the_health_check_answers_without_touching_the_database(client):
    # No django_db mark: any query, or even a BEGIN, would make pytest-django fail this test.
    response = client.get("/gezond/")
    assert response.status_code == 200
    assert response.content == b"ok"
