"""An officer's identity never reaches a provider or an anonymous visitor (SECURITY.md AZ-03)."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from accounts.services import approve_officer, reject_officer
from testkit import factories
from testkit.personas import make_personas, sign_in
from testkit.urltable import all_expectations, build_world

pytestmark = pytest.mark.django_db

CANARY_FIELDS = ("full_name", "agency", "unit", "position", "reason", "email")


@pytest.fixture(autouse=True)
def _quiet_test_tooling():
    # factory_boy logs the values it builds: that is test tooling, not the application.
    logging.getLogger("factory").setLevel(logging.WARNING)


def seed_canary_officers(coordinator):
    """Officers in every vetting state whose every identifying field is a unique canary."""
    canaries = []
    officers = []
    for index, status in enumerate(["pending", "pending", "pending", "expired"]):
        tag = f"canary{index}zq"
        canaries += [f"{tag}name", f"{tag}agency", f"{tag}unit", f"{tag}position", f"{tag}reason", f"{tag}mail"]
        profile = factories.OfficerProfileFactory(
            user__full_name=f"Officer {tag}name",
            user__email=f"{tag}mail@police.example.org",
            agency=f"{tag}agency",
            unit=f"{tag}unit",
            position=f"{tag}position",
            reason=f"{tag}reason",
            status=status,
        )
        officers.append(profile)
    approve_officer(officers[1], by=coordinator)
    reject_officer(officers[2], by=coordinator, reason="Not an officer")
    return canaries, officers


def crawl(client, world):
    """GET every URL of the table; returns the bodies and headers seen."""
    seen = []
    for name, expect in sorted(all_expectations().items()):
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        response = client.get(url, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen.append((url, body.decode(errors="replace") + str(dict(response.headers))))
    return seen


@pytest.mark.parametrize("persona", ["anonymous", "provider_a"])
def test_no_officer_identity_reaches_providers_or_anonymous(client, caplog, persona):
    users = make_personas()
    world = build_world(users)
    canaries, _ = seed_canary_officers(users["coordinator"])
    # Officers' own mail (to their own addresses) is theirs to read; what matters is what
    # others receive, and the logs.
    mail.outbox.clear()
    caplog.set_level(logging.DEBUG)
    if users[persona] is not None:
        sign_in(client, users[persona])
    pages = crawl(client, world)
    leaks = [(url, canary) for url, text in pages for canary in canaries if canary in text]
    assert not leaks, f"officer identity leaked to {persona}: {leaks[:5]}"
    for message in mail.outbox:
        text = message.subject + message.body + " ".join(message.to)
        assert not any(canary in text for canary in canaries), "a canary reached an email"
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(canary in log_text for canary in canaries), "a canary reached the logs"


def test_decisions_email_only_the_officer_and_log_nothing_identifying(caplog, coordinator):
    caplog.set_level(logging.DEBUG)
    canaries, officers = seed_canary_officers(coordinator)
    for message in mail.outbox:
        # Each decision email goes to the officer concerned only, and names nobody.
        assert len(message.to) == 1
        assert not any(c in message.subject + message.body for c in canaries if not c.endswith("mail"))
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(canary in log_text for canary in canaries)
