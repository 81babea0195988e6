"""HTML routes of graph (mounted at /graph/): follows, blocks, mutes, connection lists, requests."""

from django.urls import path

from haven.graph import views

app_name = "graph"
urlpatterns = [
    path("requests/", views.requests, name="requests"),
    path("requests/<str:username>/approve/", views.request_approve, name="request_approve"),
    path("requests/<str:username>/deny/", views.request_deny, name="request_deny"),
    path("blocked/", views.blocked, name="blocked"),
    path("<str:username>/follow/", views.follow, name="follow"),
    path("<str:username>/unfollow/", views.unfollow, name="unfollow"),
    path("<str:username>/block/", views.block, name="block"),
    path("<str:username>/unblock/", views.unblock, name="unblock"),
    path("<str:username>/mute/", views.mute, name="mute"),
    path("<str:username>/unmute/", views.unmute, name="unmute"),
    path("<str:username>/followers/", views.followers, name="followers"),
    path("<str:username>/following/", views.following, name="following"),
]
