"""HTML routes of imports (mounted at /settings/import/)."""

from django.urls import path

from haven.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:job_id>/", views.job_view, name="job"),
    path("<int:job_id>/status/", views.job_status, name="status"),
    path("<int:job_id>/confirm/", views.confirm, name="confirm"),
    path("<int:job_id>/cancel/", views.cancel, name="cancel"),
    path("<int:job_id>/delete/", views.delete, name="delete"),
]
