from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "kpu_polda.dashboard"
    label = "dashboard"
