"""HTML routes of notifications (mounted at /notifications/)."""

from django.urls import path

from haven.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
