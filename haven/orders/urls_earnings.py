"""HTML routes of the creator and seller earnings dashboards and CSV statements (under /earnings/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from haven.orders import views_earnings as views

urlpatterns: list[URLPattern] = [
    path("earnings/", views.earnings_creator, name="earnings_creator"),
    path("earnings/statement.csv", views.earnings_statement, name="earnings_statement"),
    path("earnings/shop/<int:shop_id>/", views.earnings_shop, name="earnings_shop"),
    path(
        "earnings/shop/<int:shop_id>/statement.csv",
        views.earnings_shop_statement,
        name="earnings_shop_statement",
    ),
]
