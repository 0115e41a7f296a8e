from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_job_list, name="job-list"),
    path("new/<slug:kind>/", views.import_new, name="new"),
    path("<int:pk>/", views.import_job, name="job"),
    path("<int:pk>/progress/", views.import_job_progress, name="job-progress"),
]
