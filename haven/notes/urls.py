"""HTML routes of notes (mounted at /notes/)."""

from django.urls import path

from haven.notes import views

app_name = "notes"
urlpatterns = [
    path("new/", views.compose, name="compose"),
    path("drafts/", views.drafts, name="drafts"),
    path("<int:note_id>/", views.note_detail, name="detail"),
    path("<int:note_id>/edit/", views.edit, name="edit"),
    path("<int:note_id>/delete/", views.delete, name="delete"),
    path("<int:note_id>/publish/", views.publish, name="publish"),
    path("<int:note_id>/captions/<str:language>.vtt", views.captions, name="captions"),
    path("<int:note_id>/captions/", views.captions_upload, name="captions_upload"),
    path("<int:note_id>/cover/", views.video_poster, name="video_poster"),
    path("<int:note_id>/captions/<str:language>/delete/", views.captions_delete, name="captions_delete"),
]
