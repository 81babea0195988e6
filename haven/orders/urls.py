"""HTML routes of orders."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "orders"
urlpatterns: list = []
