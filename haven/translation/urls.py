"""HTML routes of translation."""

from django.urls import path  # noqa: F401

app_name = "translation"
urlpatterns: list = []
