"""HTML routes of the web shell: Discover, profiles and the PWA manifest."""

from django.urls import path

from haven.notifications.views import register_note_previews
from haven.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("@<str:username>/", views.profile, name="profile"),
    path("@<str:username>/collections/", views.profile_collections, name="profile_collections"),
]

# The inbox (notifications sits below notes) gets note thumbnails from the web shell, which may read
# every app. URLconfs load before any view runs, so the resolver is in place for every request.
register_note_previews(views.note_previews)
