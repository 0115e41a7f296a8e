from django.urls import path

from .views import escorts

app_name = "logistics"

# Each group of pages keeps its routes together; add new routes to their group.
urlpatterns = [
    # escorts: list, request form, the escort's page and its steps
    path("escorts/", escorts.escort_list, name="escort-list"),
    path("escorts/<int:pk>/", escorts.escort_detail, name="escort-detail"),
    # field: the officers' phone page
    # board: the escort board, its CSV, bulk planning
    # documents: berita acara serah terima
]
