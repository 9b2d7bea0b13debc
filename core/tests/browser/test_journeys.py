"""End-to-end journeys in a real browser (Chromium through Playwright).

1. An officer registers, confirms the email, sets up TOTP, accepts the terms and waits on
   the vetting status; a coordinator signs in with TOTP and approves; the officer signs in
   again and is verified.
2. The landing page in Arabic renders right to left (screenshot in test-artifacts/).
"""

import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import OfficerProfile, User
from terms.models import Audience
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_EMAIL = "lena.marsh@cyber.police.example.org"
OFFICER_PASSWORD = "quiet-river-copper-lantern-81"


def accept_terms_if_asked(page):
    if "/terms/accept/" in page.url:
        page.check("input[name=agree]")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/home/$"))


def register_as_officer(page, *, full_name, email, password, agency, unit, country, position, reason):
    """Fill in and send the officer registration form; ends on 'confirm your address'."""
    page.goto("/accounts/signup/")
    page.fill("input[name=full_name]", full_name)
    page.fill("input[name=email]", email)
    page.fill("input[name=agency]", agency)
    page.fill("input[name=unit]", unit)
    page.select_option("select[name=country]", country)
    page.fill("input[name=position]", position)
    page.fill("textarea[name=reason]", reason)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.press("input[name=password2]", "Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))


def sign_in(page, email, password, code_for):
    """Password, then the TOTP code; `code_for()` is called only when the code is asked."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.fill("input[name=code]", code_for())
    page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/(home|terms/accept)/$"))
    accept_terms_if_asked(page)


def sign_out(page):
    page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def reauthenticate_if_asked(page, password, code_for):
    if "/reauthenticate/" not in page.url:
        return
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", code_for())
        page.press("input[name=code]", "Enter")
    else:
        page.fill("input[name=password]", password)
        page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def test_officer_registers_and_is_approved_by_a_coordinator(new_page, totp):
    for audience in (Audience.LAW_ENFORCEMENT, Audience.DATA_PROTECTION):
        factories.TermsDocumentFactory(audience=audience, title=f"Terms for {audience}")
    coordinator = factories.CoordinatorFactory(email="coordinator@coordinators.example.org")
    coordinator_secret = factories.add_totp(coordinator)

    # --- the officer registers ------------------------------------------------------------
    officer = new_page()
    register_as_officer(
        officer,
        full_name="Lena Marsh",
        email=OFFICER_EMAIL,
        password=OFFICER_PASSWORD,
        agency="Example Federal Police",
        unit="Online Child Protection Unit",
        country="IE",
        position="Detective",
        reason="I identify victims in seized material and want to compare triage tools.",
    )

    # --- confirms the address from the email --------------------------------------------
    (message,) = [m for m in mail.outbox if OFFICER_EMAIL in m.to]
    link = re.search(r"https?://\S+?(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert link, message.body
    officer.goto(link.group(1))
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(re.compile(r"/accounts/login/$"))

    # --- signs in with the password and is sent to TOTP set-up ---------------------------
    officer.fill("input[name=login]", OFFICER_EMAIL)
    officer.fill("input[name=password]", OFFICER_PASSWORD)
    officer.press("input[name=password]", "Enter")
    officer.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = officer.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret)
    officer.fill("input[name=code]", totp.code(secret))
    officer.press("input[name=code]", "Enter")
    officer.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))

    # --- accepts the terms and waits on the vetting status --------------------------------
    officer.goto("/home/")
    assert "/terms/accept/" in officer.url
    accept_terms_if_asked(officer)
    status = officer.locator(".status-pending")
    assert status.is_visible()
    assert "Awaiting vetting" in status.inner_text()
    sign_out(officer)

    # --- a coordinator signs in with TOTP and approves ------------------------------------
    boss = new_page()
    sign_in(boss, coordinator.email, factories.DEFAULT_PASSWORD, lambda: totp.code(coordinator_secret))
    boss.goto("/account/vetting/")
    # The queue names officers: the coordinator confirms it is them first.
    reauthenticate_if_asked(boss, factories.DEFAULT_PASSWORD, lambda: totp.code(coordinator_secret))
    boss.wait_for_url(re.compile(r"/account/vetting/$"))
    boss.get_by_role("link", name="Lena Marsh").click()
    boss.wait_for_url(re.compile(r"/account/vetting/[0-9a-f-]{36}/$"))
    boss.check("input[name=decision][value=approve]")
    boss.locator("form[action$='/decide/'] button[type=submit]").click()
    boss.wait_for_load_state()
    reauthenticate_if_asked(boss, factories.DEFAULT_PASSWORD, lambda: totp.code(coordinator_secret))
    boss.wait_for_url(re.compile(r"/account/vetting/$"))
    assert "Lena Marsh" not in boss.locator("main").inner_text()
    profile = OfficerProfile.objects.get(user__email=OFFICER_EMAIL)
    assert profile.status == OfficerProfile.Status.VERIFIED
    assert profile.decided_by == User.objects.get(email=coordinator.email)
    assert any(OFFICER_EMAIL in m.to and "approved" in m.subject.lower() for m in mail.outbox)

    # --- the officer signs in again (a fresh code) and is verified -------------------------
    officer.goto("/")
    sign_in(officer, OFFICER_EMAIL, OFFICER_PASSWORD, lambda: totp.code(secret))
    assert officer.url.endswith("/home/")
    assert officer.locator(".status-verified").is_visible()
    assert officer.locator(".status-pending").count() == 0


def test_landing_page_in_arabic_is_right_to_left(new_page):
    page = new_page()
    page.goto("/")
    assert page.get_attribute("html", "dir") == "ltr"
    actions = page.locator(".hero .actions a")
    assert actions.first.bounding_box()["x"] < actions.last.bounding_box()["x"]
    page.select_option("#language-select", "ar")
    page.locator("form.language-form button[type=submit]").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")

    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The layout flows from the right: the first action button sits right of the last one,
    # and both stay inside the viewport.
    actions = page.locator(".hero .actions a")
    first, last = actions.first.bounding_box(), actions.last.bounding_box()
    assert first["x"] > last["x"]
    assert last["x"] >= 0 and first["x"] + first["width"] <= page.viewport_size["width"]

    artifacts = settings.BASE_DIR / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    path = artifacts / "home-ar.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
