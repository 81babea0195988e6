"""HTML routes of translation."""

from django.urls import path

from haven.translation import views

app_name = "translation"
urlpatterns = [
    path("notes/<int:note_id>/", views.note_tools, name="note"),
    path("notes/<int:note_id>/side-by-side/", views.side_by_side, name="side_by_side"),
    path("notes/<int:note_id>/translations/", views.author_translation, name="author_translation"),
    path(
        "notes/<int:note_id>/translations/<str:language>/delete/",
        views.author_translation_delete,
        name="author_translation_delete",
    ),
    path("comments/<int:comment_id>/", views.comment_tools, name="comment"),
    path("gloss/", views.gloss, name="gloss"),
    path("words/", views.vocabulary, name="vocabulary"),
    path("words/add/", views.vocabulary_add, name="vocabulary_add"),
    path("words/<int:entry_id>/delete/", views.vocabulary_delete, name="vocabulary_delete"),
    path("words/export.<str:fmt>", views.vocabulary_export, name="vocabulary_export"),
    path("preferences/", views.preferences, name="preferences"),
    path("notes/<int:note_id>/captions/<str:source>.vtt", views.caption_track, name="caption_track"),
]
