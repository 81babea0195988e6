"""Messaging HTML views: list, chat, sending without JavaScript, requests, groups, query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory
from haven.graph.services import block_create
from haven.messaging import selectors, services
from haven.messaging.models import Message, MessagingSettings, Participant
from haven.notes.tests.factories import follow

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Any, Any, Any]:
    """Two members who follow each other, and their conversation with one message from `a`."""
    a, b = UserFactory(), UserFactory()
    follow(a, b)
    follow(b, a)
    conv = services.direct_open(sender=a, recipient=b)
    services.message_send(sender=a, conversation_id=conv.pk, body="Hello there")
    return a, b, conv


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_the_conversation_with_its_unread_count_and_the_nav_badge() -> None:
    _a, b, conv = _pair()
    html = _client(b).get(reverse("messaging:list")).content.decode()
    assert f'href="/messages/{conv.pk}/"' in html
    assert "Hello there" in html
    assert 'class="dm-unread' in html
    assert 'data-badge="messages">1<' in html  # the Messages entry of the navigation


def test_anonymous_is_sent_to_log_in() -> None:
    response = Client().get(reverse("messaging:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_chat_shows_messages_and_marks_them_read() -> None:
    _a, b, conv = _pair()
    response = _client(b).get(reverse("messaging:chat", args=[conv.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hello there" in html and 'id="composer"' in html
    assert Participant.objects.get(conversation=conv, user=b).last_read_seq == conv.last_seq + 1
    assert selectors.unread_summary(b)["unread"] == 0


def test_send_by_form_post_without_js_redirects_and_a_double_submit_sends_once() -> None:
    _a, b, conv = _pair()
    client = _client(b)
    url = reverse("messaging:send", args=[conv.pk])
    data = {"body": "Hi! 你好", "client_id": "form-abc123"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/messages/{conv.pk}/#composer"
    assert Message.objects.filter(conversation=conv, body="Hi! 你好").count() == 1


def test_send_from_the_chat_client_returns_the_new_bubbles() -> None:
    _a, b, conv = _pair()
    response = _client(b).post(
        reverse("messaging:send", args=[conv.pk]),
        {"body": "On my way", "after": "1"},
        HTTP_X_REQUESTED_WITH="fetch",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="m-2"' in html and "On my way" in html and 'id="m-1"' not in html


def test_empty_message_is_a_friendly_refusal_not_a_500() -> None:
    _a, b, conv = _pair()
    client = _client(b)
    response = client.post(reverse("messaging:send", args=[conv.pk]), {"body": "   "}, follow=True)
    assert response.status_code == 200
    assert "Write a message first." in response.content.decode()
    fragment = client.post(
        reverse("messaging:send", args=[conv.pk]), {"body": ""}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert fragment.status_code == 400 and fragment.content.decode() == "Write a message first."


def test_after_returns_only_newer_messages() -> None:
    a, b, conv = _pair()
    services.message_send(sender=a, conversation_id=conv.pk, body="second")
    html = _client(b).get(reverse("messaging:after", args=[conv.pk, 1])).content.decode()
    assert "second" in html and "Hello there" not in html
    assert _client(b).get(f"/messages/{conv.pk}/after/{2**64}/").status_code == 404


def test_non_participants_get_404_everywhere() -> None:
    _a, _b, conv = _pair()
    stranger = _client(UserFactory())
    message = Message.objects.get(conversation=conv, seq=1)
    assert stranger.get(reverse("messaging:chat", args=[conv.pk])).status_code == 404
    assert stranger.get(reverse("messaging:after", args=[conv.pk, 0])).status_code == 404
    assert stranger.get(reverse("messaging:info", args=[conv.pk])).status_code == 404
    assert stranger.post(reverse("messaging:send", args=[conv.pk]), {"body": "x"}).status_code == 302
    assert not Message.objects.filter(body="x").exists()
    assert stranger.post(reverse("messaging:message_action", args=[message.pk, "hide"])).status_code == 404
    assert stranger.get(reverse("messaging:translate", args=[message.pk])).status_code == 404
    assert stranger.get("/messages/99999999999999999999999/").status_code == 404


def test_a_stranger_lands_in_requests_and_can_be_accepted() -> None:
    stranger, b = UserFactory(), UserFactory()
    conv = services.direct_open(sender=stranger, recipient=b)
    services.message_send(sender=stranger, conversation_id=conv.pk, body="Can we practise English?")
    client = _client(b)
    inbox = client.get(reverse("messaging:list")).content.decode()
    assert "Can we practise English?" not in inbox
    assert 'data-requests-tab>Requests <span class="dm-count"' in inbox
    requests = client.get(reverse("messaging:list") + "?box=requests").content.decode()
    assert "Can we practise English?" in requests
    chat = client.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert "data-request" in chat and 'id="composer"' not in chat
    response = client.post(reverse("messaging:respond", args=[conv.pk, "accept"]))
    assert response.status_code == 302
    assert Participant.objects.get(conversation=conv, user=b).state == "active"
    assert 'id="composer"' in client.get(reverse("messaging:chat", args=[conv.pk])).content.decode()


def test_a_request_can_be_declined() -> None:
    stranger, b = UserFactory(), UserFactory()
    conv = services.direct_open(sender=stranger, recipient=b)
    services.message_send(sender=stranger, conversation_id=conv.pk, body="hello")
    client = _client(b)
    response = client.post(reverse("messaging:respond", args=[conv.pk, "decline"]))
    assert response.status_code == 302 and response["Location"] == "/messages/?box=requests"
    assert Participant.objects.get(conversation=conv, user=b).state == "declined"
    assert client.get(reverse("messaging:chat", args=[conv.pk])).status_code == 404


def test_message_button_opens_the_direct_conversation_and_respects_settings() -> None:
    a, b = UserFactory(), UserFactory()
    client = _client(a)
    response = client.post(reverse("messaging:with", args=[b.username]))
    assert response.status_code == 302 and response["Location"].startswith("/messages/")
    MessagingSettings.objects.create(user=(c := UserFactory()), who_can_message="nobody")
    refused = client.post(reverse("messaging:with", args=[c.username]), follow=True)
    assert refused.status_code == 200
    assert "does not accept messages from you" in refused.content.decode()
    assert "data-message-member" in client.get(f"/@{b.username}/").content.decode()


def test_a_block_closes_the_chat_for_the_blocker_and_hides_it_from_the_blocked() -> None:
    a, b, conv = _pair()
    block_create(blocker=b, blocked=a)
    html = _client(b).get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert "data-closed" in html and 'id="composer"' not in html
    assert _client(a).get(reverse("messaging:chat", args=[conv.pk])).status_code == 404
    assert f"/messages/{conv.pk}/" not in _client(a).get(reverse("messaging:list")).content.decode()


def test_new_group_by_form_and_admin_tools() -> None:
    admin, x, y = UserFactory(), UserFactory(), UserFactory()
    follow(x, admin)
    follow(y, admin)
    client = _client(admin)
    response = client.post(
        reverse("messaging:new"),
        {"kind": "group", "title": "Study", "usernames": f"{x.username}, @{y.username}"},
    )
    assert response.status_code == 302
    conv_id = int(response["Location"].strip("/").split("/")[-1])
    info = client.get(reverse("messaging:info", args=[conv_id])).content.decode()
    assert x.username in info and y.username in info and "Add members" in info
    client.post(reverse("messaging:members", args=[conv_id, "remove"]), {"username": y.username})
    assert Participant.objects.get(conversation_id=conv_id, user=y).state == "removed"
    chat = client.get(reverse("messaging:chat", args=[conv_id])).content.decode()
    assert "created the group" in chat and "removed" in chat
    bad = client.post(reverse("messaging:new"), {"kind": "group", "title": "", "usernames": "nobody_here"})
    assert bad.status_code == 404 and "There is no member called @nobody_here." in bad.content.decode()


def test_reactions_unsend_hide_and_translate_without_js() -> None:
    a, b, conv = _pair()
    message = Message.objects.get(conversation=conv, seq=1)
    client_b, client_a = _client(b), _client(a)
    react = reverse("messaging:message_action", args=[message.pk, "react"])
    assert client_b.post(react, {"emoji": "❤️"}).status_code == 302
    html = client_b.post(react, {"emoji": "👍"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'class="reaction is-mine"' in html and "👍" in html
    assert client_a.post(reverse("messaging:message_action", args=[message.pk, "unsend"])).status_code == 302
    assert "You unsent a message" in client_a.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    assert "Message unsent" in client_b.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    response = client_b.get(reverse("messaging:translate", args=[message.pk]))
    assert response.status_code == 302 and f"?tr={message.pk}" in response["Location"]
    client_b.post(reverse("messaging:message_action", args=[message.pk, "hide"]))
    assert (
        f'id="m-{message.seq}"'
        not in client_b.get(reverse("messaging:chat", args=[conv.pk])).content.decode()
    )
    assert client_b.get(reverse("messaging:translate", args=[message.pk])).status_code == 404


def test_settings_page_saves_who_can_message_and_read_receipts() -> None:
    member = UserFactory()
    client = _client(member)
    assert 'aria-current="page">Messages<' in client.get(reverse("messaging:settings")).content.decode()
    client.post(reverse("messaging:settings"), {"who_can_message": "following"})
    row = MessagingSettings.objects.get(user=member)
    assert (row.who_can_message, row.read_receipts) == ("following", False)
    bad = client.post(reverse("messaging:settings"), {"who_can_message": "martians", "read_receipts": "on"})
    assert bad.status_code == 400


def test_chat_page_query_count_does_not_grow_with_messages(django_assert_max_num_queries: Any) -> None:
    a, b, conv = _pair()
    client = _client(b)
    client.get(reverse("messaging:chat", args=[conv.pk]))  # warm up; marks read
    for n in range(30):
        services.message_send(sender=a if n % 2 else b, conversation_id=conv.pk, body=f"message {n}")
    Participant.objects.filter(conversation=conv, user=b).update(last_read_seq=conv.last_seq + 31)
    for _ in range(5):
        other = UserFactory()
        follow(b, other)
        c = services.direct_open(sender=other, recipient=b)
        services.message_send(sender=other, conversation_id=c.pk, body="hi")
    with django_assert_max_num_queries(21):  # measured 21 (embedded)
        assert client.get(reverse("messaging:chat", args=[conv.pk])).status_code == 200


def test_list_page_query_budget(django_assert_max_num_queries: Any) -> None:
    b = UserFactory()
    for _ in range(8):
        other = UserFactory()
        follow(b, other)
        c = services.direct_open(sender=other, recipient=b)
        services.message_send(sender=other, conversation_id=c.pk, body="hi")
    client = _client(b)
    client.get(reverse("messaging:list"))
    with django_assert_max_num_queries(10):  # measured 10 (embedded)
        assert client.get(reverse("messaging:list")).status_code == 200
