"""AUTH-09: a system-use notice on the login page; labelled fields with errors next to them."""

import pytest
from django.urls import reverse

from .helpers import post_password

pytestmark = pytest.mark.django_db


def test_login_page_shows_the_system_use_notice(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "restricted system for authorised users" in html
    assert "monitored and recorded" in html


def test_login_fields_are_labelled(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'for="id_login"' in html
    assert 'for="id_password"' in html


def test_login_errors_are_shown_and_the_email_is_kept(client):
    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password_error"' in html
    assert 'value="someone@example.org"' in html


def test_wrong_password_message_is_shown_with_the_notice(client):
    response = post_password(client, "someone@example.org", "wrong wrong wrong")
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert "restricted system for authorised users" in html
