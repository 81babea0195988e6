"""The catalog JSON API over HTTP: products, variants, stock, a shop's products, note tags and taps."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag, TagClick
from haven.catalog.tests.world import product, shop, variant_payload
from haven.notes.tests.factories import MediaImageFactory, NoteFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalog"


def call(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def member(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_product_crud_status_and_visibility() -> None:
    s = shop()
    owner = member(s.owner)
    image = MediaImageFactory(owner=s.owner)
    created = call(
        owner,
        "post",
        f"{BASE}/products",
        {
            "shop_id": s.pk,
            "title": "Oolong",
            "commission_bps": 800,
            "variants": [
                variant_payload("A", size="50g", price=3800),
                variant_payload("B", size="100g", price=6800),
            ],
            "image_ids": [image.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pid = body["id"]
    assert (
        body["status"] == "draft"
        and body["can_manage"]
        and body["price_min"] == 3800
        and body["price_max"] == 6800
    )
    assert call(Client(), "get", f"{BASE}/products/{pid}").status_code == 404
    assert (
        call(owner, "post", f"{BASE}/products/{pid}/status", {"status": "active"}).json()["status"]
        == "active"
    )
    public = call(Client(), "get", f"{BASE}/products/{pid}").json()
    assert public["can_manage"] is False and public["variants"][0]["stock_state"] == "unlimited"
    patched = call(owner, "patch", f"{BASE}/products/{pid}", {"title": "Oolong tea"})
    assert patched.json()["title"] == "Oolong tea"
    assert call(member(UserFactory()), "patch", f"{BASE}/products/{pid}", {"title": "x"}).status_code == 404
    assert call(Client(), "post", f"{BASE}/products", {}).status_code in (401, 403)
    too_long = call(owner, "patch", f"{BASE}/products/{pid}", {"title": "x" * 101})
    assert too_long.status_code == 422
    bad = call(owner, "post", f"{BASE}/products/{pid}/status", {"status": "sold"})
    assert bad.status_code == 422


def test_variants_and_stock() -> None:
    p = product(variants=2, stock=2)
    owner = member(p.shop.owner)
    added = call(
        owner,
        "post",
        f"{BASE}/products/{p.pk}/variants",
        {"sku": "N", "options": {"size": "L"}, "price": 100},
    )
    assert added.status_code == 201
    vid = added.json()["id"]
    patched = call(owner, "patch", f"{BASE}/variants/{vid}", {"stock": 5, "compare_at_price": 200})
    assert patched.json()["stock"] == 5 and patched.json()["compare_at_price"] == 200
    unlimited = call(owner, "patch", f"{BASE}/variants/{vid}", {"stock": None})
    assert unlimited.json()["stock"] is None
    first = p.variants.first()
    assert first is not None
    short = call(owner, "post", f"{BASE}/variants/{first.pk}/stock", {"delta": -3})
    assert short.status_code == 409 and short.json()["code"] == "insufficient_stock"
    assert (
        call(owner, "post", f"{BASE}/variants/{first.pk}/stock", {"delta": -2}).json()["stock_state"]
        == "sold_out"
    )
    assert call(owner, "delete", f"{BASE}/variants/{vid}").json() == {"result": "deleted"}
    dupe = call(
        owner,
        "post",
        f"{BASE}/products/{p.pk}/variants",
        {"sku": "sku-0", "options": {"size": "XL"}, "price": 1},
    )
    assert dupe.status_code == 400 and dupe.json()["code"] == "duplicate_sku"


def test_shop_products_are_cursor_paginated() -> None:
    s = shop()
    made = [product(s, title=f"P{n}") for n in range(5)]
    product(s, status="draft")
    first = call(Client(), "get", f"{BASE}/shops/{s.pk}/products?limit=3").json()
    assert [i["id"] for i in first["items"]] == [p.pk for p in made[::-1][:3]]
    second = call(
        Client(), "get", f"{BASE}/shops/{s.pk}/products?limit=3&cursor={first['next_cursor']}"
    ).json()
    assert [i["id"] for i in second["items"]] == [made[1].pk, made[0].pk] and second["next_cursor"] is None
    assert len(call(member(s.owner), "get", f"{BASE}/shops/{s.pk}/products").json()["items"]) == 6
    assert call(Client(), "get", f"{BASE}/shops/{s.pk}/products?cursor=junk").status_code == 400
    assert call(Client(), "get", f"{BASE}/shops/{shop(status='pending').pk}/products").status_code == 404
    assert call(Client(), "get", f"{BASE}/shops/{s.pk}/products?limit=51").status_code == 422


def test_note_tags_and_clicks() -> None:
    note = NoteFactory(images=1)
    p = product()
    author = member(note.author)
    put = call(
        author,
        "put",
        f"{BASE}/notes/{note.pk}/tags",
        {"tags": [{"product_id": p.pk, "point": {"image_index": 0, "x": 1, "y": 2}}]},
    )
    assert put.status_code == 200 and put.json()["items"][0]["product"]["title"] == p.title
    assert call(Client(), "get", f"{BASE}/notes/{note.pk}/tags").json()["items"][0]["x"] == 1
    assert call(member(UserFactory()), "put", f"{BASE}/notes/{note.pk}/tags", {"tags": []}).status_code == 404
    many = call(
        author, "put", f"{BASE}/notes/{note.pk}/tags", {"tags": [{"product_id": n + 1} for n in range(11)]}
    )
    assert many.status_code == 422
    buyer = member(UserFactory())
    assert call(buyer, "post", f"{BASE}/notes/{note.pk}/tags/{p.pk}/click").json() == {"recorded": True}
    assert TagClick.objects.count() == 1
    assert call(buyer, "post", f"{BASE}/notes/{note.pk}/tags/{product().pk}/click").status_code == 404
    assert NoteProductTag.objects.count() == 1
    partial = call(
        author, "put", f"{BASE}/notes/{note.pk}/tags", {"tags": [{"product_id": p.pk, "point": {"x": 1}}]}
    )
    assert partial.status_code == 422
    extra = call(
        author, "put", f"{BASE}/notes/{note.pk}/tags", {"tags": [{"product_id": p.pk, "colour": "red"}]}
    )
    assert extra.status_code == 422
    missing = call(author, "put", f"{BASE}/notes/{note.pk}/tags", {"tags": [{"product_id": 999999}]})
    assert missing.status_code == 404 and missing.json()["code"] == "product_not_taggable"
