"""HTML routes of the creator and seller earnings dashboards and CSV statements (under /earnings/)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
