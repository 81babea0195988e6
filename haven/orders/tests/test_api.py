"""Contract tests of /api/v1/orders: addresses, cart, idempotent checkout, lists, one order and its
actions; stable error codes; others' orders are 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import Variant
from haven.orders import services, states
from haven.orders.models import Checkout, Order
from haven.orders.tests.world import address, pay, product, shop
from haven.payments.models import Payment
from haven.shops.models import ShopStaff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/orders"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: Any = None, **headers: str) -> Any:
    return client.post(
        f"{BASE}{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


def _patch(client: Client, path: str, body: Any) -> Any:
    return client.patch(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def _code(response: Any) -> str:
    return str(response.json()["code"])


def _paid_order(buyer: Any, in_shop: Any = None, key: str = "paid") -> Order:
    services.cart_add(user=buyer, variant_id=product(in_shop or shop()).pk)
    checkout = services.checkout_submit(buyer=buyer, key=key, address_id=address(buyer).pk)
    assert checkout.payment is not None
    pay(checkout.payment)
    return Order.objects.get(checkout=checkout)


def test_address_book_crud_and_bounds() -> None:
    user = UserFactory()
    client = _client(user)
    body = {"name": "Lin", "line1": "1 Tea Road", "city": "Hangzhou", "country": "CN"}
    made = _post(client, "/addresses", body)
    assert made.status_code == 201 and made.json()["is_default"] is True
    address_id = made.json()["id"]
    changed = _patch(client, f"/addresses/{address_id}", {"city": "Suzhou"})
    assert (
        changed.status_code == 200
        and changed.json()["city"] == "Suzhou"
        and changed.json()["line1"] == "1 Tea Road"
    )
    assert [a["id"] for a in client.get(f"{BASE}/addresses").json()] == [address_id]
    assert _post(client, "/addresses", {**body, "country": "C1"}).status_code == 422
    assert _post(client, "/addresses", {**body, "name": "   "}).status_code == 422
    assert _post(client, "/addresses", {**body, "name": "x" * 81}).status_code == 422
    stranger = _client(UserFactory())
    assert _patch(stranger, f"/addresses/{address_id}", {"city": "X"}).status_code == 404
    assert stranger.delete(f"{BASE}/addresses/{address_id}").status_code == 404
    assert client.delete(f"{BASE}/addresses/{address_id}").status_code == 204
    for _ in range(10):
        _post(client, "/addresses", body)
    assert _code(_post(client, "/addresses", body)) == "too_many_addresses"


def test_cart_items_and_codes() -> None:
    buyer = UserFactory()
    client = _client(buyer)
    variant = product(shop(name="Tea House"), price=5000)
    added = _post(client, "/cart/items", {"variant_id": variant.pk, "quantity": 2})
    assert added.status_code == 201
    cart = added.json()
    assert cart["count"] == 2 and cart["shops"][0]["name"] == "Tea House"
    assert cart["totals"] == [
        {"currency": "CNY", "amount": 10000, "display": "¥100.00", "items": 2, "blocked": False}
    ]
    item_id = cart["shops"][0]["lines"][0]["id"]
    assert _patch(client, f"/cart/items/{item_id}", {"quantity": 5}).json()["count"] == 5
    assert _patch(client, f"/cart/items/{item_id}", {"quantity": 100}).status_code == 422
    assert _post(client, "/cart/items", {"variant_id": variant.pk, "quantity": 0}).status_code == 422
    assert _code(_post(client, "/cart/items", {"variant_id": 10**9})) == "not_found"
    sold_out = product(shop(), stock=0)
    assert _code(_post(client, "/cart/items", {"variant_id": sold_out.pk})) == "out_of_stock"
    assert _client(UserFactory()).delete(f"{BASE}/cart/items/{item_id}").status_code == 404
    assert client.delete(f"{BASE}/cart/items/{item_id}").status_code == 204
    assert client.get(f"{BASE}/cart").json()["count"] == 0
    assert Client().get(f"{BASE}/cart").status_code == 401


def test_checkout_needs_a_key_and_a_replay_returns_the_same_body() -> None:
    buyer = UserFactory()
    home = address(buyer)
    client = _client(buyer)
    services.cart_add(user=buyer, variant_id=product(shop(shipping=800), price=5000).pk, quantity=2)
    services.cart_add(user=buyer, variant_id=product(shop(shipping=0), price=1200).pk)
    missing = _post(client, "/checkout", {"address_id": home.pk})
    assert missing.status_code == 400 and _code(missing) == "idempotency_key_required"
    assert _code(_post(client, "/checkout", {"address_id": home.pk}, **{"Idempotency-Key": "a b"})) == (
        "invalid_idempotency_key"
    )
    first = _post(client, "/checkout", {"address_id": home.pk}, **{"Idempotency-Key": "key-1"})
    assert first.status_code == 201
    body = first.json()
    assert body["total"] == 10000 + 800 + 1200 and len(body["orders"]) == 2
    assert body["pay_url"] == f"/pay/start/{body['payment_id']}/"
    again = _post(client, "/checkout", {"address_id": home.pk}, **{"Idempotency-Key": "key-1"})
    assert again.status_code == 200 and again.json() == body
    assert Checkout.objects.count() == 1 and Payment.objects.count() == 1
    other = address(buyer, "US")
    reused = _post(client, "/checkout", {"address_id": other.pk}, **{"Idempotency-Key": "key-1"})
    assert reused.status_code == 409 and _code(reused) == "idempotency_key_reused"
    empty = _post(client, "/checkout", {"address_id": home.pk}, **{"Idempotency-Key": "key-2"})
    assert _code(empty) == "cart_empty"


@pytest.mark.parametrize(
    "case", ["out_of_stock", "not_shipped_to_country", "item_unavailable", "address_required"]
)
def test_checkout_refusals_have_stable_codes(case: str) -> None:
    buyer = UserFactory()
    home = address(buyer)
    seller = shop()
    variant = product(seller, stock=3)
    services.cart_add(user=buyer, variant_id=variant.pk, quantity=2)
    if case == "out_of_stock":
        Variant.objects.filter(pk=variant.pk).update(stock=1)
    elif case == "not_shipped_to_country":
        seller.shipping_rates.all().delete()
    elif case == "item_unavailable":
        Variant.objects.filter(pk=variant.pk).update(is_active=False)
    body = {} if case == "address_required" else {"address_id": home.pk}
    response = _post(_client(buyer), "/checkout", body, **{"Idempotency-Key": "k"})
    assert response.status_code in (400, 409) and _code(response) == case
    assert not Order.objects.exists()


def test_orders_lists_detail_and_404_for_strangers() -> None:
    buyer, stranger = UserFactory(), UserFactory()
    tea = shop()
    order = _paid_order(buyer, tea)
    mine = _client(buyer).get(BASE).json()
    assert [o["number"] for o in mine["items"]] == [order.number] and mine["items"][0]["is_buyer"] is True
    assert _client(buyer).get(f"{BASE}?status=shipped").json()["items"] == []
    assert _client(buyer).get(f"{BASE}?status=nope").status_code == 422
    assert _code(_client(buyer).get(f"{BASE}?cursor=garbage")) == "invalid_cursor"
    detail = _client(buyer).get(f"{BASE}/{order.number}").json()
    assert detail["payment"]["last4"] == "4242" and detail["pay_url"] is None
    assert [t["dst"] for t in detail["transitions"]] == ["paid", "paid"]
    sales = _client(tea.owner).get(f"{BASE}/sales?shop_id={tea.pk}").json()
    assert [o["number"] for o in sales["items"]] == [order.number] and sales["items"][0]["is_buyer"] is False
    assert _client(buyer).get(f"{BASE}/sales?shop_id={tea.pk}").status_code == 404
    assert _client(stranger).get(f"{BASE}/{order.number}").status_code == 404
    assert _client(stranger).get(f"{BASE}/{order.pk}").status_code == 404
    assert _client(stranger).get(BASE).json()["items"] == []
    assert _client(UserFactory(is_staff=True)).get(f"{BASE}/{order.number}").status_code == 200
    assert _client(buyer).get(f"{BASE}/{'X' * 21}").status_code == 422


def test_ship_confirm_and_refund_through_the_api() -> None:
    buyer, stranger = UserFactory(), UserFactory()
    tea = shop()
    order = _paid_order(buyer, tea)
    seller = _client(tea.owner)
    assert _post(_client(stranger), f"/{order.number}/ship", {"tracking_number": "1"}).status_code == 404
    assert _post(_client(buyer), f"/{order.number}/ship", {"tracking_number": "1"}).status_code == 404
    shipped = _post(seller, f"/{order.number}/ship", {"carrier": "SF", "tracking_number": "SF1"})
    assert shipped.status_code == 200 and shipped.json()["status"] == states.SHIPPED
    again = _post(seller, f"/{order.number}/ship", {"carrier": "SF", "tracking_number": "SF1"})
    assert again.status_code == 409 and _code(again) == "invalid_transition"
    assert _post(seller, f"/{order.number}/confirm-delivery").status_code == 404
    confirmed = _post(_client(buyer), f"/{order.number}/confirm-delivery")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == states.DELIVERED
    assert _code(_post(seller, f"/{order.number}/refund", {"amount": 100})) == "idempotency_key_required"
    packer = UserFactory()
    ShopStaff.objects.create(shop=tea, user=packer, role=ShopStaff.Role.FULFILMENT)
    assert (
        _post(
            _client(packer), f"/{order.number}/refund", {"amount": 100}, **{"Idempotency-Key": "r"}
        ).status_code
        == 404
    )
    for _attempt in range(2):
        refunded = _post(
            seller, f"/{order.number}/refund", {"amount": 100, "reason": "late"}, **{"Idempotency-Key": "r1"}
        )
        assert refunded.status_code == 200
    assert (
        refunded.json()["refunded_amount"] == 100
        and refunded.json()["payment_status"] == "partially_refunded"
    )
    too_much = _post(seller, f"/{order.number}/refund", {"amount": order.total}, **{"Idempotency-Key": "r2"})
    assert _code(too_much) == "refund_too_large"


def test_cancel_by_buyer_before_payment_and_by_the_shop_after() -> None:
    buyer = UserFactory()
    tea = shop()
    services.cart_add(user=buyer, variant_id=product(tea).pk)
    checkout = services.checkout_submit(buyer=buyer, key="u", address_id=address(buyer).pk)
    unpaid = Order.objects.get(checkout=checkout)
    detail = _client(buyer).get(f"{BASE}/{unpaid.number}").json()
    assert detail["pay_url"] == f"/pay/start/{checkout.payment_id}/"
    cancelled = _post(_client(buyer), f"/{unpaid.number}/cancel", {"reason": "changed my mind"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == states.CANCELLED
    paid = _paid_order(buyer, tea)
    assert _post(_client(buyer), f"/{paid.number}/cancel").status_code == 404  # paid: only the shop
    by_shop = _post(_client(tea.owner), f"/{paid.number}/cancel", {"reason": "out of stock"})
    assert by_shop.status_code == 200 and by_shop.json()["payment_status"] == states.REFUNDED
