from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = _("Requests to providers")

    def ready(self):
        # Registers this app's permission rules with core.policy and the inbox texts of its
        # notifications; its panels join the officers' and the provider's tool pages.
        from . import panels, rules, services  # noqa: F401

        panels.register()
