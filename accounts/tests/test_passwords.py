"""AUTH-04: length-based password rules, no composition rules, Argon2 in production."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .test_registration import signup_data

pytestmark = pytest.mark.django_db


def errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


@pytest.mark.parametrize(
    "password",
    [
        "horse river lamp",  # 16 lower-case letters and spaces: no composition rules
        "abcdefghijkm",  # exactly 12
        "a quiet walk along the northern canal at dawn with coffee and a dog",  # > 64
        "x" * 5 + " seventy-two characters are fine for a long and memorable pass-phrase" + "y" * 3,
    ],
)
def test_long_passwords_without_composition_rules_pass(password):
    assert errors(password) == []


def test_sixty_four_and_more_characters_are_allowed():
    assert errors("k" * 3 + "correct horse battery staple " * 4) == []  # 119 characters
    assert len("k" * 3 + "correct horse battery staple " * 4) > 64


def test_eleven_characters_are_too_short():
    assert "password_too_short" in errors("abcdefghijk")


@pytest.mark.parametrize("password", ["qwerty123456", "1q2w3e4r5t6y", "123456789123"])
def test_common_passwords_are_rejected(password):
    assert "password_too_common" in errors(password)


@pytest.mark.parametrize("password", ["my saferhub account", "SaferHub-2025-login", "Safer Hub forever!!"])
def test_site_words_are_rejected(password):
    assert "password_site_word" in errors(password)


def test_signup_shows_password_errors_next_to_the_field(client):
    response = client.post(reverse("account_signup"), signup_data(password1="short", password2="short"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "password1" in form.errors
    html = response.content.decode()
    assert 'id="id_password1_error"' in html or "id_password1-errors" in html


def test_production_hasher_is_argon2():
    """config/settings.py (production) lists Argon2 first; tests swap in a fast hasher."""
    source = (Path(__file__).resolve().parents[2] / "config" / "settings.py").read_text()
    block = re.search(r"PASSWORD_HASHERS = \[(.*?)\]", source, re.S).group(1)
    hashers = re.findall(r'"([^"]+)"', block)
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    import argon2  # noqa: F401 - the hasher's dependency is installed


@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "es", "ru"])
def test_a_short_password_is_refused_in_the_reader_s_language(language):
    from django.utils import translation

    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_password("short")
    [message] = [m for m in refused.value.messages if "12" in m]
    assert "at least" not in message, f"{language}: {message}"
