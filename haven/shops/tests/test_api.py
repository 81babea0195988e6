"""The shops JSON API over HTTP: status codes, stable error codes, bounds, cursors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.shops import services, states
from haven.shops.models import Shop
from haven.shops.tests.factories import make_shop, operator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/shops"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def call(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def as_member(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


OPEN = {"name": "Tea House", "slug": "tea-house", "kind": "brand", "currency": "CNY", "description_zh": "茶"}


def test_open_read_patch_and_mine() -> None:
    owner = UserFactory()
    client = as_member(owner)
    response = call(client, "post", BASE, OPEN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["my_role"] == "owner" and body["url"] == "/shop/tea-house/"
    shop_id = body["id"]
    assert call(client, "post", BASE, OPEN).json()["code"] == "slug_taken"
    assert call(client, "get", f"{BASE}/tea-house").json()["id"] == shop_id
    assert call(client, "get", f"{BASE}/{shop_id}").json()["slug"] == "tea-house"
    patched = call(client, "patch", f"{BASE}/{shop_id}", {"name": "Tea House 2", "description_en": "Tea"})
    assert patched.status_code == 200 and patched.json()["name"] == "Tea House 2"
    assert patched.json()["description"] == "Tea"
    refused = call(client, "patch", f"{BASE}/{shop_id}", {"currency": "USD"})
    assert (refused.status_code, refused.json()["code"]) == (409, "currency_fixed")
    mine = call(client, "get", f"{BASE}/mine").json()
    assert [s["id"] for s in mine["items"]] == [shop_id] and mine["next_cursor"] is None
    assert call(as_member(UserFactory()), "patch", f"{BASE}/{shop_id}", {"name": "x"}).status_code == 404


def test_bounds_are_4xx() -> None:
    client = as_member(UserFactory())
    too_long = {**OPEN, "name": "x" * 61}
    assert call(client, "post", BASE, too_long).status_code == 422
    assert call(client, "post", BASE, {**OPEN, "kind": "mall"}).status_code == 422
    assert call(client, "post", BASE, {**OPEN, "description_en": "x" * 2001}).status_code == 422
    bad_slug = call(client, "post", BASE, {**OPEN, "slug": "Tea House"})
    assert (bad_slug.status_code, bad_slug.json()["code"]) == (400, "invalid_slug")
    bad_currency = call(client, "post", BASE, {**OPEN, "currency": "ZZZ"})
    assert (bad_currency.status_code, bad_currency.json()["code"]) == (400, "invalid_currency")
    nul = call(client, "post", BASE, {**OPEN, "name": "Tea\u0000"})
    assert nul.status_code == 400
    assert call(client, "get", f"{BASE}/{'x' * 41}").status_code in (404, 422)
    assert call(client, "get", f"{BASE}/mine?limit=51").status_code == 422
    assert call(client, "get", f"{BASE}/mine?cursor=garbage").json()["code"] == "invalid_cursor"
    assert call(client, "patch", f"{BASE}/{2**63}", {"name": "x"}).status_code in (404, 422)
    assert call(Client(), "post", BASE, OPEN).status_code == 401


def test_review_endpoint_and_queue() -> None:
    shop = make_shop(status=states.PENDING)
    op = as_member(operator())
    owner = as_member(shop.owner)
    stranger = as_member(UserFactory())
    assert call(stranger, "post", f"{BASE}/{shop.pk}/review", {"action": "approve"}).status_code == 404
    refused = call(owner, "post", f"{BASE}/{shop.pk}/review", {"action": "approve"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_operator")
    assert call(owner, "get", f"{BASE}/review").status_code == 403
    queue = call(op, "get", f"{BASE}/review?status=pending").json()
    assert [s["id"] for s in queue["items"]] == [shop.pk]
    no_note = call(op, "post", f"{BASE}/{shop.pk}/review", {"action": "reject"})
    assert (no_note.status_code, no_note.json()["code"]) == (400, "note_required")
    rejected = call(op, "post", f"{BASE}/{shop.pk}/review", {"action": "reject", "note": "Logo"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["review_note"] == "Logo"
    illegal = call(op, "post", f"{BASE}/{shop.pk}/review", {"action": "suspend", "note": "x"})
    assert (illegal.status_code, illegal.json()["code"]) == (409, "invalid_transition")
    assert call(op, "post", f"{BASE}/{shop.pk}/review", {"action": "open"}).status_code == 422
    assert call(owner, "post", f"{BASE}/{shop.pk}/resubmit").json()["status"] == "pending"
    assert call(op, "post", f"{BASE}/{shop.pk}/review", {"action": "approve"}).json()["status"] == "active"
    public = call(Client(), "get", f"{BASE}/{shop.slug}").json()
    assert public["status"] == "active" and public["review_note"] is None and public["my_role"] is None
    history = call(owner, "get", f"{BASE}/{shop.pk}/history").json()
    assert [h["dst"] for h in history] == ["active", "pending", "rejected", "pending"]
    assert history[0]["by_operator"] is True


def test_queue_cursor_pages() -> None:
    for _ in range(3):
        make_shop(status=states.PENDING)
    op = as_member(operator())
    first = call(op, "get", f"{BASE}/review?limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = call(op, "get", f"{BASE}/review?limit=2&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    ids = {s["id"] for s in first["items"]} | {s["id"] for s in second["items"]}
    assert ids == set(Shop.objects.filter(status="pending").values_list("pk", flat=True))
    mine_scope = call(op, "get", f"{BASE}/mine?cursor={first['next_cursor']}")
    assert mine_scope.json()["code"] == "invalid_cursor"  # a cursor works only for its own list


def test_staff_and_shipping_endpoints() -> None:
    shop = make_shop()
    owner = as_member(shop.owner)
    manager = UserFactory()
    added = call(owner, "post", f"{BASE}/{shop.pk}/staff", {"username": manager.username, "role": "manager"})
    assert added.status_code == 201 and added.json()["role"] == "manager"
    assert (
        call(owner, "post", f"{BASE}/{shop.pk}/staff", {"username": "x", "role": "owner"}).status_code == 422
    )
    again = call(
        owner, "post", f"{BASE}/{shop.pk}/staff", {"username": manager.username, "role": "fulfilment"}
    )
    assert again.json()["code"] == "already_staff"
    changed = call(owner, "patch", f"{BASE}/{shop.pk}/staff/{manager.username}", {"role": "fulfilment"})
    assert changed.json()["role"] == "fulfilment"
    staff = call(as_member(manager), "get", f"{BASE}/{shop.pk}/staff").json()
    assert [s["role"] for s in staff] == ["owner", "fulfilment"]
    owner_stays = call(owner, "delete", f"{BASE}/{shop.pk}/staff/{shop.owner.username}")
    assert (owner_stays.status_code, owner_stays.json()["code"]) == (409, "owner_stays")
    assert call(as_member(manager), "delete", f"{BASE}/{shop.pk}/staff/{manager.username}").status_code == 204

    rate = call(owner, "put", f"{BASE}/{shop.pk}/shipping", {"region": "cn", "mode": "flat", "amount": 800})
    assert rate.status_code == 200 and rate.json() == {"region": "CN", "mode": "flat", "amount": 800}
    bad = call(owner, "put", f"{BASE}/{shop.pk}/shipping", {"region": "QQ", "mode": "flat", "amount": 1})
    assert bad.json()["code"] == "invalid_region"
    assert call(owner, "put", f"{BASE}/{shop.pk}/shipping", {"region": "US", "amount": -1}).status_code == 422
    assert (
        call(owner, "put", f"{BASE}/{shop.pk}/shipping", {"region": "US", "amount": 1.5}).status_code == 422
    )
    assert call(Client(), "get", f"{BASE}/{shop.pk}/shipping").json() == [
        {"region": "CN", "mode": "flat", "amount": 800}
    ]
    assert call(owner, "delete", f"{BASE}/{shop.pk}/shipping/CN").status_code == 204
    stranger = as_member(UserFactory())
    assert (
        call(stranger, "put", f"{BASE}/{shop.pk}/shipping", {"region": "US", "amount": 1}).status_code == 404
    )


def test_open_is_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "OPENS_PER_HOUR", 1)
    client = as_member(UserFactory())
    call(client, "post", BASE, {**OPEN, "slug": "bad slug"})
    limited = call(client, "post", BASE, OPEN)
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
