import pytest

pytestmark = pytest.mark.django_db


def test_landing_page_is_public(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_health_reports_database_without_data(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
