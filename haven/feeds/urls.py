"""HTML routes of feeds."""

from django.urls import path  # noqa: F401

app_name = "feeds"
urlpatterns: list = []
