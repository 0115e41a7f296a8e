from django.urls import path

from . import views

app_name = "logistics"

# Each group of pages keeps its routes together; add new routes to their group.
urlpatterns = [
    # escorts: list, request form, the escort's page and its actions
    path("escorts/", views.escort_list, name="escort-list"),
    path("escorts/<int:pk>/", views.escort_detail, name="escort-detail"),
]
