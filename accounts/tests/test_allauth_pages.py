"""The allauth pages a newcomer and a signed-in user see use the product's own layout.

Each page: one h1 written by us (sentence case, none of allauth's Title Case headings), no
duplicate ids, the account menu on account-settings pages, and right to left in Arabic.
"""

import re
from collections import Counter
from pathlib import Path

import allauth
import pytest
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.template import RequestContext, engines
from django.template.base import Origin, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from testkit import factories
from testkit.personas import reauthenticate, sign_in

from .helpers import ensure_totp, post_password

pytestmark = pytest.mark.django_db

# allauth's own headings and labels; none may show on a product page.
ALLAUTH_TEXT = [
    "Two-Factor Authentication",
    "Activate Authenticator App",
    "Deactivate Authenticator App",
    "Authenticator App",
    "Manage Authenticator",
    "Recovery Codes",
    "Confirm Email Address",
    "Verify Your Email Address",
    "Confirm Access",
    "Sign Out",
    "Sign In",
    "Password Reset",
    "Change Password",
    "Bad Token",
    "Security Keys",
    "Add Security Key",
    "Email Addresses",
    "Email Address",
    "Started At",
    "IP Address",
    "Sign Out Other Sessions",
    "Please reauthenticate",
    "Hello from",
]

ACCOUNT_MENU = 'class="sidebar"'


