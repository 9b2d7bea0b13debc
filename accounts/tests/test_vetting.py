"""Vetting (issue 2): queue, allow-listed domains, decisions, stale decisions, expiry and renewal."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import rules
from accounts.models import OfficerProfile
from accounts.services import expire_verifications
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def coordinator_client(coordinator=None):
    coordinator = coordinator or factories.CoordinatorFactory()
    browser = sign_in(Client(), coordinator)
    response = browser.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    return browser


def decide(browser, profile, decision, reason="", version=None):
    profile.refresh_from_db()
    return browser.post(
        reverse("accounts:vetting_decide", args=[profile.user.public_id]),
        {"decision": decision, "reason": reason, "version": version or profile.version_token()},
    )


def test_queue_lists_only_confirmed_pending_applicants_oldest_first_with_age(django_assert_max_num_queries):
    with time_machine.travel(START, tick=False) as clock:
        older = factories.OfficerProfileFactory(user__full_name="Older Applicant")
        clock.shift(dt.timedelta(days=3))
        newer = factories.OfficerProfileFactory(user__full_name="Newer Applicant")
        unconfirmed = factories.OfficerProfileFactory(
            user__full_name="Unconfirmed Applicant", user__verified_email=False
        )
        EmailAddress.objects.create(user=unconfirmed.user, email=unconfirmed.user.email, verified=False)
        factories.OfficerProfileFactory(verified=True, user__full_name="Already Verified")
        factories.OfficerProfileFactory(status=OfficerProfile.Status.REJECTED, user__full_name="Rejected One")
        for n in range(5):
            factories.OfficerProfileFactory(user__full_name=f"Extra Applicant {n}")
        clock.shift(dt.timedelta(days=2))
        browser = sign_in(Client(), factories.CoordinatorFactory())
        reauthenticate(browser)  # the queue names officers
        with django_assert_max_num_queries(19):  # 16 with the header's unread count, and the audit event
            response = browser.get(reverse("accounts:vetting_queue"))
    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["profile"] for row in rows[:2]] == [older, newer]
    assert rows[0]["age_days"] == 5 and rows[1]["age_days"] == 2
    assert "5 days" in html
    assert html.index("Older Applicant") < html.index("Newer Applicant")
    for absent in ["Unconfirmed Applicant", "Already Verified", "Rejected One"]:
        assert absent not in html


def test_allow_listed_domain_is_marked_but_not_decided():
    factories.AllowedDomainFactory(domain="police.example.gov")
    listed = factories.OfficerProfileFactory(user__email="ana@police.example.gov")
    other = factories.OfficerProfileFactory(user__email="bob@gmail.example.com")
    browser = sign_in(Client(), factories.CoordinatorFactory())
    reauthenticate(browser)
    rows = {row["profile"]: row for row in browser.get(reverse("accounts:vetting_queue")).context["rows"]}
    assert rows[listed]["allowlisted"] is True
    assert rows[other]["allowlisted"] is False
    listed.refresh_from_db()
    assert listed.status == OfficerProfile.Status.PENDING
    assert (
        "Listed agency domain"
        in browser.get(reverse("accounts:vetting_detail", args=[listed.user.public_id])).content.decode()
    )


def test_coordinators_manage_the_domain_list():
    browser = coordinator_client()
    response = browser.post(
        reverse("accounts:allowed_domains"), {"domain": "@Police.Example.GOV", "agency": "EP", "rule": "mark"}
    )
    assert response.status_code == 302
    item = factories.AllowedDomain.objects.get()
    assert item.domain == "police.example.gov"
    bad = browser.post(reverse("accounts:allowed_domains"), {"domain": "not a domain", "agency": "EP"})
    assert bad.status_code == 400
    assert 'value="not a domain"' in bad.content.decode()
    browser.post(reverse("accounts:allowed_domain_delete", args=[item.pk]))
    assert not factories.AllowedDomain.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DOMAIN_ADDED).exists()
    assert AuditEvent.objects.filter(action=Action.DOMAIN_REMOVED).exists()


def test_approval_verifies_emails_and_audits(settings):
    settings.OFFICER_VERIFICATION_MONTHS = 12
    profile = factories.OfficerProfileFactory()
    coordinator = factories.CoordinatorFactory()
    browser = coordinator_client(coordinator)
    with time_machine.travel(START, tick=False):
        mail.outbox.clear()
        assert decide(browser, profile, "approve").status_code == 302
        profile.refresh_from_db()
        assert profile.status == OfficerProfile.Status.VERIFIED
        assert rules.is_verified_officer(profile.user)
        assert abs((profile.verified_until - START).days - 365) <= 1
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    event = AuditEvent.objects.get(action=Action.OFFICER_APPROVED)
    assert event.actor == coordinator and event.target_id == str(profile.user.public_id)
    assert event.before["status"] == "pending" and event.after["status"] == "verified"


def test_rejection_needs_a_reason_that_reaches_the_applicant():
    profile = factories.OfficerProfileFactory()
    browser = coordinator_client()
    response = decide(browser, profile, "reject", reason="")
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    mail.outbox.clear()
    decide(browser, profile, "reject", reason="We could not confirm your unit with your agency.")
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.REJECTED
    (message,) = mail.outbox
    assert message.to == [profile.user.email]
    assert "We could not confirm your unit with your agency." in message.body
    assert AuditEvent.objects.filter(action=Action.OFFICER_REJECTED).count() == 1


def test_a_second_coordinator_deciding_a_stale_application_changes_nothing():
    profile = factories.OfficerProfileFactory()
    first, second = coordinator_client(), coordinator_client()
    stale_version = profile.version_token()
    decide(first, profile, "approve", version=stale_version)
    mail.outbox.clear()
    response = decide(second, profile, "reject", reason="Not police.", version=stale_version)
    assert response.status_code == 302
    page = second.get(response["Location"])
    assert "decided on this application meanwhile" in page.content.decode()
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.VERIFIED
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action__in=[Action.OFFICER_APPROVED, Action.OFFICER_REJECTED]).count() == 1
    # The same coordinator submitting twice does not apply the decision twice either.
    assert decide(first, profile, "approve", version=stale_version).status_code == 302
    assert AuditEvent.objects.filter(action=Action.OFFICER_APPROVED).count() == 1


def test_only_coordinators_decide(verified_officer):
    profile = factories.OfficerProfileFactory()
    browser = sign_in(Client(), verified_officer)
    browser.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert decide(browser, profile, "approve").status_code == 403
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.PENDING


@pytest.mark.parametrize("months", [12, 3])
def test_verification_expires_is_emailed_renewed_and_approved_again(settings, months):
    settings.OFFICER_VERIFICATION_MONTHS = months
    profile = factories.OfficerProfileFactory()
    coordinator = factories.CoordinatorFactory()
    with time_machine.travel(START, tick=False) as clock:
        decide(coordinator_client(coordinator), profile, "approve")
        profile.refresh_from_db()
        days = (profile.verified_until - START).days
        assert abs(days - months * 30.44) <= 1

        clock.shift(dt.timedelta(days=days - 1))
        assert expire_verifications() == 0
        clock.shift(dt.timedelta(days=2))
        mail.outbox.clear()
        assert expire_verifications() == 1
        assert expire_verifications() == 0  # a second run changes nothing and sends nothing
        profile.refresh_from_db()
        assert profile.status == OfficerProfile.Status.EXPIRED
        assert [m.to for m in mail.outbox] == [[profile.user.email]]
        assert not rules.is_verified_officer(profile.user)
        from notifications.models import Notification

        assert Notification.objects.filter(user=profile.user, message_key="verification_expired").count() == 1

        officer = sign_in(Client(), profile.user)
        page = officer.get(reverse("accounts:profile"))
        assert "Request renewal" in page.content.decode()
        assert officer.post(reverse("accounts:request_renewal")).status_code == 302
        profile.refresh_from_db()
        assert profile.renewal_requested_at is not None

        browser = coordinator_client(coordinator)
        queue = browser.get(reverse("accounts:vetting_queue"))
        assert profile in [row["profile"] for row in queue.context["rows"]]
        assert "Renewal" in queue.content.decode()
        decide(browser, profile, "approve")
        profile.refresh_from_db()
        assert profile.status == OfficerProfile.Status.VERIFIED
        assert profile.renewal_requested_at is None
        assert rules.is_verified_officer(profile.user)
    assert AuditEvent.objects.filter(action=Action.OFFICER_EXPIRED).count() == 1
    assert AuditEvent.objects.filter(action=Action.OFFICER_RENEWAL_REQUESTED).count() == 1


def test_a_pending_officer_cannot_request_renewal(pending_officer):
    browser = sign_in(Client(), pending_officer)
    assert browser.post(reverse("accounts:request_renewal")).status_code == 403
