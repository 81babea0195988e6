"""HTML routes of graph."""

from django.urls import path  # noqa: F401

app_name = "graph"
urlpatterns: list = []
