"""HTML routes of the web shell."""

from django.urls import path  # noqa: F401

app_name = "web"
urlpatterns: list = []
