"""Contract tests of /api/v1/people over HTTP: shapes, status and error codes, bounds, 401."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import bearer, token_for
from haven.graph.models import Follow
from haven.people.models import ContactList, FormerHandle
from haven.people.tests.factories import claim, contacts, member

pytestmark = pytest.mark.django_db
URL = "/api/v1/people"


@pytest.fixture
def me() -> Any:
    return member()


@pytest.fixture
def auth(me: Any) -> dict[str, Any]:
    _token, raw = token_for(me)
    return bearer(raw)


def _json(client: Client, method: str, path: str, body: Any, auth: dict[str, Any]) -> Any:
    return getattr(client, method)(f"{URL}{path}", body, content_type="application/json", **auth)


def test_anonymous_callers_get_401(client: Client) -> None:
    for path in ("/handles", "/matches", "/contacts"):
        response = client.get(f"{URL}{path}")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    assert client.post(f"{URL}/handles", {}, content_type="application/json").status_code == 401
    assert client.post(f"{URL}/matches/follow", {}, content_type="application/json").status_code == 401
    assert client.delete(f"{URL}/contacts/tiktok").status_code == 401


def test_handles_crud(client: Client, me: Any, auth: dict[str, Any]) -> None:
    response = _json(client, "post", "/handles", {"platform": "tiktok", "handle": "@Anna.Cooks"}, auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["handle"] == "Anna.Cooks" and body["discoverable"] is False and body["self_declared"] is True
    handle_id = body["id"]
    again = _json(client, "post", "/handles", {"platform": "tiktok", "handle": "anna.cooks"}, auth)
    assert again.status_code == 409 and again.json()["code"] == "handle_exists"
    bad = _json(client, "post", "/handles", {"platform": "tiktok", "handle": "anna cooks"}, auth)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_handle"
    for payload in (
        {"platform": "vine", "handle": "anna"},
        {"platform": "tiktok", "handle": "a" * 40},
        {"platform": "tiktok", "handle": "anna", "extra": 1},
    ):
        assert _json(client, "post", "/handles", payload, auth).status_code == 422
    patched = _json(client, "patch", f"/handles/{handle_id}", {"discoverable": True}, auth)
    assert patched.status_code == 200 and patched.json()["discoverable"] is True
    listed = client.get(f"{URL}/handles", **auth).json()["items"]
    assert [h["handle"] for h in listed] == ["Anna.Cooks"]
    # Someone else's handle looks missing.
    other = claim(member(), "bob")
    assert _json(client, "patch", f"/handles/{other.pk}", {"discoverable": False}, auth).status_code == 404
    assert client.delete(f"{URL}/handles/{other.pk}", **auth).json()["code"] == "handle_not_found"
    assert client.delete(f"{URL}/handles/{handle_id}", **auth).status_code == 204
    assert not FormerHandle.objects.filter(user=me).exists()
    assert client.delete(f"{URL}/handles/0", **auth).status_code == 422


def test_matches_and_follow(client: Client, me: Any, auth: dict[str, Any]) -> None:
    anna, stranger = member(), member()
    claim(anna, "anna")
    contacts(me, ["anna", "zed"])
    response = client.get(f"{URL}/matches", **auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["user"]["username"], i["kind"], i["contact_handle"]) for i in items] == [
        (anna.username, "exact", "anna")
    ]
    assert client.get(f"{URL}/matches?platform=vine", **auth).status_code == 422
    assert client.get(f"{URL}/matches?limit=0", **auth).status_code == 422
    followed = _json(client, "post", "/matches/follow", {"user_ids": [anna.pk, stranger.pk]}, auth)
    assert followed.status_code == 200 and followed.json() == {"followed": 1, "requested": 0, "skipped": 1}
    assert Follow.objects.filter(follower=me, followee=anna).exists()
    assert not Follow.objects.filter(follower=me, followee=stranger).exists()
    too_many = _json(client, "post", "/matches/follow", {"user_ids": list(range(1, 502))}, auth)
    assert too_many.status_code == 422
    assert _json(client, "post", "/matches/follow", {"user_ids": []}, auth).status_code == 422
    assert _json(client, "post", "/matches/follow", {"user_ids": [0]}, auth).status_code == 422


def test_contacts_summary_notify_and_delete(client: Client, me: Any, auth: dict[str, Any]) -> None:
    contacts(me, ["a", "b", "c"])
    items = client.get(f"{URL}/contacts", **auth).json()["items"]
    assert [(i["platform"], i["count"], i["notify_on_join"]) for i in items] == [("tiktok", 3, False)]
    put = _json(client, "put", "/contacts/tiktok", {"notify_on_join": True}, auth)
    assert put.status_code == 200 and put.json()["items"][0]["notify_on_join"] is True
    assert _json(client, "put", "/contacts/instagram", {"notify_on_join": True}, auth).json()["code"] == (
        "contacts_not_found"
    )
    assert _json(client, "put", "/contacts/vine", {"notify_on_join": True}, auth).json()["code"] == (
        "invalid_platform"
    )
    assert client.delete(f"{URL}/contacts/instagram", **auth).status_code == 404
    deleted = client.delete(f"{URL}/contacts/tiktok", **auth)
    assert deleted.status_code == 200 and deleted.json() == {"deleted": 3}
    assert not ContactList.objects.filter(user=me).exists()
