"""HTML routes of orders: cart, checkout, orders, addresses (urls_earnings: the earnings dashboards)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from haven.orders import urls_earnings

app_name = "orders"
urlpatterns: list[URLPattern | URLResolver] = [*urls_earnings.urlpatterns]
