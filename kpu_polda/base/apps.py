from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "kpu_polda.base"
    label = "base"
