"""HTML routes of engagement."""

from django.urls import path  # noqa: F401

app_name = "engagement"
urlpatterns: list = []
