from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "concerns"
    verbose_name = _("Concerns")

    def ready(self):
        # Registers this app's permission rules with core.policy and the inbox texts of its
        # notifications; its panels join the tool pages and moderation's case page.
        from . import panels, personal_data, rules, services  # noqa: F401

        panels.register()
