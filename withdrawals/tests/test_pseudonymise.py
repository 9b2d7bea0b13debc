"""A departed organisation is pseudonymised by the worker once its retention period is over,
never before, exactly once, whatever the number of workers."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from moderation.models import Notice
from providers.models import Invitation, Organisation
from terms.models import TermsAcceptance
from testkit import factories
from testkit.personas import reauthenticate, sign_in
from withdrawals import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(tool, organisation, provider_admin, provider_member):
    """The organisation left the hub (with its published tool) and what it leaves behind."""
    factories.add_totp(provider_member)
    terms = factories.TermsDocumentFactory()
    TermsAcceptance.objects.create(
        document=terms, user=provider_admin, organisation=organisation, ip_address="203.0.113.7"
    )
    factories.InvitationFactory(organisation=organisation, email="invitee@provider.example.com")
    services.leave_hub(organisation, by=provider_admin, reason="Closing down.")
    organisation.refresh_from_db()
    return organisation


def left_days_ago(organisation, days):
    Organisation.objects.filter(pk=organisation.pk).update(departed_at=timezone.now() - timedelta(days=days))


def run_worker():
    call_command("run_worker", "--once")


def test_kept_as_is_until_the_retention_period_ends(departed, provider_member, settings):
    settings.PROVIDER_RETENTION_DAYS = 365
    left_days_ago(departed, 364)
    run_worker()
    departed.refresh_from_db()
    provider_member.refresh_from_db()
    assert departed.pseudonymised_at is None and departed.contact_email.endswith("@provider.example.com")
    assert provider_member.full_name.startswith("Test Person")
    assert not AuditEvent.objects.filter(action=Action.ORG_PSEUDONYMISED).exists()


def test_the_worker_pseudonymises_after_the_retention_period(
    departed, tool, provider_admin, provider_member, coordinator, settings
):
    settings.PROVIDER_RETENTION_DAYS = 30
    name, member_name, member_email = departed.name, provider_member.full_name, provider_member.email
    left_days_ago(departed, 31)

    run_worker()

    departed.refresh_from_db()
    assert departed.pseudonymised_at is not None
    assert departed.name == f"Former organisation {departed.public_id.hex[:8]}"
    assert (departed.website, departed.contact_name, departed.contact_email, departed.contact_phone) == ("",) * 4
    assert departed.departure_reason == ""
    assert departed.country.code == "DE" and departed.status == Organisation.Status.DEPARTED
    for user in (provider_admin, provider_member):
        user.refresh_from_db()
        assert user.full_name == f"Former member {user.public_id.hex[:8]}"
        assert user.email == f"former-member-{user.public_id.hex}@pseudonymised.invalid"
        assert not user.has_usable_password() and not user.is_active
        assert not EmailAddress.objects.filter(user=user).exists()
        assert not Authenticator.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(organisation=departed).exists()
    assert TermsAcceptance.objects.get(user=provider_admin).ip_address is None

    event = AuditEvent.objects.get(action=Action.ORG_PSEUDONYMISED)
    assert event.actor is None and event.target_id == str(departed.public_id)
    assert event.after["members"] == 2 and event.after["invitations_deleted"] == 1

    # What is kept: the tool (withdrawn) and its notice in the register, without the people.
    tool.refresh_from_db()
    assert tool.state == ToolState.WITHDRAWN and Notice.objects.filter(tool=tool).exists()
    client = sign_in(Client(), coordinator)
    reauthenticate(client)
    body = client.get(reverse("providers:review_detail", kwargs={"public_id": departed.public_id})).content.decode()
    assert "were pseudonymised on" in body
    for detail in (name, member_name, member_email, "Closing down."):
        assert detail not in body
    # The address is free again: the person may register anew.
    assert not User.objects.filter(email__iexact=member_email).exists()


def test_pseudonymised_exactly_once(departed, settings):
    settings.PROVIDER_RETENTION_DAYS = 30
    left_days_ago(departed, 31)
    assert services.pseudonymise_departed_organisations() == 1
    departed.refresh_from_db()
    first = (departed.name, departed.pseudonymised_at, departed.version)
    assert services.pseudonymise_departed_organisations() == 0
    run_worker()
    departed.refresh_from_db()
    assert (departed.name, departed.pseudonymised_at, departed.version) == first
    assert AuditEvent.objects.filter(action=Action.ORG_PSEUDONYMISED).count() == 1


def _a_late_worker(monkeypatch, departed):
    """A second worker that listed the organisation before the first one claimed it."""
    monkeypatch.setattr(
        services, "due_for_pseudonymisation", lambda now=None: Organisation.objects.filter(pk=departed.pk)
    )
    return services.pseudonymise_departed_organisations()


def test_a_worker_that_listed_the_row_before_another_claimed_it_does_nothing(departed, monkeypatch, settings):
    settings.PROVIDER_RETENTION_DAYS = 30
    left_days_ago(departed, 31)
    assert services.pseudonymise_departed_organisations() == 1
    assert _a_late_worker(monkeypatch, departed) == 0
    assert AuditEvent.objects.filter(action=Action.ORG_PSEUDONYMISED).count() == 1


def test_control_without_the_conditional_claim_the_work_is_done_twice(departed, monkeypatch, settings):
    """The test above fails when the claim stops being conditional: two events, two passes."""
    settings.PROVIDER_RETENTION_DAYS = 30
    left_days_ago(departed, 31)
    assert services.pseudonymise_departed_organisations() == 1
    monkeypatch.setattr(services, "_claim", lambda pk, now: True)
    assert _a_late_worker(monkeypatch, departed) == 1
    assert AuditEvent.objects.filter(action=Action.ORG_PSEUDONYMISED).count() == 2


@override_settings(PROVIDER_RETENTION_DAYS=0)
def test_organisations_that_never_left_are_never_touched(organisation, provider_admin):
    pending = factories.OrganisationFactory(status=Organisation.Status.PENDING)
    assert services.pseudonymise_departed_organisations() == 0
    for item in (organisation, pending):
        item.refresh_from_db()
        assert item.pseudonymised_at is None and not item.name.startswith("Former organisation")
