from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        # Registers this app's permission rules with core.policy, its inbox messages and its
        # periodic reminder job with notifications.
        from . import jobs, personal_data, rules, services  # noqa: F401
