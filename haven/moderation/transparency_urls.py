"""Routes of the public transparency report (included at the site root, no namespace)."""

from django.urls import path, re_path

from haven.moderation import transparency_views as views

MONTH = r"(?P<month>[0-9]{4}-[0-9]{2})"

urlpatterns = [
    path("transparency/", views.transparency_view, name="transparency"),
    re_path(rf"^transparency/{MONTH}/$", views.transparency_view, name="transparency_month"),
    re_path(rf"^transparency/{MONTH}\.csv$", views.transparency_csv_view, name="transparency_csv"),
    re_path(rf"^transparency/{MONTH}\.json$", views.transparency_json_view, name="transparency_json"),
]
