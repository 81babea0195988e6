"""HTML routes of feeds (mounted at /feeds/): Following, hashtag topics, trending, places, Near me and
videos (also at /videos/, web.urls)."""

from django.urls import path

from haven.feeds import views

app_name = "feeds"
urlpatterns = [
    path("following/", views.following, name="following"),
    path("topic/<str:tag>/", views.topic, name="topic"),
    path("trending/", views.trending_page, name="trending"),
    path("place/<int:place_id>/", views.place, name="place"),
    path("places/near/", views.near, name="near"),
    path("videos/", views.videos, name="videos"),
]
