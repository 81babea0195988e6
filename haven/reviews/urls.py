"""HTML routes of reviews (mounted under /reviews/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from haven.reviews import views

app_name = "reviews"
urlpatterns: list[URLPattern] = [
    path("product/<int:product_id>/", views.product_reviews, name="product"),
    path("new/<int:line_id>/", views.review_new, name="new"),
    path("<int:review_id>/edit/", views.review_edit, name="edit"),
    path("<int:review_id>/delete/", views.review_delete, name="delete"),
    path("<int:review_id>/translate/", views.review_translate, name="translate"),
]
