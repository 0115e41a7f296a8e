from django.apps import AppConfig


class LinkedActivityConfig(AppConfig):
    """A stand-in for a later app's activity (a joint training) that carries out a clause."""

    name = "tests.linked_activity"
    label = "linked_activity"
