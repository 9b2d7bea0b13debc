from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.jobs import register_periodic_job


class WithdrawalsConfig(AppConfig):
    name = "withdrawals"
    verbose_name = _("Withdrawals")

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            panels,
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            services,
        )

        # A withdrawn tool's page becomes its notice; the provider's tool page gains its panel.
        panels.register()
        # Every ten minutes like the others: one query when nothing is due.
        register_periodic_job("pseudonymise_departed_organisations", services.pseudonymise_departed_organisations)
