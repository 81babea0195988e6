"""The visibility oracle over orders: every read path of haven.orders against one rule.

Random small worlds: five members (any of them may be an operator), two shops whose staff have random
roles, and orders of random buyers, shops and statuses. For every viewer (each member and an anonymous
visitor), the order page (HTML), the order in the API (by number and by id), the purchases list (API
and HTML) and each shop's sales list (API and HTML) are compared with `sees`, written here from the
rule in haven/orders/access.py's docstring without using any of Haven's access code:

- an order is seen by its buyer, by every member of its shop's staff (any role) and by operators;
  nobody else, and a hidden order looks missing (404);
- "my orders" lists exactly the orders the viewer bought; a shop's sales list exactly that shop's
  orders, for its staff and operators, and is missing for everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from haven.accounts.models import User
from haven.orders.models import Checkout, Order
from haven.shops.models import Shop, ShopStaff

MEMBERS = 5
ROLES = [None, None, "owner", "manager", "fulfilment"]
STATUSES = ["pending_payment", "paid", "shipped", "delivered", "completed", "cancelled"]


@dataclass
class World:
    users: list[User] = field(default_factory=list)
    operators: set[int] = field(default_factory=set)
    shops: list[Shop] = field(default_factory=list)
    staff: set[tuple[int, int]] = field(default_factory=set)  # (shop pk, user pk)
    orders: list[Order] = field(default_factory=list)


def sees(w: World, viewer: int | None, order: Order) -> bool:
    if viewer is None:
        return False
    return viewer == order.buyer_id or viewer in w.operators or (order.shop_id, viewer) in w.staff


def sees_sales(w: World, viewer: int | None, shop: Shop) -> bool:
    return viewer is not None and (viewer in w.operators or (shop.pk, viewer) in w.staff)


worlds = st.fixed_dictionaries(
    {
        "operators": st.lists(st.booleans(), min_size=MEMBERS, max_size=MEMBERS),
        "roles": st.lists(st.sampled_from(ROLES), min_size=2 * MEMBERS, max_size=2 * MEMBERS),
        "orders": st.lists(
            st.tuples(st.integers(0, MEMBERS - 1), st.integers(0, 1), st.sampled_from(STATUSES)),
            max_size=6,
        ),
    }
)

EXAMPLE = {
    "operators": [False, False, False, False, True],
    "roles": ["owner", None, "fulfilment", None, None, None, "owner", None, "manager", None],
    "orders": [(1, 0, "paid"), (2, 1, "shipped"), (3, 0, "pending_payment"), (1, 1, "cancelled")],
}


def build(spec: dict) -> World:
    w = World()
    for i in range(MEMBERS):
        user = User.objects.create_user(
            username=f"o{i}", email=f"o{i}@example.com", password=None, is_staff=spec["operators"][i]
        )
        w.users.append(user)
        if spec["operators"][i]:
            w.operators.add(user.pk)
    for s in range(2):
        shop = Shop.objects.create(slug=f"oracle-shop-{s}", name=f"Shop {s}", currency="CNY", status="active")
        w.shops.append(shop)
        for i in range(MEMBERS):
            role = spec["roles"][s * MEMBERS + i]
            if role:
                ShopStaff.objects.create(shop=shop, user=w.users[i], role=role)
                w.staff.add((shop.pk, w.users[i].pk))
    now = timezone.now()
    for n, (buyer, shop_index, status) in enumerate(spec["orders"]):
        checkout = Checkout.objects.create(
            buyer=w.users[buyer],
            idempotency_key=f"k{n}",
            request_hash="h",
            currency="CNY",
            total=1000,
            expires_at=now + timedelta(minutes=30),
        )
        w.orders.append(
            Order.objects.create(
                checkout=checkout,
                buyer=w.users[buyer],
                shop=w.shops[shop_index],
                number=f"HVORACLE{n:04d}",
                status=status,
                currency="CNY",
                subtotal=1000,
                total=1000,
            )
        )
    return w


def _listed(body: bytes, w: World) -> set[str]:
    text = body.decode()
    return {o.number for o in w.orders if o.number in text}


class OrdersOracle(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(EXAMPLE)
    @given(worlds)
    def test_every_order_read_path_matches_the_rule(self, spec: dict) -> None:
        w = build(spec)
        viewers: list[tuple[int | None, Client]] = [(None, Client())]
        for user in w.users:
            client = Client()
            client.force_login(user)
            viewers.append((user.pk, client))
        for viewer, client in viewers:
            for order in w.orders:
                visible = sees(w, viewer, order)
                api = client.get(f"/api/v1/orders/{order.number}")
                by_id = client.get(f"/api/v1/orders/{order.pk}")
                html = client.get(f"/orders/{order.number}/")
                if visible:
                    assert api.status_code == 200 and api.json()["number"] == order.number
                    assert by_id.status_code == 200 and by_id.json()["number"] == order.number
                    assert html.status_code == 200 and order.number.encode() in html.content
                elif viewer is None:
                    assert api.status_code == 401 and by_id.status_code == 401
                    assert html.status_code == 302 and order.number.encode() not in html.content
                else:
                    assert api.status_code == 404 and by_id.status_code == 404 and html.status_code == 404
                    # the page's own address (the language switch's `next`) may name it; nothing else may
                    page = html.content.replace(f"/orders/{order.number}/".encode(), b"")
                    assert order.number.encode() not in api.content + by_id.content + page
            bought = {o.number for o in w.orders if viewer is not None and o.buyer_id == viewer}
            api_mine = client.get("/api/v1/orders?limit=50")
            html_mine = client.get("/orders/")
            if viewer is None:
                assert api_mine.status_code == 401 and html_mine.status_code == 302
            else:
                assert {o["number"] for o in api_mine.json()["items"]} == bought
                assert _listed(html_mine.content, w) == bought
            for shop in w.shops:
                sold = {o.number for o in w.orders if o.shop_id == shop.pk}
                api_sales = client.get(f"/api/v1/orders/sales?shop_id={shop.pk}&limit=50")
                html_sales = client.get(f"/orders/sales/?shop={shop.pk}")
                if sees_sales(w, viewer, shop):
                    assert {o["number"] for o in api_sales.json()["items"]} == sold
                    assert _listed(html_sales.content, w) == sold
                elif viewer is None:
                    assert api_sales.status_code == 401 and html_sales.status_code == 302
                else:
                    assert api_sales.status_code == 404 and html_sales.status_code == 404
                    assert not _listed(api_sales.content + html_sales.content, w)
