from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictitious demo data (`manage.py seed_demo`, `manage.py demo_code`).

    The top layer: it builds on every domain app and nothing imports it.
    """

    name = "demo"
