from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from catalogue import tool_panels as catalogue_panels

        from . import (
            personal_data,  # noqa: F401 - its section of the data download
            receivers,  # noqa: F401 - reacts to moderation's notices; adds declarers to following's audience
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            tool_panels,
        )

        # The tool's page shows its discussion, the newest field reports and the agency-use toggle.
        for order, render in enumerate(tool_panels.PANELS, start=50):
            catalogue_panels.add_panel(catalogue_panels.OFFICERS, order=order, render=render)
