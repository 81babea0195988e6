"""HTML routes of recommend (mounted at /recommend/): "not interested" and "Your recommendations"."""

from django.urls import path

from haven.recommend import views

app_name = "recommend"
urlpatterns = [
    path("not-interested/", views.not_interested, name="not_interested"),
    path("not-interested/<int:item_id>/remove/", views.not_interested_remove, name="not_interested_remove"),
    path("topics/unfollow/", views.topic_unfollow, name="topic_unfollow"),
    path("topics/<str:tag>/follow/", views.topic_follow_toggle, name="topic_follow"),
    path("settings/", views.recommend_settings, name="settings"),
]
