from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "terms"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import personal_data, rules  # noqa: F401 - personal_data adds a section to the data download
