"""Password rules beyond Django's (SECURITY.md AUTH-04): no composition rules."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SITE_WORDS = ("saferhub", "safer hub", "saferchildren", "aiforsaferchildren", "unicri", "password")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, refused in the words of its help text.

    Django 5.2 reworded its "too short" message, and its Arabic and Chinese catalogues do
    not have the new wording yet: people saw it in English. The help-text sentence ("Your
    password must contain at least 12 characters.") is translated everywhere and says the
    same thing.
    """

    def get_error_message(self):
        return self.get_help_text()


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max)d character.",
                    "This password is too long. It must contain at most %(max)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self):
        return ngettext(
            "Your password can be up to %(max)d character long.",
            "Your password can be up to %(max)d characters long.",
            self.max_length,
        ) % {"max": self.max_length}


class SiteWordsValidator:
    """Reject passwords built on the name of this site or the initiative."""

    def validate(self, password, user=None):
        folded = "".join(ch for ch in password.lower() if ch.isalnum() or ch == " ")
        compact = folded.replace(" ", "")
        if any(word.replace(" ", "") in compact for word in SITE_WORDS):
            raise ValidationError(
                _("Your password must not contain the name of this site or of the initiative."),
                code="password_site_word",
            )

    def get_help_text(self):
        return _("Your password must not contain the name of this site.")
