from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = _("Requests to providers")

    def ready(self):
        # Registers this app's permission rules with core.policy and the inbox texts of its
        # notifications and its part of a user's data download (and of closing an account); its
        # panels join the officers' and the provider's tool pages.
        from . import panels, personal_data, rules, services  # noqa: F401

        panels.register()
