"""New terms apply at once on every process (issue 13 hole 9): a request served by another
process while `load_terms` commits reads the old documents; it must not keep them cached for
the next five minutes under the new generation.

The racing request runs on a second database connection (a thread), so it sees only what is
committed, as another server process would. SQLite's in-memory test database cannot serve a
reader while a writer holds it, so this runs on PostgreSQL (the CI's second pass)."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from terms import services
from terms.models import Audience

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second connection during a commit"),
]


def request_on_another_process() -> list[tuple[str, int]]:
    seen = []

    def serve():
        try:
            seen.extend(services.current_document_ids())
        finally:
            connection.close()

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join(timeout=30)
    return seen


def load(version: str):
    return services.load_terms(
        audience=Audience.PROVIDERS,
        version=version,
        effective_from=datetime.date(2020, 1, 1),
        title=f"Terms {version}",
        body="Demo text.",
    )


def race() -> tuple[int, list, list]:
    load("1.0")
    services.current_document_ids()  # cached, as after any request
    with transaction.atomic():
        new = load("2.0")
        during = request_on_another_process()
    return new.pk, during, services.current_document_ids()


def test_a_request_during_the_commit_does_not_keep_the_old_terms():
    new_pk, during, after = race()
    assert (Audience.PROVIDERS, new_pk) not in during  # it could not see the uncommitted version
    assert (Audience.PROVIDERS, new_pk) in after


def test_control_bumping_only_before_the_commit_keeps_the_old_terms(monkeypatch):
    monkeypatch.setattr(services.transaction, "on_commit", lambda func: None)
    new_pk, _during, after = race()
    assert (Audience.PROVIDERS, new_pk) not in after
