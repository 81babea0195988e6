"""The reviews JSON API over HTTP: list with cursor and filters, histogram, create, patch, delete, bounds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.core.reportables import ModerationState
from haven.orders.tests.world import product, shop
from haven.reviews import services
from haven.reviews.models import Review
from haven.reviews.tests.helpers import bought, photos

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reviews"


def call(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def member(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_patch_delete() -> None:
    line = bought()
    buyer = line.order.buyer
    me = member(buyer)
    ids = photos(buyer)
    made = call(me, "post", BASE, {"order_line_id": line.pk, "rating": 4, "body": "Good", "photo_ids": ids})
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["verified"] and data["rating"] == 4 and data["author"]["username"] == buyer.username
    assert [p["id"] for p in data["photos"]] == ids and data["can_edit"]
    again = call(me, "post", BASE, {"order_line_id": line.pk, "rating": 4})
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"
    patched = call(me, "patch", f"{BASE}/{data['id']}", {"rating": 2})
    assert patched.status_code == 200 and patched.json()["rating"] == 2 and patched.json()["body"] == "Good"
    assert call(member(UserFactory()), "patch", f"{BASE}/{data['id']}", {"rating": 5}).status_code == 404
    assert call(member(UserFactory()), "delete", f"{BASE}/{data['id']}").status_code == 404
    assert call(me, "delete", f"{BASE}/{data['id']}").status_code == 204
    assert not Review.objects.exists()


def test_create_refusals() -> None:
    line = bought(deliver=False)
    me = member(line.order.buyer)
    early = call(me, "post", BASE, {"order_line_id": line.pk, "rating": 5})
    assert early.status_code == 409 and early.json()["code"] == "not_delivered_yet"
    other = call(member(UserFactory()), "post", BASE, {"order_line_id": line.pk, "rating": 5})
    assert other.status_code == 404
    assert call(Client(), "post", BASE, {"order_line_id": line.pk, "rating": 5}).status_code in (401, 403)


@pytest.mark.parametrize(
    "payload",
    [
        {"order_line_id": 1, "rating": 0},
        {"order_line_id": 1, "rating": 6},
        {"order_line_id": 0, "rating": 5},
        {"order_line_id": 1, "rating": 5, "body": "x" * 2001},
        {"order_line_id": 1, "rating": 5, "photo_ids": list(range(1, 11))},
        {"order_line_id": 2**63, "rating": 5},
    ],
)
def test_inputs_are_bounded(payload: dict[str, Any]) -> None:
    response = call(member(UserFactory()), "post", BASE, payload)
    assert response.status_code in (400, 422)


def test_list_is_cursor_paginated_filtered_and_hides_removed_reviews() -> None:
    variant = product(shop())
    reviews = []
    for n in range(5):
        line = bought(variant=variant)
        reviews.append(
            services.review_create(
                author=line.order.buyer,
                order_line_id=line.pk,
                rating=n + 1,
                photo_ids=photos(line.order.buyer) if n % 2 else (),
            )
        )
    services.review_set_moderation(review_id=reviews[0].pk, state=ModerationState.REMOVED)
    url = f"{BASE}/products/{variant.product_id}"
    first = call(Client(), "get", f"{url}?limit=2").json()
    assert [r["id"] for r in first["items"]] == [reviews[4].pk, reviews[3].pk] and first["next_cursor"]
    rest = call(Client(), "get", f"{url}?limit=2&cursor={first['next_cursor']}").json()
    assert [r["id"] for r in rest["items"]] == [reviews[2].pk, reviews[1].pk] and rest["next_cursor"] is None
    with_photos = call(Client(), "get", f"{url}?with_photos=true").json()
    assert [r["id"] for r in with_photos["items"]] == [reviews[3].pk, reviews[1].pk]
    assert call(Client(), "get", f"{url}?cursor=junk").status_code == 400
    assert call(Client(), "get", f"{url}?limit=51").status_code == 422
    assert call(Client(), "get", f"{BASE}/products/999999").status_code == 404
    hist = call(Client(), "get", f"{url}/histogram").json()
    assert hist["count"] == 4 and hist["stars"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1}
    assert hist["average"] == 3.5
    assert call(Client(), "get", f"{BASE}/{reviews[0].pk}").status_code == 404
    assert call(Client(), "get", f"{BASE}/{reviews[1].pk}").json()["rating"] == 2
