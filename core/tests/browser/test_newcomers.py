"""Newcomers set up two-factor authentication in a real browser, as a browser behaves.

While the set-up page is open, a browser asks for /favicon.ico on its own and pages send
background requests (htmx, fetch). These used to be redirected to the set-up page, which made
a new secret each time: the QR code on screen went stale and every code was refused. Each
journey here fetches the icon and another URL from the set-up page before typing the code.

1. An officer registers, confirms the address, signs in and sets up TOTP.
2. A provider organisation's admin invites a colleague, who opens the emailed link, chooses a
   password, signs in, sets up TOTP and lands on the provider home.
3. The first coordinator, created with `manage.py createsuperuser` as README.md says, signs
   in, confirms the address, sets up TOTP and reaches the back office.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from terms.models import Audience
from testkit import factories

from .test_journeys import register_as_officer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETUP_PATH = re.compile(r"/accounts/2fa/totp/activate/$")
PASSWORD = "harbour-violet-pencil-crane-27"


@pytest.fixture(autouse=True)
def _emails_link_to_the_live_server(settings, live_server):
    # Links in emails come from SITE_URL: point it at the server the browser talks to, and
    # open the links exactly as emailed.
    settings.SITE_URL = live_server.url


def emailed_link(address: str, path_pattern: str) -> str:
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no email to {address}"
    match = re.search(rf"https?://\S+?{path_pattern}", messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def set_up_totp_as_a_browser_does(page, totp, expected_failures) -> str:
    """On the set-up page: the browser fetches the icon and a background URL, the page is
    reloaded; then the code from the secret on screen is typed and accepted."""
    page.wait_for_url(SETUP_PATH)
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret)

    icon = page.evaluate("fetch('/favicon.ico').then((r) => [r.status, r.redirected, r.headers.get('content-type')])")
    assert icon[0] == 200 and icon[1] is False and icon[2].startswith("image/"), icon
    # Refused on purpose until the factor is set up: 403, never a redirect to the set-up page.
    expected_failures.append(r"/home/$")
    background = page.evaluate("fetch('/home/').then((r) => [r.status, r.redirected, r.url])")
    assert background[:2] == [403, False], background
    page.reload()
    assert page.input_value("#authenticator_secret") == secret

    page.fill("input[name=code]", totp.code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert page.locator("main").get_by_text("Recovery codes", exact=False).count() > 0
    return secret


def confirm_address(page, address):
    page.goto(emailed_link(address, r"/accounts/confirm-email/[^/\s]+/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))


def sign_in_with_password(page, email, password):
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")


def test_a_registered_officer_sets_up_totp_while_the_browser_fetches_in_the_background(
    new_page, totp, expected_failures
):
    email = "ines.duarte@cyber.police.example.org"
    page = new_page()
    register_as_officer(
        page,
        full_name="Ines Duarte",
        email=email,
        password=PASSWORD,
        agency="Example Judicial Police",
        unit="Cybercrime Unit",
        country="PT",
        position="Inspector",
        reason="I triage seized devices and want to compare classification tools.",
    )

    confirm_address(page, email)
    sign_in_with_password(page, email, PASSWORD)
    set_up_totp_as_a_browser_does(page, totp, expected_failures)

    page.goto("/home/")
    assert page.url.endswith("/home/")
    assert "Awaiting vetting" in page.locator(".status-pending").inner_text()


def test_an_invited_provider_member_sets_up_totp_and_reaches_the_provider_home(new_page, totp, expected_failures):
    organisation = factories.OrganisationFactory(name="Northwind Forensics GmbH")
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True).user
    admin_secret = factories.add_totp(admin)
    provider_terms = factories.TermsDocumentFactory(audience=Audience.PROVIDERS)
    factories.TermsAcceptanceFactory(document=provider_terms, user=admin, organisation=organisation)

    # --- the organisation's admin invites a colleague ------------------------------------------
    boss = new_page()
    sign_in(boss, admin.email, factories.DEFAULT_PASSWORD, lambda: totp.code(admin_secret))
    boss.goto("/providers/organisation/")
    boss.fill("input[name=email]", "kim.colleague@northwind.example.com")
    boss.get_by_role("button", name="Send the invitation").click()
    boss.wait_for_url(re.compile(r"/providers/organisation/$"))

    # --- the colleague opens the emailed link, chooses a password and signs in ---------------
    link = emailed_link("kim.colleague@northwind.example.com", r"/providers/invitation/[^/\s]+/")
    member = new_page()
    member.goto(link)
    member.fill("input[name=full_name]", "Kim Colleague")
    member.fill("input[name=password1]", PASSWORD)
    member.fill("input[name=password2]", PASSWORD)
    member.press("input[name=password2]", "Enter")
    member.wait_for_url(re.compile(r"/accounts/login/$"))
    sign_in_with_password(member, "kim.colleague@northwind.example.com", PASSWORD)
    set_up_totp_as_a_browser_does(member, totp, expected_failures)

    member.goto("/home/")
    assert member.url.endswith("/home/")
    assert member.locator("main h1").inner_text() == "Northwind Forensics GmbH"
    assert member.get_by_role("link", name="Our tools").count() > 0


def test_the_first_coordinator_from_createsuperuser_sets_up_totp_and_reaches_the_back_office(
    new_page, totp, expected_failures, monkeypatch
):
    # As README.md documents it ("First coordinator"), without the prompts.
    email = "first.coordinator@coordinators.example.org"
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, email=email, full_name="First Coordinator", verbosity=0)
    user = User.objects.get(email=email)
    assert user.role == User.Role.COORDINATOR and user.is_staff and user.is_superuser

    page = new_page()
    page.goto("/accounts/login/")
    sign_in_with_password(page, email, PASSWORD)
    # The address was never confirmed: allauth sends the link first.
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    confirm_address(page, email)
    sign_in_with_password(page, email, PASSWORD)
    set_up_totp_as_a_browser_does(page, totp, expected_failures)

    page.goto("/home/")
    assert page.url.endswith("/home/")
    assert page.locator("main h1").inner_text() == "Back office"
    page.goto("/account/vetting/")
    assert page.url.endswith("/account/vetting/")
