"""HTML routes of the web shell: Discover, profiles and the PWA manifest."""

from django.urls import path

from haven.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("@<str:username>/", views.profile, name="profile"),
    path("@<str:username>/collections/", views.profile_collections, name="profile_collections"),
]

