"""Messaging HTML views: a photo from the composer, sharing a note to a chat, the group's photo and
admins. Each action works as a plain form post (no JavaScript) and as the fragment chat.js / htmx get."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory
from haven.media.models import MediaImage
from haven.media.tests.factories import png, upload
from haven.messaging import services
from haven.messaging.models import Conversation, Message, MessagingSettings, Participant
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, follow

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Any, Any, Any]:
    a, b = UserFactory(), UserFactory()
    follow(a, b)
    follow(b, a)
    conv = services.direct_open(sender=a, recipient=b)
    services.message_send(sender=a, conversation_id=conv.pk, body="Hello there")
    return a, b, conv


def _group() -> tuple[Any, Any, Any, Conversation]:
    admin, x, y = UserFactory(), UserFactory(), UserFactory()
    follow(x, admin)
    follow(y, admin)
    conv = services.group_create(creator=admin, title="Study", members=[x, y])
    return admin, x, y, conv


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -------------------------------------------------------------------------------------------------
# A photo from the composer


def test_a_photo_from_the_composer_without_js_goes_through_the_media_pipeline(
    django_capture_on_commit_callbacks: Any,
) -> None:
    a, b, conv = _pair()
    client = _client(b)
    chat = client.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in chat and 'name="photo"' in chat
    with django_capture_on_commit_callbacks(execute=True):  # processing runs (immediate task backend)
        response = client.post(
            reverse("messaging:send", args=[conv.pk]),
            {"body": "Look!", "client_id": "photo-1", "photo": upload(png((800, 600)), "p.png", "image/png")},
        )
    assert response.status_code == 302 and response["Location"] == f"/messages/{conv.pk}/#composer"
    message = Message.objects.get(conversation=conv, sender=b, client_id="photo-1")
    assert message.kind == Message.Kind.IMAGE and message.body == "Look!"
    assert message.image is not None and message.image.owner_id == b.pk
    assert message.image.state == MediaImage.State.READY
    html = _client(a).get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert 'class="msg-image"' in html and f"/media/r/{message.image_id}/" in html
    assert "data-processing" not in html


def test_a_photo_alone_from_the_chat_client_returns_its_bubble_while_it_is_processed() -> None:
    _a, b, conv = _pair()
    response = _client(b).post(
        reverse("messaging:send", args=[conv.pk]),
        {"body": "", "after": "1", "photo": upload(png(), "p.png", "image/png")},
        HTTP_X_REQUESTED_WITH="fetch",
        HTTP_IDEMPOTENCY_KEY="k-photo",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="m-2"' in html and "data-processing" in html and "Photo is processing" in html
    assert Message.objects.get(conversation=conv, seq=2).kind == Message.Kind.IMAGE


def test_a_file_that_is_not_a_photo_is_refused_with_a_4xx_and_sends_nothing() -> None:
    _a, b, conv = _pair()
    client = _client(b)
    url = reverse("messaging:send", args=[conv.pk])
    fragment = client.post(
        url,
        {"photo": upload(b"%PDF-1.4 not a photo", "x.pdf", "application/pdf")},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert 400 <= fragment.status_code < 500
    assert fragment["Content-Type"].startswith("text/plain")
    no_js = client.post(url, {"photo": upload(b"", "empty.jpg")}, follow=True)
    assert no_js.status_code == 200 and 'role="status"' in no_js.content.decode()
    assert not Message.objects.filter(conversation=conv, sender=b).exists()
    assert not MediaImage.objects.filter(owner=b).exists()


def test_a_photo_to_someone_elses_conversation_stores_nothing() -> None:
    _a, _b, conv = _pair()
    stranger = UserFactory()
    response = _client(stranger).post(
        reverse("messaging:send", args=[conv.pk]),
        {"photo": upload(png(), "p.png", "image/png")},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 404
    assert not MediaImage.objects.filter(owner=stranger).exists()


# -------------------------------------------------------------------------------------------------
# Sharing a note to a chat


def test_share_a_note_to_a_recent_chat_without_js() -> None:
    a, b, conv = _pair()
    note = NoteFactory()
    client = _client(b)
    detail = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    share_url = reverse("messaging:share_note", args=[note.pk])
    assert f'href="{share_url}"' in detail
    page = client.get(share_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert note.title in html and f'name="conversation" value="{conv.pk}"' in html
    response = client.post(
        share_url, {"conversation": str(conv.pk), "body": "You'd love this", "client_id": "s-1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("notes:detail", args=[note.pk])
    message = Message.objects.get(conversation=conv, sender=b, client_id="s-1")
    assert message.kind == Message.Kind.NOTE and message.shared_note_id == note.pk
    assert message.body == "You'd love this"
    assert "Sent to" in client.get(response["Location"]).content.decode()
    chat = _client(a).get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert 'class="msg-card"' in chat and note.title in chat


def test_share_a_note_to_a_member_by_username_with_htmx() -> None:
    sender, friend = UserFactory(), UserFactory()
    follow(friend, sender)
    note = NoteFactory()
    response = _client(sender).post(
        reverse("messaging:share_note", args=[note.pk]),
        {"conversation": "new", "username": f"@{friend.username}"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="share-picker"' in html and "<html" not in html and "dm-share-sent" in html
    conv = Conversation.objects.get(kind=Conversation.Kind.DIRECT, participants__user=friend)
    assert Message.objects.get(conversation=conv).shared_note_id == note.pk


def test_share_refusals_are_4xx_with_the_picker_again() -> None:
    _a, b, conv = _pair()
    note = NoteFactory()
    client = _client(b)
    url = reverse("messaging:share_note", args=[note.pk])
    assert client.post(url, {"conversation": "junk"}).status_code == 400
    assert client.post(url, {"conversation": "new", "username": ""}).status_code == 400
    assert client.post(url, {"conversation": "new", "username": "a, b"}).status_code == 400
    assert client.post(url, {"conversation": "new", "username": "nobody_here"}).status_code == 404
    MessagingSettings.objects.create(user=(closed := UserFactory()), who_can_message="nobody")
    refused = client.post(url, {"conversation": "new", "username": closed.username}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403 and refused["HX-Reswap"] == "outerHTML"
    assert "does not accept messages from you" in refused.content.decode()
    too_long = client.post(url, {"conversation": str(conv.pk), "body": "x" * 4500})
    assert too_long.status_code == 413
    assert not Message.objects.filter(kind=Message.Kind.NOTE).exists()


def test_share_to_someone_elses_conversation_is_404_and_sends_nothing() -> None:
    _a, _b, conv = _pair()
    note = NoteFactory()
    response = _client(UserFactory()).post(
        reverse("messaging:share_note", args=[note.pk]), {"conversation": str(conv.pk)}
    )
    assert response.status_code == 404
    assert not Message.objects.filter(kind=Message.Kind.NOTE).exists()


def test_a_note_the_member_cannot_see_or_a_draft_cannot_be_shared() -> None:
    member = UserFactory()
    client = _client(member)
    hidden = NoteFactory(visibility=Visibility.PRIVATE)
    assert client.get(reverse("messaging:share_note", args=[hidden.pk])).status_code == 404
    assert (
        client.post(reverse("messaging:share_note", args=[hidden.pk]), {"conversation": "1"}).status_code
        == 404
    )
    draft = NoteFactory(author=member, draft=True)
    assert client.get(reverse("messaging:share_note", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("messaging:share_note", args=[hidden.pk])).status_code == 302  # log in


def test_share_picker_query_budget(django_assert_max_num_queries: Any) -> None:
    b = UserFactory()
    for _ in range(8):
        other = UserFactory()
        follow(b, other)
        c = services.direct_open(sender=other, recipient=b)
        services.message_send(sender=other, conversation_id=c.pk, body="hi")
    note = NoteFactory()
    client = _client(b)
    url = reverse("messaging:share_note", args=[note.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


# -------------------------------------------------------------------------------------------------
# The group's photo and admins


def test_an_admin_changes_and_removes_the_group_photo_without_js(
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin, x, _y, conv = _group()
    client = _client(admin)
    info = client.get(reverse("messaging:info", args=[conv.pk])).content.decode()
    assert 'name="photo"' in info and "Add a group photo" in info
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("messaging:members", args=[conv.pk, "photo"]),
            {"photo": upload(png((300, 300)), "g.png", "image/png")},
        )
    assert response.status_code == 302 and response["Location"] == reverse("messaging:info", args=[conv.pk])
    conv.refresh_from_db()
    assert conv.avatar is not None and conv.avatar.state == MediaImage.State.READY
    photo = f"/media/r/{conv.avatar_id}/"
    member = _client(x)
    assert photo in member.get(reverse("messaging:list")).content.decode()
    chat = member.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert photo in chat and "changed the group photo" in chat
    client.post(reverse("messaging:members", args=[conv.pk, "photo-remove"]))
    conv.refresh_from_db()
    assert conv.avatar_id is None
    assert 'class="dm-avatar is-group"' in member.get(reverse("messaging:list")).content.decode()


def test_group_photo_refusals() -> None:
    admin, x, _y, conv = _group()
    url = reverse("messaging:members", args=[conv.pk, "photo"])
    photo = {"photo": upload(png(), "g.png", "image/png")}
    not_admin = _client(x).post(url, photo, HTTP_X_REQUESTED_WITH="fetch")
    assert not_admin.status_code == 403
    assert not MediaImage.objects.filter(owner=x).exists()  # nothing stored for a non-admin
    assert _client(admin).post(url, {}, HTTP_X_REQUESTED_WITH="fetch").status_code == 400
    bad = _client(admin).post(
        url, {"photo": upload(b"GIF89a nope", "g.gif", "image/gif")}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert 400 <= bad.status_code < 500
    assert _client(UserFactory()).post(url, photo, HTTP_X_REQUESTED_WITH="fetch").status_code == 404
    conv.refresh_from_db()
    assert conv.avatar_id is None


def test_an_admin_makes_and_unmakes_an_admin_without_js() -> None:
    admin, x, y, conv = _group()
    client = _client(admin)
    info = client.get(reverse("messaging:info", args=[conv.pk])).content.decode()
    assert "Make admin" in info
    response = client.post(reverse("messaging:members", args=[conv.pk, "admin"]), {"username": x.username})
    assert response.status_code == 302
    assert Participant.objects.get(conversation=conv, user=x).role == Participant.Role.ADMIN
    assert "Remove as admin" in client.get(reverse("messaging:info", args=[conv.pk])).content.decode()
    # The new admin can act as one; then they are made a member again.
    assert (
        _client(x)
        .post(reverse("messaging:members", args=[conv.pk, "admin"]), {"username": y.username})
        .status_code
        == 302
    )
    client.post(reverse("messaging:members", args=[conv.pk, "unadmin"]), {"username": x.username})
    assert Participant.objects.get(conversation=conv, user=x).role == Participant.Role.MEMBER
    assert Participant.objects.get(conversation=conv, user=y).role == Participant.Role.ADMIN


def test_admin_changes_refused() -> None:
    admin, x, y, conv = _group()
    url = reverse("messaging:members", args=[conv.pk, "admin"])
    member = _client(x)
    refused = member.post(url, {"username": y.username}, HTTP_X_REQUESTED_WITH="fetch")
    assert refused.status_code == 403
    assert "Make admin" not in member.get(reverse("messaging:info", args=[conv.pk])).content.decode()
    unknown = _client(admin).post(url, {"username": "nobody_here"}, HTTP_X_REQUESTED_WITH="fetch")
    assert unknown.status_code == 404
    assert _client(admin).post(url, {"username": "x" * 500}, HTTP_X_REQUESTED_WITH="fetch").status_code == 404
    assert (
        _client(UserFactory()).post(url, {"username": y.username}).status_code == 302
    )  # flash, like every refusal
    assert Participant.objects.get(conversation=conv, user=y).role == Participant.Role.MEMBER
    assert _client(UserFactory()).get(reverse("messaging:info", args=[conv.pk])).status_code == 404


def test_chat_page_with_a_group_photo_keeps_its_query_budget(
    django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin, _x, _y, conv = _group()
    client = _client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("messaging:members", args=[conv.pk, "photo"]),
            {"photo": upload(png((300, 300)), "g.png", "image/png")},
        )
    client.get(reverse("messaging:chat", args=[conv.pk]))
    with django_assert_max_num_queries(21):  # as the direct chat's (test_views); the photo costs none
        assert client.get(reverse("messaging:chat", args=[conv.pk])).status_code == 200
