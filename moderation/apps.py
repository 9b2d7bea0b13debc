from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # Registers this app's permission rules with core.policy.
        # Registers the inbox texts of moderation notifications.
        from . import panels, rules, services  # noqa: F401

        # The notice replaces a suspended or removed tool's page; the tool pages gain their panels.
        panels.register()
