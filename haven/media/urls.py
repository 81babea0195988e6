"""HTML routes of media."""

from django.urls import path  # noqa: F401

app_name = "media"
urlpatterns: list = []
