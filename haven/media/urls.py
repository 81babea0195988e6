"""Routes of media outside the API: renditions, served through the app (mounted at /media/)."""

from django.urls import path

from haven.media import views

app_name = "media"
urlpatterns = [
    path("r/<int:image_id>/<str:name>", views.rendition, name="rendition"),
    path("v/<int:video_id>/<str:name>", views.video_rendition, name="video_rendition"),
]
