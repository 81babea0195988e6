"""HTML routes of payments."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "payments"
urlpatterns: list = []
