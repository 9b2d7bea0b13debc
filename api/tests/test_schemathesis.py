"""The API keeps to its OpenAPI document (SECURITY.md IN-03): schemathesis generates requests
for every operation from the document served by the live app and checks the answers."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from config.wsgi import application
from testkit import factories

from .helpers import build_catalogue

pytestmark = pytest.mark.django_db

EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}
CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
        ignored_auth,
    ],
    GenerationMode.NEGATIVE: [not_a_server_error, response_schema_conformance, negative_data_rejection],
}


@pytest.fixture
def schema(verified_officer):
    build_catalogue()
    # Called in-process, responses are not decompressed as an HTTP client would: ask for them plain
    # (compression itself is tested in core/tests/test_page_weight.py).
    headers = {
        "Authorization": f"Bearer {factories.make_api_token(verified_officer)}",
        "Accept-Encoding": "identity",
    }
    # Calling the WSGI application directly would close the test's database connection at
    # each request (Django's test client avoids this the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application), headers
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(schema):
    result = []
    for item in schema.get_all_operations():
        result.append(item.ok())
    return result


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_and_never_fails(schema, mode):
    loaded, headers = schema
    found = operations(loaded)
    assert {"/criteria", "/tools", "/tools/{slug}"} <= {operation.path for operation in found}
    for operation in found:
        if mode == GenerationMode.NEGATIVE and operation.path in ("/criteria", "/openapi.json"):
            continue  # nothing to get wrong: they take no parameters but a header

        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS[mode])

        check()


def test_the_run_would_catch_a_response_that_drifts_from_the_document(schema, monkeypatch):
    """Guard against a vacuous run: a view answering a field the document lacks fails the checks."""
    from api import views

    original = views.json_response

    def drifting(data, *args, **kwargs):
        if isinstance(data, dict) and "results" in data:
            data = {**data, "undocumented": True}
        return original(data, *args, **kwargs)

    monkeypatch.setattr(views, "json_response", drifting)
    loaded, headers = schema
    [operation] = [operation for operation in operations(loaded) if operation.path == "/tools"]

    @settings(max_examples=5, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers=headers, checks=[response_schema_conformance])

    with pytest.raises(FailureGroup) as caught:
        check()
    assert any("violates schema" in str(failure) for failure in caught.value.exceptions)
