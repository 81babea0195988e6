"""HTML routes of people (mounted at /people/): find your people, and the former-handles settings."""

from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("find/", views.find, name="find"),
    path("find/follow/", views.follow_all, name="follow_all"),
    path("settings/", views.settings, name="settings"),
    path("settings/handles/", views.handle_add, name="handle_add"),
    path("settings/handles/<int:handle_id>/", views.handle_change, name="handle_change"),
    path("settings/handles/<int:handle_id>/delete/", views.handle_delete, name="handle_delete"),
    path("settings/lists/<str:platform>/", views.list_change, name="list_change"),
    path("settings/lists/<str:platform>/delete/", views.list_delete, name="list_delete"),
]
