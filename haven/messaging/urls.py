"""HTML routes of messaging (mounted at /messages/)."""

from django.urls import path

from haven.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.new, name="new"),
    path("settings/", views.settings_view, name="settings"),
    path("with/<str:username>/", views.message_member, name="with"),
    path("share/note/<int:note_id>/", views.share_note, name="share_note"),
    path("<int:conversation_id>/", views.chat, name="chat"),
    path("<int:conversation_id>/after/<int:seq>/", views.after, name="after"),
    path("<int:conversation_id>/at/<int:seq>/", views.one, name="one"),
    path("<int:conversation_id>/older/", views.older, name="older"),
    path("<int:conversation_id>/send/", views.send, name="send"),
    path("<int:conversation_id>/info/", views.info, name="info"),
    path(
        "<int:conversation_id>/members/<slug:action>/",
        views.members,
        name="members",
    ),
    path("<int:conversation_id>/<slug:action>/", views.respond, name="respond"),
    path("m/<int:message_id>/translate/", views.translate, name="translate"),
    path("m/<int:message_id>/<slug:action>/", views.message_action, name="message_action"),
]
