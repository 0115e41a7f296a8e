from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "kpu_polda.base"
    label = "base"

    def ready(self):
        from kpu_polda.base.history import build_history_managers_once

        build_history_managers_once()
