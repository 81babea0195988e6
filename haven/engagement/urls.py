"""HTML routes of engagement (mounted at /engagement/): likes, saves, comments, collections."""

from django.urls import path

from haven.engagement import views

app_name = "engagement"
urlpatterns = [
    path("notes/<int:note_id>/like/", views.like_toggle, name="like_toggle"),
    path("notes/<int:note_id>/save/", views.save_toggle, name="save_toggle"),
    path("notes/<int:note_id>/comments/", views.comments, name="comments"),
    path("notes/<int:note_id>/comments/new/", views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/replies/", views.replies, name="replies"),
    path("comments/<int:comment_id>/like/", views.comment_like_toggle, name="comment_like_toggle"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("collections/", views.collections, name="collections"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<int:collection_id>/", views.collection, name="collection"),
    path("collections/<int:collection_id>/edit/", views.collection_update, name="collection_update"),
    path("collections/<int:collection_id>/delete/", views.collection_delete, name="collection_delete"),
]