def h1s(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", inner).strip() for inner in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)]


def duplicate_ids(html: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', html))
    return [name for name, count in counts.items() if count > 1]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def check_page(html: str, *, language: str, settings_page: bool, heading: str | None = None) -> None:
    assert h1s(html) and len(h1s(html)) == 1, h1s(html)
    if heading and language == "en":
        assert h1s(html) == [heading]
    assert not duplicate_ids(html), duplicate_ids(html)
    text = visible_text(html)
    for raw in ALLAUTH_TEXT:
        assert not re.search(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text), f"allauth text {raw!r} on the page"
    assert (ACCOUNT_MENU in html) is settings_page
    expected_dir = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{expected_dir}">' in html
    # The product layout: its header and footer surround every page.
    assert 'class="site-header"' in html and 'class="site-footer"' in html


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


LANGUAGES = ["en", "ar"]


@pytest.fixture
def officer():
    return factories.OfficerProfileFactory(verified=True).user


@pytest.mark.parametrize("language", LANGUAGES)
def test_totp_activation_page(language, officer):
    client = client_in(language)
    post_password(client, officer.email)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html, language=language, settings_page=True, heading="Set up an authenticator app")
    secret = response.context["form"].secret
    # The key for manual entry (read by the browser journey) and the QR code image.
    assert re.search(rf'<input id="authenticator_secret" type="text" value="{secret}" readonly', html)
    assert re.search(r'<img class="totp-qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert 'name="code"' in html


def test_a_wrong_totp_code_is_shown_with_the_product_error_pattern(officer):
    client = Client()
    post_password(client, officer.email)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'class="field has-error required"' in html
    check_page(html, language="en", settings_page=True)
    assert not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_recovery_codes_page_lists_the_codes(language, officer):
    ensure_totp(officer)
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    client = sign_in(client_in(language), officer)
    reauthenticate(client)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html, language=language, settings_page=True, heading="Recovery codes")
    for code in codes:
        assert f"<li><code>{code}</code></li>" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_sessions_page_names_the_devices(language, officer):
    here = sign_in(
        Client(
            HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
        ),
        officer,
    )
    here.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    phone = sign_in(
        Client(HTTP_USER_AGENT="Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"),
        officer,
    )
    here.get(reverse("accounts:profile"))
    phone.get(reverse("accounts:profile"))
    response = here.get(reverse("usersessions_list"))
    html = response.content.decode()
    check_page(html, language=language, settings_page=True, heading="Sessions")
    if language == "en":
        assert "Chrome on Windows" in html
        assert "Firefox on Android" in html
        assert "This device" in html
        # The raw header is not shown.
        assert "AppleWebKit" not in html
        # The mark sits on this browser's row, not the phone's.
        current_row = re.search(r'<tr class="session-current">(.*?)</tr>', html, re.S).group(1)
        assert "Chrome on Windows" in current_row
    assert 'name="csrfmiddlewaretoken"' in html and re.search(r"<button type=\"submit\">", html)


def test_sessions_page_with_one_session_offers_no_sign_out_of_others(officer):
    client = sign_in(Client(), officer)
    client.get(reverse("accounts:profile"))
    html = client.get(reverse("usersessions_list")).content.decode()
    assert "No other device is signed in." in html
    assert "Sign out all other devices" not in html


@pytest.mark.parametrize(
    ("url_name", "link"),
    [
        ("accounts:profile", "Profile"),
        ("usersessions_list", "Sessions"),
        ("mfa_index", "Two-factor authentication"),
        ("mfa_generate_recovery_codes", "Two-factor authentication"),
    ],
)
def test_the_account_menu_marks_the_page_shown(url_name, link, officer):
    client = sign_in(Client(), officer)
    reauthenticate(client)
    html = client.get(reverse(url_name)).content.decode()
    marked = re.findall(r'aria-current="page">([^<]+)</a>', html)
    assert marked == [link]


def test_password_change_page_speaks_sentence_case_and_links_the_reset_once(officer):
    client = sign_in(Client(), officer)
    reauthenticate(client)
    html = client.get(reverse("account_change_password")).content.decode()
    assert ">Current password:</label>" in html and ">New password (again):</label>" in html
    assert "Current Password" not in html
    assert html.count(reverse("account_reset_password")) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_mfa_overview_page(language, officer):
    client = sign_in(client_in(language), officer)
    html = client.get(reverse("mfa_index")).content.decode()
    check_page(html, language=language, settings_page=True, heading="Two-factor authentication")
    assert reverse("mfa_deactivate_totp") in html


def signed_in_pages(officer):
    """(name, url, settings page?, heading) for pages a signed-in officer sees."""
    return [
        ("mfa_deactivate_totp", reverse("mfa_deactivate_totp"), True, "Turn off the authenticator app"),
        ("mfa_generate_recovery_codes", reverse("mfa_generate_recovery_codes"), True, "Create new recovery codes"),
        ("mfa_list_webauthn", reverse("mfa_list_webauthn"), True, "Security keys"),
        ("mfa_add_webauthn", reverse("mfa_add_webauthn"), True, "Add a security key"),
        ("account_email", reverse("account_email"), True, "Email address"),
        ("account_logout", reverse("account_logout"), False, "Sign out"),
        ("account_reauthenticate", reverse("account_reauthenticate"), False, "Confirm it is you"),
        ("mfa_reauthenticate", reverse("mfa_reauthenticate"), False, "Confirm it is you"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_account_pages(language, officer):
    client = sign_in(client_in(language), officer)
    reauthenticate(client)
    for name, url, settings_page, heading in signed_in_pages(officer):
        response = client.get(url)
        assert response.status_code == 200, name
        check_page(response.content.decode(), language=language, settings_page=settings_page, heading=heading)


@pytest.mark.parametrize("language", LANGUAGES)
def test_second_factor_page_at_sign_in(language, officer):
    ensure_totp(officer)
    client = client_in(language)
    post_password(client, officer.email)
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    check_page(response.content.decode(), language=language, settings_page=False, heading="Enter your code")


@pytest.mark.parametrize("language", LANGUAGES)
def test_entrance_pages(language, officer):
    address = EmailAddress.objects.get_primary(officer) or EmailAddress.objects.create(
        user=officer, email=officer.email, primary=True, verified=False
    )
    uid = user_pk_to_url_str(officer)
    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(officer)
    pages = [
        (reverse("account_email_verification_sent"), "Check your email"),
        (reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]), "Confirm your email address"),
        (reverse("account_confirm_email", args=["not-a-key"]), "Confirm your email address"),
        (reverse("account_reset_password_done"), "Check your email"),
        (
            reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "bad-key"}),
            "This link no longer works",
        ),
        (reverse("account_reset_password_from_key_done"), "Password changed"),
    ]
    client = client_in(language)
    for url, heading in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode(), language=language, settings_page=False, heading=heading)
    # A valid reset link shows the new-password form (allauth moves the key into the session first).
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token}), follow=True)
    html = response.content.decode()
    check_page(html, language=language, settings_page=False, heading="Choose a new password")
    assert 'name="password1"' in html


def test_verified_email_required_page_keeps_the_account_menu(officer):
    request = RequestFactory().get("/")
    request.user = officer
    with translation.override("en"):
        html = render_to_string("account/verified_email_required.html", {"request": request}, request=request)
    check_page(html, language="en", settings_page=True, heading="Confirm your email address")


def test_the_checker_catches_allauth_s_own_page(officer):
    """Control: allauth's own template for the sessions page, with the same data, fails the checks."""
    client = sign_in(Client(), officer)
    client.get(reverse("accounts:profile"))
    response = client.get(reverse("usersessions_list"))
    context = {name: response.context[name] for name in ("sessions", "session_count", "show_last_seen_at", "form")}
    check_page(response.content.decode(), language="en", settings_page=True)
    name = "usersessions/usersession_list.html"
    path = Path(allauth.__file__).parent / "templates" / name
    template = Template(path.read_text(), origin=Origin(str(path), template_name=name), engine=engines["django"].engine)
    with allauth_context.request_context(response.wsgi_request):
        allauth_html = template.render(RequestContext(response.wsgi_request, context))
    with pytest.raises(AssertionError, match="allauth text|sidebar|True"):
        check_page(allauth_html, language="en", settings_page=True)
