"""URLs of the privacy center (mounted at /settings/privacy/)."""

from django.urls import path

from haven.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.center_view, name="center"),
    path("export/", views.export_request_view, name="export_request"),
    path("export/<str:export_id>/download/", views.export_download_view, name="export_download"),
    path("delete/", views.delete_account_view, name="delete"),
    path("region/", views.region_view, name="region"),
    path("receipt/<str:code>/", views.receipt_view, name="receipt"),
]
