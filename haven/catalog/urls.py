"""HTML routes of catalog (mounted at /products/)."""

from __future__ import annotations

from django.urls import path

from haven.catalog import views

app_name = "catalog"
urlpatterns = [
    path("new/", views.product_new, name="new"),
    path("manage/<int:shop_id>/", views.manage, name="manage"),
    path("variants/<int:variant_id>/stock/", views.stock_adjust, name="stock"),
    path("tag/<int:note_id>/", views.tag_products, name="tag"),
    path("<int:product_id>/", views.product_detail, name="detail"),
    path("<int:product_id>/translate/", views.product_translate, name="translate"),
    path("<int:product_id>/edit/", views.product_edit, name="edit"),
    path("<int:product_id>/status/", views.product_status, name="status"),
]
