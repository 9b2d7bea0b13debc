"""No "Successfully signed in" while the person is still blocked; allauth's emails name the hub."""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account import adapter as adapter_module
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.template import engines
from django.test import Client
from django.urls import reverse

from testkit import factories
from testkit.navigation import PAGE_LOAD
from testkit.personas import reauthenticate, sign_in

from .helpers import LOGIN_URL, ensure_totp, post_code, totp_code
from .test_registration import SIGNUP, signup_data

pytestmark = pytest.mark.django_db

LOCAL_HOST = "127.0.0.1:8811"


def signed_in_message_shown(html: str) -> bool:
    """Whether the page's messages say the person is signed in (other messages may be there)."""
    block = re.search(r'<div class="messages".*?</div>', html, re.S)
    return block is not None and "signed in" in block.group(0).lower()


def test_no_signed_in_message_on_the_two_factor_set_up_page(client):
    officer = factories.OfficerProfileFactory(verified=True).user
    response = client.post(
        LOGIN_URL, {"login": officer.email, "password": factories.DEFAULT_PASSWORD}, follow=True, **PAGE_LOAD
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert not signed_in_message_shown(response.content.decode())


def test_no_signed_in_message_after_the_code_either(client):
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = ensure_totp(officer)
    html = client.post(
        LOGIN_URL, {"login": officer.email, "password": factories.DEFAULT_PASSWORD}, follow=True, **PAGE_LOAD
    )
    assert not signed_in_message_shown(html.content.decode())
    page = post_code(client, totp_code(secret), follow=True)
    assert page.status_code == 200
    assert not signed_in_message_shown(page.content.decode())


def test_the_message_check_sees_allauth_s_message(client, monkeypatch):
    """Control: with allauth's own message template, the same sign-in shows the message."""
    original = (Path(allauth.__file__).parent / "templates" / "account" / "messages" / "logged_in.txt").read_text()
    product_render = adapter_module.render_to_string

    def render_allauth_message(template_name, context=None, request=None):
        if template_name == "account/messages/logged_in.txt":
            return engines["django"].from_string(original).render(context, request)
        return product_render(template_name, context, request)

    monkeypatch.setattr(adapter_module, "render_to_string", render_allauth_message)
    officer = factories.OfficerProfileFactory(verified=True).user
    response = client.post(
        LOGIN_URL, {"login": officer.email, "password": factories.DEFAULT_PASSWORD}, follow=True, **PAGE_LOAD
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert signed_in_message_shown(response.content.decode())


def email_problems(message: EmailMessage) -> list[str]:
    """What is wrong with an email's wording: it must name the hub and not the server it ran on."""
    problems = []
    if not message.subject.startswith("[SaferHub] "):
        problems.append(f"subject {message.subject!r} does not name SaferHub")
    if "SaferHub" not in message.body:
        problems.append("body does not name SaferHub")
    # Links are built elsewhere (SITE_URL); the words around them must not name a host.
    words = re.sub(r"https?://\S+", "", message.subject + "\n" + message.body)
    for wrong in ("Hello from", "example.com", "127.0.0.1", "testserver", "Thank you for using"):
        if wrong in words:
            problems.append(f"{wrong!r} in the text")
    if "{%" in message.body or "{{" in message.body:
        problems.append("template syntax left in the body")
    return problems


def only_message_to(address: str) -> EmailMessage:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_registration_confirmation_email_names_the_hub():
    client = Client(HTTP_HOST=LOCAL_HOST)
    client.post(SIGNUP, signup_data())
    message = only_message_to("ana@police.example.gov")
    assert email_problems(message) == []
    assert message.subject == "[SaferHub] Confirm your email address"
    assert re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert settings.SITE_URL in message.body


def test_email_change_confirmation_email_names_the_hub(verified_officer):
    browser = sign_in(Client(HTTP_HOST=LOCAL_HOST), verified_officer)
    reauthenticate(browser)
    mail.outbox.clear()
    browser.post(reverse("account_email"), {"action_add": "", "email": "new.address@police.example.gov"})
    message = only_message_to("new.address@police.example.gov")
    assert email_problems(message) == []
    assert re.search(r"/accounts/confirm-email/\S+/", message.body)


def test_password_reset_email_names_the_hub(verified_officer):
    Client(HTTP_HOST=LOCAL_HOST).post(reverse("account_reset_password"), {"email": verified_officer.email})
    message = only_message_to(verified_officer.email)
    assert email_problems(message) == []
    assert message.subject == "[SaferHub] Reset your password"
    assert re.search(r"/accounts/password/reset/key/\S+/", message.body)


def test_unknown_account_email_names_the_hub():
    Client(HTTP_HOST=LOCAL_HOST).post(reverse("account_reset_password"), {"email": "nobody@police.example.gov"})
    message = only_message_to("nobody@police.example.gov")
    assert email_problems(message) == []


def test_account_already_exists_email_names_the_hub(verified_officer):
    Client(HTTP_HOST=LOCAL_HOST).post(SIGNUP, signup_data(email=verified_officer.email))
    message = only_message_to(verified_officer.email)
    assert email_problems(message) == []
    assert re.search(r"/accounts/password/reset/", message.body)


def test_the_email_check_catches_allauth_s_wording():
    """Control: allauth's own greeting and sign-off, as the local server sent them, are caught."""
    allauth_style = EmailMessage(
        subject="[127.0.0.1:8811] Please Confirm Your Email Address",
        body=f"Hello from {LOCAL_HOST}!\n\nTo confirm this is correct, go to http://{LOCAL_HOST}/x/\n\n"
        f"Thank you for using {LOCAL_HOST}!\n{LOCAL_HOST}",
        to=["a@b.invalid"],
    )
    problems = email_problems(allauth_style)
    assert any("subject" in problem for problem in problems)
    assert "'Hello from' in the text" in problems
    assert "'127.0.0.1' in the text" in problems
