"""SaferHub settings: one environment-driven module, secure by default.

Every variable is documented in README.md. Nothing insecure is a default: DEBUG is off
and SECRET_KEY must be given unless DEBUG is explicitly turned on (as `make run` does).
"""

import os
import tomllib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # Only for local development (`make run`); never used when DEBUG is off.
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
# With DEBUG off and no SECRET_KEY there is no fallback: offline commands such as
# `makemigrations --check` still run, but Django refuses every use of the empty key, the
# web application refuses to start (config/wsgi.py) and `check --deploy` reports it.

# Key for encrypting secrets at rest (TOTP secrets). Falls back to SECRET_KEY.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def env_site_url(name: str, default: str) -> str:
    """The public address links in emails start with: a scheme and a host, no path."""
    value = (os.environ.get(name) or default).rstrip("/")
    scheme, _sep, rest = value.partition("://")
    if scheme not in {"http", "https"} or not rest or any(char in rest for char in "/?#@ "):
        raise ImproperlyConfigured(f"{name} must look like https://hub.example.org (no path), got {value!r}")
    return value


# Every link in an email is built from it (core.links.absolute_url); `make run` sets it from PORT.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "https://localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_countries",
    "csp",
    "core",
    "accounts",
    "audit",
    "backups",
    "terms",
    "providers",
    "notifications",
    "questionnaires",
    "catalogue",
    "discovery",
    "api",
    "emblem",
    "moderation",
    "concerns",
    "following",
    "withdrawals",
    "community",
    "events",
    "contact",
    "discussions",
    "enquiries",
    "learning",
    "reports",
    "packs",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed), above everything that writes bodies.
    "core.compression.CompressionMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.GenerationTokensMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ReaderTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "terms.middleware.TermsAcceptanceMiddleware",
    "core.middleware.CacheOutageMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
            # Provider text's lang/dir and the one date format: used by nearly every template.
            "builtins": ["core.templatetags.text_language"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the worker and the web server share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = os.environ.get("REDIS_URL", "")
# Without a shared cache, each process keeps its own record of used TOTP codes, failed sign-ins
# and rate limits: two processes would both accept the same code. With DEBUG off that is allowed
# only when the operator states that one process serves the hub (core.checks, config.wsgi).
SINGLE_PROCESS = env_bool("SINGLE_PROCESS", False)
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: reads miss and the database answers; sign-in waits (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "saferhub",
            # A host that does not answer costs a second, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Room for the catalogue's change log and kept cards (the default, 300 entries, culls a third
    # of the cache whenever a few dozen tools change, generation tokens and terms included).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Django's and allauth's, loading the officer profile with the account (accounts/backends.py).
# Sessions opened under the former names ("django.contrib.auth.backends.ModelBackend", ...) sign in again.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.SiteWordsValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "core:landing"

# --- allauth ---------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Password-reset links are single-use (the token covers the password hash) and expire after an hour.
PASSWORD_RESET_TIMEOUT = 3600
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SaferHub] "
ACCOUNT_FORMS = {
    "signup": "accounts.forms.OfficerSignupForm",
    "change_password": "accounts.forms.ReauthenticatedChangePasswordForm",
}
# Changing email or password needs a re-authentication in the last 5 minutes (AUTH-08).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    # Per-IP throttling on top of the per-account lockout (SECURITY.md AUTH-03).
    "login_failed": "20/m/ip,50/10m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 2
ACCOUNT_CHANGE_EMAIL = True
# Officers' identities never reach logs, so allauth's user display uses the email only
# in pages that the owner sees.

MFA_ADAPTER = "accounts.adapters.MfaAdapter"
# A locked account is refused at the second-factor step too (AUTH-03).
MFA_FORMS = {
    "authenticate": "accounts.forms.LockAwareAuthenticateForm",
    "reauthenticate": "accounts.forms.LockAwareReauthenticateForm",
    # A reload of the set-up page keeps the secret being scanned.
    "activate_totp": "accounts.forms.KeepPendingSecretActivateTOTPForm",
}
MFA_REAUTHENTICATION_REQUIRED = True
# allauth otherwise forbids adding an email address to an account with MFA, which would make
# changing email impossible (MFA is mandatory). The threat it guards against (someone signs
# up with another person's address and sets up MFA) cannot happen here: signing in, and so
# reaching MFA set-up, needs a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TRUST_ENABLED = False  # SECURITY.md SES-01: never "trust this browser".
MFA_TOTP_ISSUER = "SaferHub"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions are recorded at sign-in; tracking every request would cost three queries a page.
USERSESSIONS_TRACK_ACTIVITY = False

# --- sessions and cookies (SECURITY.md SES-01..03) -------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# The session-limits middleware writes the session at most once a minute while in use,
# which also slides its expiry in the database.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True

# --- transport and headers (SECURITY.md HDR-01, HDR-02) --------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = 31536000 if not DEBUG else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    # Only when a trusted proxy terminates TLS and sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Requests larger than this are refused with 413 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 12 * 1024 * 1024)

# --- i18n ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese (Simplified)")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]

# The hub's version, printed in decision packs so an agency knows what it was handed.
with open(BASE_DIR / "pyproject.toml", "rb") as _pyproject:
    HUB_VERSION = tomllib.load(_pyproject)["project"]["version"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- email: everything goes through the durable outbox ----------------------
EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
DELIVERY_EMAIL_BACKEND = os.environ.get(
    "DELIVERY_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SaferHub <no-reply@saferhub.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# A claimed message not delivered within this time is taken over by another worker (its worker died).
# Keep it well above EMAIL_TIMEOUT: a slow but live delivery must not be taken over.
OUTBOX_CLAIM_TIMEOUT = timedelta(seconds=max(1, env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 300)))
# Delivered emails hold recipients' addresses: they are kept only long enough to answer "did it
# go out?" (and dead ones for coordinators to look into), then the worker deletes them.
OUTBOX_SENT_RETENTION_DAYS = env_int("OUTBOX_SENT_RETENTION_DAYS", 30)
OUTBOX_DEAD_RETENTION_DAYS = env_int("OUTBOX_DEAD_RETENTION_DAYS", 90)

# --- domain settings -------------------------------------------------------
OFFICER_VERIFICATION_MONTHS = env_int("OFFICER_VERIFICATION_MONTHS", 12)
LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = timedelta(minutes=10)
INACTIVITY_DISABLE_DAYS = env_int("INACTIVITY_DISABLE_DAYS", 90)
# Accounts disabled for disuse are deleted (reduced to a pseudonymous reference) this long after.
DISUSED_ACCOUNT_DELETION_MONTHS = env_int("DISUSED_ACCOUNT_DELETION_MONTHS", 24)
# Providers are asked to confirm each published entry is still accurate this often.
CONFIRMATION_INTERVAL_DAYS = env_int("CONFIRMATION_INTERVAL_DAYS", 180)
# An organisation that left the hub stays readable by the coordinators this long; then the worker
# pseudonymises it (withdrawals.services.pseudonymise_departed_organisations).
PROVIDER_RETENTION_DAYS = env_int("PROVIDER_RETENTION_DAYS", 365)
# Meet other officers: how much one officer may do, counted in the shared cache, so the
# directory cannot be harvested nor contact requests and messages used to spam.
COMMUNITY_CONTACT_REQUESTS_PER_DAY = env_int("COMMUNITY_CONTACT_REQUESTS_PER_DAY", 20)
COMMUNITY_MESSAGES_PER_HOUR = env_int("COMMUNITY_MESSAGES_PER_HOUR", 60)
COMMUNITY_DIRECTORY_PAGES_PER_HOUR = env_int("COMMUNITY_DIRECTORY_PAGES_PER_HOUR", 300)
# Requests one officer may send to providers (a demonstration, a trial, contact) per day,
# counted in the shared cache like the community's limits, so providers cannot be flooded.
ENQUIRIES_PER_DAY = env_int("ENQUIRIES_PER_DAY", 10)
# New conversations anyone may open with the coordinators per day (the contact point): enough for
# real needs, and a stolen or scripted account cannot bury the coordinators' queue.
CONTACT_POINT_MESSAGES_PER_DAY = env_int("CONTACT_POINT_MESSAGES_PER_DAY", 10)
# The representation report warns when one provider's share of event appearances exceeds this
# multiple of an equal share (PRODUCT.md 3.4).
EVENTS_OVERREPRESENTATION_MULTIPLE = env_float("EVENTS_OVERREPRESENTATION_MULTIPLE", 2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"database_outage": {"()": "core.outage.DatabaseOutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs may carry form data of officers; keep only warnings and up. A request that
        # met a database outage is one line, not a trace (core/outage.py).
        "django.request": {"level": "WARNING", "filters": ["database_outage"]},
        # WeasyPrint (decision packs) logs every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# WhiteNoise serves collected static files in production; in development it reads the
# source folders directly so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site root on their own (/favicon.ico). WhiteNoise answers them
# before any session, login or MFA handling: a redirect of such a background request would
# load a page unseen (it used to replace the secret on the TOTP set-up page).
WHITENOISE_ROOT = BASE_DIR / "webroot"
