"""Agency domains as rules (issue 14): a domain's applicants can be fast-tracked to the top of
the vetting queue, or need the approval of two different coordinators."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import AllowedDomain, OfficerProfile
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


def coordinator_client(coordinator=None):
    browser = sign_in(Client(), coordinator or factories.CoordinatorFactory())
    reauthenticate(browser)
    return browser


def decide(browser, profile, decision="approve", reason=""):
    profile.refresh_from_db()
    return browser.post(
        reverse("accounts:vetting_decide", args=[profile.user.public_id]),
        {"decision": decision, "reason": reason, "version": profile.version_token()},
        follow=True,
    )


def test_fast_tracked_domain_puts_its_applicants_first_however_recent():
    factories.AllowedDomainFactory(domain="fast.example.gov", rule=AllowedDomain.Rule.FAST_TRACK)
    factories.AllowedDomainFactory(domain="marked.example.gov", rule=AllowedDomain.Rule.MARK)
    with time_machine.travel(START, tick=False) as clock:
        oldest = factories.OfficerProfileFactory(user__email="a@gmail.example.com", user__full_name="Oldest Plain")
        clock.shift(dt.timedelta(days=1))
        marked = factories.OfficerProfileFactory(user__email="b@marked.example.gov", user__full_name="Marked Middle")
        clock.shift(dt.timedelta(days=1))
        newest = factories.OfficerProfileFactory(user__email="c@fast.example.gov", user__full_name="Newest Fast")
        clock.shift(dt.timedelta(days=1))
        html = coordinator_client().get(reverse("accounts:vetting_queue")).content.decode()
    assert html.index("Newest Fast") < html.index("Oldest Plain") < html.index("Marked Middle")
    assert "Fast-tracked" in html
    assert {oldest, marked, newest}


def test_second_approval_domain_needs_two_different_coordinators():
    factories.AllowedDomainFactory(domain="two.example.gov", rule=AllowedDomain.Rule.SECOND_APPROVAL)
    profile = factories.OfficerProfileFactory(user__email="ana@two.example.gov")
    first, second = factories.CoordinatorFactory(full_name="First Coord"), factories.CoordinatorFactory()
    first_browser = coordinator_client(first)
    mail.outbox.clear()

    response = decide(first_browser, profile)
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.PENDING
    assert profile.first_approval == first
    assert "second coordinator" in response.content.decode()
    assert mail.outbox == []  # the applicant hears only of the final decision
    assert AuditEvent.objects.filter(action=Action.OFFICER_FIRST_APPROVAL, actor=first).exists()
    assert not AuditEvent.objects.filter(action=Action.OFFICER_APPROVED).exists()

    # The same coordinator cannot give the second approval.
    response = decide(first_browser, profile)
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.PENDING
    assert "Another coordinator must give the second one" in response.content.decode()

    detail = coordinator_client(second).get(reverse("accounts:vetting_detail", args=[profile.user.public_id]))
    assert "First Coord approved this application" in detail.content.decode()
    decide(coordinator_client(second), profile)
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.VERIFIED
    assert profile.first_approval is None
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    assert AuditEvent.objects.get(action=Action.OFFICER_APPROVED).actor == second


def test_a_first_approval_lapses_when_the_application_changes():
    factories.AllowedDomainFactory(domain="two.example.gov", rule=AllowedDomain.Rule.SECOND_APPROVAL)
    profile = factories.OfficerProfileFactory(user__email="ana@two.example.gov")
    first = factories.CoordinatorFactory()
    decide(coordinator_client(first), profile)
    profile.refresh_from_db()
    assert profile.first_approval == first
    # The applicant changes agency: the details the first coordinator approved are gone.
    sign_in(Client(), profile.user).post(
        reverse("accounts:profile"),
        {
            "full_name": profile.user.full_name,
            "agency": "Another Agency",
            "unit": profile.unit,
            "country": str(profile.country),
            "position": profile.position,
        },
    )
    profile.refresh_from_db()
    assert profile.agency == "Another Agency"
    assert profile.first_approval is None
    decide(coordinator_client(), profile)
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.PENDING  # a first approval again, not the second


def test_a_marked_domain_is_verified_by_one_coordinator():
    """The control: without the rule, one approval verifies."""
    factories.AllowedDomainFactory(domain="marked.example.gov", rule=AllowedDomain.Rule.MARK)
    profile = factories.OfficerProfileFactory(user__email="ana@marked.example.gov")
    decide(coordinator_client(), profile)
    profile.refresh_from_db()
    assert profile.status == OfficerProfile.Status.VERIFIED


def test_coordinators_change_a_domains_rule_audited():
    item = factories.AllowedDomainFactory(domain="x.example.gov")
    browser = coordinator_client()
    response = browser.post(reverse("accounts:allowed_domain_rule", args=[item.pk]), {"rule": "second_approval"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rule == AllowedDomain.Rule.SECOND_APPROVAL
    event = AuditEvent.objects.get(action=Action.DOMAIN_RULE_CHANGED)
    assert event.before == {"domain": "x.example.gov", "rule": "mark"} and event.after == {"rule": "second_approval"}
    bad = browser.post(reverse("accounts:allowed_domain_rule", args=[item.pk]), {"rule": "everyone_in"}, follow=True)
    assert "Choose one of the rules" in bad.content.decode()
    item.refresh_from_db()
    assert item.rule == AllowedDomain.Rule.SECOND_APPROVAL
    page = browser.get(reverse("accounts:allowed_domains")).content.decode()
    assert '<option value="second_approval" selected>' in page
