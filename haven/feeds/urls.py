"""HTML routes of feeds (mounted at /feeds/): the Following feed and hashtag topics."""

from django.urls import path

from haven.feeds import views

app_name = "feeds"
urlpatterns = [
    path("following/", views.following, name="following"),
    path("topic/<str:tag>/", views.topic, name="topic"),
]
