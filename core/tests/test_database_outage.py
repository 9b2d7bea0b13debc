"""A database that is restarting or unreachable answers a clear 503, never a 500 or a trace
(issue 13, SECURITY.md REL-03), and the next request after it is back is served as usual.

The outage is simulated in process: every query fails the way psycopg fails while PostgreSQL
restarts. `deploy/cluster_test.py` restarts a real PostgreSQL under gunicorn."""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.outage import is_database_outage
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

REFUSAL = "terminating connection due to administrator command 5e1f"
# The test runs inside a transaction: Django's own savepoints around a failed block must still
# work, or the test could not read the database afterwards. Every other statement fails.
SAVEPOINT_SQL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def failing_queries(error: Exception):
    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(SAVEPOINT_SQL):
            return execute(sql, params, many, context)
        raise error

    return wrapper


refuse_queries = failing_queries(OperationalError(REFUSAL))


@pytest.fixture
def officer_client(verified_officer):
    # Django's test client re-raises a view's exception by default; a browser gets the response.
    return sign_in(Client(raise_request_exception=False), verified_officer)


def assert_unavailable_page(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "The hub is briefly unavailable" in body
    assert "Please try again in a minute." in body
    assert 'href="/static/css/app.css"' in body  # styled like the hub, not a bare error
    for leak in (REFUSAL, "Traceback", "OperationalError", "File &quot;", "psycopg"):
        assert leak not in body
    return body


def test_a_signed_in_page_answers_503_while_the_database_is_away_then_recovers(officer_client):
    url = reverse("discovery:catalogue")
    with connection.execute_wrapper(refuse_queries):
        response = officer_client.get(url, {"q": "lens"})
    body = assert_unavailable_page(response)
    assert '<html lang="en" dir="ltr">' in body
    assert 'href="/tools/?q=lens"' in body  # "Try again" returns to the same page
    # Back: the same session continues, nothing was restarted.
    assert officer_client.get(url).status_code == 200


def test_the_page_is_in_the_visitors_language(officer_client):
    with connection.execute_wrapper(refuse_queries):
        response = officer_client.get(reverse("discovery:catalogue"), headers={"accept-language": "ar"})
    body = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="ar" dir="rtl">' in body
    with translation.override("ar"):
        assert gettext("The hub is briefly unavailable") in body
        assert gettext("The hub is briefly unavailable") != "The hub is briefly unavailable"
    assert "Traceback" not in body


def test_a_form_post_answers_503_too(verified_officer):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_queries):
        response = client.post(
            reverse("account_login"), {"login": verified_officer.email, "password": factories.DEFAULT_PASSWORD}
        )
    assert_unavailable_page(response)


def test_the_api_answers_503_in_json(verified_officer):
    token = factories.make_api_token(verified_officer)
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/api/v1/tools", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {"error": "The hub is briefly unavailable. Please try again in a minute."}
    assert client.get("/api/v1/tools", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_health_says_the_database_is_unavailable():
    with connection.execute_wrapper(refuse_queries):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_the_log_says_so_in_one_line_without_a_trace(officer_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"), connection.execute_wrapper(refuse_queries):
        officer_client.get(reverse("discovery:catalogue"))
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert record.getMessage() == (f"Service Unavailable: /tools/ (database unavailable: OperationalError: {REFUSAL})")


def test_only_database_errors_count_as_an_outage():
    assert is_database_outage(OperationalError("could not connect"))
    assert is_database_outage(InterfaceError("connection already closed"))
    try:
        try:
            raise OperationalError("server closed the connection")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as chained:
        assert is_database_outage(chained)
    assert not is_database_outage(ValueError("a bug"))
    assert not is_database_outage(None)


def test_control_any_other_error_is_still_the_500_page(officer_client):
    """The same failure with an error that is not the database's (a bug) stays a 500."""
    with connection.execute_wrapper(failing_queries(ZeroDivisionError("a bug"))):
        response = officer_client.get(reverse("discovery:catalogue"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
