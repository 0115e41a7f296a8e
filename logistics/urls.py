from django.urls import path

from .views import board, documents, escorts, field

app_name = "logistics"

# Each group of pages keeps its routes together; add new routes to their group.
urlpatterns = [
    # escorts: list, request form, the escort's page and its steps
    path("escorts/", escorts.escort_list, name="escort-list"),
    path("escorts/new/", escorts.escort_create, name="escort-create"),
    path("escorts/<int:pk>/", escorts.escort_detail, name="escort-detail"),
    path("escorts/<int:pk>/step/<slug:action>/", escorts.escort_step, name="escort-step"),
    path("escorts/<int:pk>/confirm/<slug:action>/", escorts.escort_confirm, name="escort-confirm"),
    path("escorts/<int:pk>/events/<int:sequence>/photo/", escorts.custody_photo, name="custody-photo"),
    path("escorts/<int:pk>/discrepancies/<int:discrepancy>/resolve/", escorts.discrepancy_resolve,
         name="discrepancy-resolve"),
    # field: the officers' phone page
    path("field/", field.field, name="field"),
    # board: the escort board, its CSV, bulk planning
    path("board/", board.escort_board, name="board"),
    path("board/export.csv", board.escort_board_export, name="board-export"),
    path("board/plan/", board.escort_plan, name="board-plan"),
    # documents: berita acara serah terima
    path("escorts/<int:pk>/berita-acara/", documents.berita_acara, name="berita-acara"),
    path("escorts/<int:pk>/berita-acara.pdf", documents.berita_acara_download, name="berita-acara-pdf"),
]
