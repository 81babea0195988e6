"""HTML routes of shops (mounted at /shop/)."""

from __future__ import annotations

from django.urls import path

from haven.shops import views

app_name = "shops"
urlpatterns = [
    path("new/", views.shop_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:shop_id>/<slug:action>/", views.review_action, name="review_action"),
    path("<int:shop_id>/manage/", views.manage, name="manage"),
    path("<int:shop_id>/manage/<slug:action>/", views.manage_action, name="manage_action"),
    path("<slug:slug>/", views.shop_page, name="shop"),
]
