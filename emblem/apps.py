from django.apps import AppConfig


class EmblemConfig(AppConfig):
    name = "emblem"
    verbose_name = "Name and emblem"
