"""HTML routes of the web shell: Discover, the video feed, profiles and the PWA manifest."""

from django.conf import settings
from django.urls import path

from haven.feeds import views as feed_views
from haven.web import bench_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("videos/", feed_views.videos, name="videos"),  # the vertical video feed (feeds.views)
    path("@<str:username>/", views.profile, name="profile"),
    path("@<str:username>/collections/", views.profile_collections, name="profile_collections"),
    *([path("bench/ping", bench_views.ping, name="bench_ping")] if settings.HAVEN.bench_endpoints else []),
]
