"""HTML routes of search (mounted at /search/)."""

from django.urls import path

from haven.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest/", views.suggest_view, name="suggest"),
    path("history/<int:entry_id>/delete/", views.history_delete_view, name="history_delete"),
    path("history/clear/", views.history_clear_view, name="history_clear"),
]
