"""The messaging JSON API over HTTP: endpoints, stable error codes, idempotent sends, query budgets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from haven.accounts.tests.factories import UserFactory, bearer, token_for
from haven.messaging.models import Message
from haven.notes.tests.factories import block, follow

pytestmark = pytest.mark.django_db

BASE = "/api/v1/dm"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def call(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def as_member(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pair() -> tuple[Any, Any, Client, Client]:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    follow(alice, bob)
    return alice, bob, as_member(alice), as_member(bob)


def open_direct(client: Client, username: str) -> int:
    response = call(client, "post", f"{BASE}/conversations", {"username": username})
    assert response.status_code == 200, response.content
    return int(response.json()["id"])


def test_send_read_and_list(pair: Any) -> None:
    _alice, bob, a, b = pair
    conv = open_direct(a, bob.username)
    sent = call(
        a,
        "post",
        f"{BASE}/conversations/{conv}/messages",
        {"body": "你好！今天天气很好。"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["seq"] == 1 and body["mine"] and body["language"].startswith("zh")
    again = call(
        a,
        "post",
        f"{BASE}/conversations/{conv}/messages",
        {"body": "你好！今天天气很好。"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = call(
        a,
        "post",
        f"{BASE}/conversations/{conv}/messages",
        {"body": "something else"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert Message.objects.filter(conversation_id=conv).count() == 1

    listed = b.get(f"{BASE}/conversations").json()["items"]
    assert listed[0]["id"] == conv and listed[0]["unread"] == 1
    assert b.get(f"{BASE}/unread").json() == {"unread": 1, "conversations": 1, "requests": 0}
    page = b.get(f"{BASE}/conversations/{conv}/messages").json()
    assert [m["body"] for m in page["items"]] == ["你好！今天天气很好。"]
    assert call(b, "post", f"{BASE}/conversations/{conv}/read", {}).json() == {"last_read_seq": 1}
    assert a.get(f"{BASE}/conversations/{conv}/messages").json()["read"] == [
        {"username": bob.username, "seq": 1}
    ]


def test_requests_accept_and_decline() -> None:
    bob, carol = UserFactory(), UserFactory()
    b, c = as_member(bob), as_member(carol)
    conv = open_direct(c, bob.username)
    call(c, "post", f"{BASE}/conversations/{conv}/messages", {"body": "hello from a stranger"})
    requests = b.get(f"{BASE}/conversations?box=requests").json()["items"]
    assert [r["id"] for r in requests] == [conv] and requests[0]["state"] == "request"
    assert b.get(f"{BASE}/conversations").json()["items"] == []
    assert call(b, "post", f"{BASE}/conversations/{conv}/decline").status_code == 204
    assert call(b, "post", f"{BASE}/conversations/{conv}/decline").status_code == 404
    assert b.get(f"{BASE}/conversations/{conv}/messages").status_code == 404


def test_settings_refuse_and_error_codes(pair: Any) -> None:
    alice, bob, a, b = pair
    assert (
        call(b, "put", f"{BASE}/settings", {"who_can_message": "nobody"}).json()["who_can_message"]
        == "nobody"
    )
    refused = call(a, "post", f"{BASE}/conversations", {"username": bob.username})
    assert refused.status_code == 403 and refused.json()["code"] == "messages_not_accepted"
    assert call(b, "put", f"{BASE}/settings", {"who_can_message": "sometimes"}).status_code == 422
    assert call(a, "post", f"{BASE}/conversations", {"username": "nobody-here"}).status_code == 404
    assert call(a, "post", f"{BASE}/conversations", {}).json()["code"] == "invalid_recipients"
    assert (
        call(a, "post", f"{BASE}/conversations", {"username": alice.username}).json()["code"]
        == "cannot_message_self"
    )


def test_bounds_and_bad_input(pair: Any) -> None:
    _alice, bob, a, b = pair
    conv = open_direct(a, bob.username)
    url = f"{BASE}/conversations/{conv}/messages"
    assert call(a, "post", url, {"body": "x" * 4001}).status_code == 422
    assert call(a, "post", url, {"body": ""}).json()["code"] == "empty_message"
    assert (
        call(a, "post", url, {"body": "hi"}, HTTP_IDEMPOTENCY_KEY="a b").json()["code"]
        == "invalid_idempotency_key"
    )
    assert a.get(f"{url}?limit=101").status_code == 422
    assert a.get(f"{BASE}/conversations/99999999999999999999/messages").status_code in (404, 422)
    assert a.get(f"{BASE}/events?after=-1").status_code == 422
    assert call(a, "post", f"{BASE}/conversations", {"usernames": ["x"] * 51}).status_code == 422
    sent = call(a, "post", url, {"body": "hi"}).json()
    assert (
        call(b, "put", f"{BASE}/items/{sent['id']}/reaction", {"emoji": "hello"}).json()["code"]
        == "invalid_reaction"
    )
    assert call(b, "put", f"{BASE}/items/{sent['id']}/reaction", {"emoji": "👍"}).status_code == 204
    assert a.get(url).json()["items"][0]["reactions"] == [{"emoji": "👍", "count": 1, "mine": False}]
    assert call(b, "post", f"{BASE}/items/{sent['id']}/unsend").json()["code"] == "not_your_message"
    assert call(a, "post", f"{BASE}/items/{sent['id']}/unsend").json()["state"] == "unsent"


def test_outsiders_and_anonymous_see_nothing(pair: Any) -> None:
    _alice, bob, a, _b = pair
    conv = open_direct(a, bob.username)
    sent = call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": "private"}).json()
    outsider = as_member(UserFactory())
    for client, status in ((outsider, 404), (Client(), 401)):
        assert client.get(f"{BASE}/conversations/{conv}").status_code == status
        assert client.get(f"{BASE}/conversations/{conv}/messages").status_code == status
        assert (
            call(client, "post", f"{BASE}/conversations/{conv}/messages", {"body": "x"}).status_code == status
        )
        assert call(client, "post", f"{BASE}/items/{sent['id']}/translate").status_code == status
        assert (
            call(client, "put", f"{BASE}/items/{sent['id']}/reaction", {"emoji": "👍"}).status_code == status
        )
    assert outsider.get(f"{BASE}/events").json()["items"] == []


def test_block_ends_it_over_the_api(pair: Any) -> None:
    alice, bob, a, b = pair
    conv = open_direct(a, bob.username)
    call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": "hi"})
    block(bob, alice)
    assert a.get(f"{BASE}/conversations/{conv}").status_code == 404
    assert call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": "?"}).status_code == 404
    detail = b.get(f"{BASE}/conversations/{conv}").json()
    assert detail["closed"] is True


def test_groups_over_the_api() -> None:
    admin, m1, m2, m3 = (UserFactory() for _ in range(4))
    for m in (m1, m2, m3):
        follow(m, admin)
    a = as_member(admin)
    created = call(
        a, "post", f"{BASE}/conversations", {"usernames": [m1.username, m2.username], "title": "Hiking"}
    )
    assert created.status_code == 201 and created.json()["member_count"] == 3
    conv = created.json()["id"]
    assert (
        call(a, "post", f"{BASE}/conversations/{conv}/members", {"usernames": [m3.username]}).status_code
        == 200
    )
    members = a.get(f"{BASE}/conversations/{conv}/members").json()
    assert {m["username"] for m in members} == {admin.username, m1.username, m2.username, m3.username}
    other = as_member(m1)
    assert (
        call(other, "post", f"{BASE}/conversations/{conv}/members", {"usernames": [m3.username]}).json()[
            "code"
        ]
        == "not_group_admin"
    )
    assert a.delete(f"{BASE}/conversations/{conv}/members/{m2.username}").status_code == 204
    assert as_member(m2).get(f"{BASE}/conversations/{conv}").status_code == 404
    assert call(a, "patch", f"{BASE}/conversations/{conv}", {"title": "Hiking 2", "pinned": True}).json()[
        "pinned"
    ]
    assert call(other, "patch", f"{BASE}/conversations/{conv}", {"muted": True}).json()["muted"] is True


def test_bearer_token_and_events_resume(pair: Any) -> None:
    _alice, bob, a, _b = pair
    _token, raw = token_for(bob)
    conv = open_direct(a, bob.username)
    for i in range(3):
        call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": f"m{i}"})
    client = Client()
    first = client.get(f"{BASE}/events?after=0&limit=2", **bearer(raw)).json()
    assert len(first["items"]) == 2 and first["has_more"]
    rest = client.get(f"{BASE}/events?after={first['last_id']}", **bearer(raw)).json()
    bodies = [e["message"]["body"] for e in first["items"] + rest["items"] if e["type"] == "message"]
    assert bodies == ["m0", "m1", "m2"]


def test_query_budgets(pair: Any, django_assert_max_num_queries: Any) -> None:
    _alice, bob, a, b = pair
    conv = open_direct(a, bob.username)
    for i in range(20):
        call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": f"message {i}"})
    for _ in range(5):
        other = UserFactory()
        follow(bob, other)
        c = as_member(other)
        cid = open_direct(c, bob.username)
        call(c, "post", f"{BASE}/conversations/{cid}/messages", {"body": "hi"})
    with django_assert_max_num_queries(14):
        assert len(b.get(f"{BASE}/conversations/{conv}/messages").json()["items"]) == 20
    with django_assert_max_num_queries(8):
        assert len(b.get(f"{BASE}/conversations").json()["items"]) == 6
    with django_assert_max_num_queries(10):
        b.get(f"{BASE}/events?after=0&limit=50")
    with django_assert_max_num_queries(17):
        call(a, "post", f"{BASE}/conversations/{conv}/messages", {"body": "budget"})


def test_group_photo_over_the_api(django_capture_on_commit_callbacks: Any) -> None:
    """The JSON API sets, shows and removes a group's photo as the web UI does (admins only, their own
    photo from the media pipeline)."""
    from haven.media.services import image_upload
    from haven.media.tests.factories import png, upload

    admin, m1, m2 = (UserFactory() for _ in range(3))
    for m in (m1, m2):
        follow(m, admin)
    a = as_member(admin)
    conv = call(a, "post", f"{BASE}/conversations", {"usernames": [m1.username, m2.username]}).json()["id"]
    assert a.get(f"{BASE}/conversations/{conv}").json()["photo_url"] is None
    with django_capture_on_commit_callbacks(execute=True):
        mine = image_upload(owner=admin, file=upload(png((400, 400)), "g.png", "image/png"))
        theirs = image_upload(owner=m1, file=upload(png((400, 400)), "t.png", "image/png"))
    changed = call(a, "patch", f"{BASE}/conversations/{conv}", {"photo_id": mine.pk})
    assert changed.status_code == 200, changed.content
    assert f"/media/r/{mine.pk}/" in changed.json()["photo_url"]
    listed = a.get(f"{BASE}/conversations").json()["items"]
    assert f"/media/r/{mine.pk}/" in listed[0]["photo_url"]
    member_view = as_member(m1).get(f"{BASE}/conversations/{conv}").json()
    assert f"/media/r/{mine.pk}/" in member_view["photo_url"]
    not_admin = call(as_member(m1), "patch", f"{BASE}/conversations/{conv}", {"photo_id": theirs.pk})
    assert not_admin.json()["code"] == "not_group_admin"
    someone_elses = call(a, "patch", f"{BASE}/conversations/{conv}", {"photo_id": theirs.pk})
    assert someone_elses.status_code == 404
    assert call(a, "patch", f"{BASE}/conversations/{conv}", {"photo_id": -1}).status_code == 422
    removed = call(a, "patch", f"{BASE}/conversations/{conv}", {"photo_id": 0})
    assert removed.status_code == 200 and removed.json()["photo_url"] is None
