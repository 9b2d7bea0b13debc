from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact point")

    def ready(self):
        # Registers this app's permission rules with core.policy, the inbox texts of its
        # notifications and its part of a user's data download (and of closing an account).
        from . import personal_data, rules, services  # noqa: F401
