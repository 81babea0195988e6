"""HTML routes of payments (mounted at /pay/): hosted page, its poll, confirmation, webhooks."""

from __future__ import annotations

from django.urls import path

from haven.payments import views

app_name = "payments"
urlpatterns = [
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
    path("start/<int:payment_id>/", views.start, name="start"),
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/status/", views.status, name="status"),
    path("<str:token>/confirm/", views.confirm, name="confirm"),
]
