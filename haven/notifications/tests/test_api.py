"""HTTP contract tests of /api/v1/notifications: inbox pages, unread count, mark read, errors, budgets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.notifications import access, services
from haven.notifications.models import Notification
from haven.notifications.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Verb = Notification.Verb
URL = "/api/v1/notifications"


@pytest.fixture(autouse=True)
def _own_filters(monkeypatch):
    """Run against an empty filter registry: higher apps' filters (notes, graph) need their own rows."""
    monkeypatch.setattr(access, "_filters", [])


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _likes(owner, note_id, count):
    for fan in UserFactory.create_batch(count):
        services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.LIKE_NOTE, note_id=note_id)


def test_inbox_requires_authentication(client):
    for method, path in (("get", URL), ("get", f"{URL}/unread-count"), ("post", f"{URL}/read")):
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_inbox_lists_groups_with_text(client, owner):
    _likes(owner, 7, 12)
    follower = UserFactory(display_name="Bo")
    services.notify(recipient_id=owner.pk, actor_id=follower.pk, verb=Verb.FOLLOW)
    body = client.get(URL).json()
    assert body["next_cursor"] is None
    follow, likes = body["items"]
    assert follow["verb"] == "follow" and follow["text"] == "Bo started following you"
    assert follow["actors"] == [{"username": follower.username, "display_name": "Bo", "avatar_url": ""}]
    assert likes["group_key"] == "like_note:7"
    assert likes["actor_count"] == 12 and len(likes["actors"]) == 3
    assert likes["text"].endswith("and 11 others liked your note")
    assert likes["unread"] is True and likes["note_id"] == 7 and likes["comment_id"] is None


def test_inbox_text_follows_the_interface_language(client, owner):
    _likes(owner, 7, 2)
    response = client.get(URL, headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    assert response.json()["items"][0]["text"]  # zh-Hans wording comes with the catalog


def test_inbox_paging_over_http(client, owner):
    for note_id in range(1, 6):
        _likes(owner, note_id, 1)
    first = client.get(URL, {"limit": 2}).json()
    assert [i["note_id"] for i in first["items"]] == [5, 4]
    second = client.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["note_id"] for i in second["items"]] == [3, 2]
    third = client.get(URL, {"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [i["note_id"] for i in third["items"]] == [1]
    assert third["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "code", "status"),
    [
        ({"limit": 0}, "invalid_input", 422),
        ({"limit": 51}, "invalid_input", 422),
        ({"cursor": "garbage"}, "invalid_cursor", 400),
        ({"cursor": "x" * 2001}, "invalid_input", 422),
    ],
)
def test_inbox_bad_input(client, owner, params, code, status):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_unread_count_and_mark_read(client, owner):
    _likes(owner, 1, 3)
    _likes(owner, 2, 1)
    assert client.get(f"{URL}/unread-count").json() == {"count": 2}
    response = client.post(f"{URL}/read", {"group_keys": ["like_note:1"]}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"marked": 3}
    assert client.get(f"{URL}/unread-count").json() == {"count": 1}
    assert client.post(f"{URL}/read", {}, content_type="application/json").json() == {"marked": 1}
    assert client.get(f"{URL}/unread-count").json() == {"count": 0}
    assert [i["unread"] for i in client.get(URL).json()["items"]] == [False, False]


def test_mark_read_is_bounded(client, owner):
    too_many = {"group_keys": [f"like_note:{i}" for i in range(201)]}
    response = client.post(f"{URL}/read", too_many, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    too_long = {"group_keys": ["x" * 81]}
    response = client.post(f"{URL}/read", too_long, content_type="application/json")
    assert response.status_code == 422


def test_members_see_only_their_own_inbox(client, owner):
    other = UserFactory()
    _likes(other, 1, 2)
    assert client.get(URL).json()["items"] == []
    assert client.post(f"{URL}/read", {}, content_type="application/json").json() == {"marked": 0}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_inbox_query_count_does_not_grow_with_groups_or_page_size(client, owner):
    for note_id in range(1, 46):
        _likes(owner, note_id, 2)
    few, body_few = _count_queries(client, {"limit": 5})
    many, body_many = _count_queries(client, {"limit": 40})
    assert len(body_few["items"]) == 5 and len(body_many["items"]) == 40
    assert few == many
    cursor_page, _ = _count_queries(client, {"limit": 40, "cursor": body_many["next_cursor"]})
    assert cursor_page == many
    assert many <= 6


def test_inbox_budget_fixture(client, owner, django_assert_max_num_queries):
    for note_id in range(1, 30):
        _likes(owner, note_id, 3)
    with django_assert_max_num_queries(6):
        client.get(URL, {"limit": 50})
    with django_assert_max_num_queries(4):
        client.get(f"{URL}/unread-count")


def test_inbox_query_count_is_the_same_for_few_and_many_groups(client, owner):
    _likes(owner, 1, 1)
    _likes(owner, 2, 3)
    few, _ = _count_queries(client, {"limit": 20})
    for note_id in range(3, 60):
        _likes(owner, note_id, 2)
    many, body = _count_queries(client, {"limit": 20})
    assert len(body["items"]) == 20
    assert few == many
