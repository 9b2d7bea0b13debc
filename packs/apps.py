from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = _("Decision packs")

    def ready(self):
        # Registers this app's permission rules with core.policy and the font check with Django's
        # system checks; the compare page and the tool pages gain the pack chooser and the count.
        from . import checks, panels, rules  # noqa: F401

        panels.register()
