"""Project translations that correct django-allauth's own for these strings.

django-allauth ships its own catalogues, and some of its translations (Arabic above all) are
wrong or read badly. A msgid in the project's catalogue overrides allauth's, so the corrected
translations live in `locale/`. They are listed here, marked with `gettext_noop`, so that
`makemessages --no-obsolete` (`make messages`) finds them in the project's source and keeps
them instead of dropping them as obsolete. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = (
    gettext_noop("Code"),
    gettext_noop("Authenticator code"),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Email"),
    gettext_noop("New Password (again)"),
    gettext_noop("Password successfully changed."),
    gettext_noop("Primary email address set."),
    gettext_noop("Security key added."),
    gettext_noop("Security key removed."),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Too many failed login attempts. Try again later."),
)
