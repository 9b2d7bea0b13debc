from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each role's start page after sign-in.

    The top layer, beside `reports` and `demo`: it reads across domains (vetting, organisations,
    the catalogue) and nothing imports it.
    """

    name = "home"

    def ready(self):
        # Imported here, not at the top: it imports models, which need the app registry.
        from . import personal_data  # noqa: F401 - its section of the data download
