"""Settings for the test suite: the real settings with test-only speed-ups."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

# Argon2 is the production hasher (checked by a test of config.settings); tests
# hash hundreds of passwords, so they use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Room as in config.settings: with the default 300 entries the catalogue's change log culls
# the generation tokens and terms while a test adds a few dozen tools.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}}
SINGLE_PROCESS = True  # the test suite is one process: its memory cache is the shared one
ACCOUNT_RATE_LIMITS = False
MEDIA_ROOT = "/tmp/saferhub-test-media"  # noqa: S108
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Django's SQLite backend with one difference: the flush between transactional tests
    # may clear the append-only audit table (see testkit/sqlite_backend/base.py).
    DATABASES["default"]["ENGINE"] = "testkit.sqlite_backend"  # noqa: F405
