from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact point")

    def ready(self):
        # Registers this app's permission rules with core.policy and the inbox texts of its notifications.
        from . import rules, services  # noqa: F401
