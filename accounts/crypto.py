"""Symmetric encryption for secrets kept at rest (TOTP secrets)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


def _fernet() -> Fernet:
    if not settings.FIELD_ENCRYPTION_KEY:
        # Never encrypt with an empty key (DEBUG off and neither key configured).
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY or SECRET_KEY must be set.")
    key = hashlib.sha256(f"saferhub-field-encryption:{settings.FIELD_ENCRYPTION_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        raise ValueError("Value is not encrypted.")
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Value cannot be decrypted with the configured key.") from exc
