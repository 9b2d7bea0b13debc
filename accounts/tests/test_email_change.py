"""Changing the email address: re-authentication, confirmation, then the new address signs in."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import sign_in

from .helpers import ensure_totp, full_login, is_signed_in

pytestmark = pytest.mark.django_db

NEW = "new.address@police.example.gov"


def test_email_change_after_confirmation_moves_the_login(verified_officer):
    ensure_totp(verified_officer)
    browser = sign_in(Client(), verified_officer)
    browser.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    mail.outbox.clear()
    browser.post(reverse("account_email"), {"action_add": "", "email": NEW})
    (message,) = [m for m in mail.outbox if m.to == [NEW]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    assert User.objects.get(pk=verified_officer.pk).email != NEW  # not before confirmation
    browser.post(link)
    user = User.objects.get(pk=verified_officer.pk)
    assert user.email == NEW
    assert AuditEvent.objects.filter(action=Action.EMAIL_CHANGED, target_id=str(user.public_id)).exists()
    fresh = Client()
    full_login(fresh, user)
    assert is_signed_in(fresh)
