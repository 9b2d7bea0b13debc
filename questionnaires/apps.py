from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
