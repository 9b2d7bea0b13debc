from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        # Registers the deployment checks (manage.py check --deploy).
        from . import checks  # noqa: F401
