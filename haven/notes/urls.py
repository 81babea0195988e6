"""HTML routes of notes."""

from django.urls import path  # noqa: F401

app_name = "notes"
urlpatterns: list = []
