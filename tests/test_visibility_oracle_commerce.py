"""The visibility oracle over shops, products and reviews: every read path against one rule.

Random small worlds: five members (any may be an operator), two shops of random review status whose
staff have random roles, products of random status in them, and reviews of random moderation state
by random members. For every viewer (each member and an anonymous visitor), the shop page (HTML and
API), the product page (HTML and API), a shop's product list (API), a product's reviews (API list and
one review) are compared with rules written here from the access modules' docstrings, without using
any of Haven's access code:

- a shop is seen by everyone while it is open (active); otherwise only by its staff and operators;
- a product is seen by everyone while it is on sale (active) in an open shop; otherwise only by its
  shop's staff and operators; a shop's public product list holds exactly its products on sale;
- a review is seen by whoever sees its product while it is visible (ok or limited); a held review
  only by its author; a removed one by nobody;
- what is hidden looks missing (404), and its title never appears in the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from haven.accounts.models import User
from haven.catalog.models import Product, Variant
from haven.orders.models import Checkout, Order, OrderLine
from haven.reviews.models import Review
from haven.shops.models import Shop, ShopStaff

MEMBERS = 5
ROLES = [None, None, "owner", "manager", "fulfilment"]
SHOP_STATES = ["pending", "active", "rejected", "suspended"]
PRODUCT_STATES = ["draft", "active", "archived"]
REVIEW_STATES = ["ok", "limited", "held", "removed"]


@dataclass
class World:
    users: list[User] = field(default_factory=list)
    operators: set[int] = field(default_factory=set)
    shops: list[Shop] = field(default_factory=list)
    staff: set[tuple[int, int]] = field(default_factory=set)  # (shop pk, user pk)
    products: list[Product] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


def sees_shop(w: World, viewer: int | None, shop: Shop) -> bool:
    return shop.status == "active" or (
        viewer is not None and (viewer in w.operators or (shop.pk, viewer) in w.staff)
    )


def sees_product(w: World, viewer: int | None, product: Product) -> bool:
    shop = next(s for s in w.shops if s.pk == product.shop_id)
    if product.status == "active" and shop.status == "active":
        return True
    return viewer is not None and (viewer in w.operators or (shop.pk, viewer) in w.staff)


def sees_review(w: World, viewer: int | None, review: Review) -> bool:
    product = next(p for p in w.products if p.pk == review.product_id)
    if not sees_product(w, viewer, product):
        return False
    return review.moderation_state in ("ok", "limited") or (
        review.moderation_state == "held" and viewer == review.author_id
    )


worlds = st.fixed_dictionaries(
    {
        "operators": st.lists(st.booleans(), min_size=MEMBERS, max_size=MEMBERS),
        "roles": st.lists(st.sampled_from(ROLES), min_size=2 * MEMBERS, max_size=2 * MEMBERS),
        "shops": st.lists(st.sampled_from(SHOP_STATES), min_size=2, max_size=2),
        "products": st.lists(st.tuples(st.integers(0, 1), st.sampled_from(PRODUCT_STATES)), max_size=4),
        "reviews": st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, MEMBERS - 1), st.sampled_from(REVIEW_STATES)),
            max_size=4,
        ),
    }
)

EXAMPLE = {
    "operators": [False, False, False, False, True],
    "roles": ["owner", None, "fulfilment", None, None, None, "owner", None, "manager", None],
    "shops": ["active", "pending"],
    "products": [(0, "active"), (0, "draft"), (1, "active"), (0, "archived")],
    "reviews": [(0, 1, "ok"), (0, 3, "held"), (2, 1, "ok"), (0, 2, "removed")],
}


def build(spec: dict) -> World:
    w = World()
    for i in range(MEMBERS):
        user = User.objects.create_user(
            username=f"c{i}", email=f"c{i}@example.com", password=None, is_staff=spec["operators"][i]
        )
        w.users.append(user)
        if spec["operators"][i]:
            w.operators.add(user.pk)
    for s, status in enumerate(spec["shops"]):
        shop = Shop.objects.create(
            slug=f"oracle-shop-{s}", name=f"ShopName{s}X", currency="CNY", status=status, owner=w.users[0]
        )
        w.shops.append(shop)
        for i in range(MEMBERS):
            role = spec["roles"][s * MEMBERS + i]
            if role:
                ShopStaff.objects.create(shop=shop, user=w.users[i], role=role)
                w.staff.add((shop.pk, w.users[i].pk))
    variants = []
    for n, (shop_index, status) in enumerate(spec["products"]):
        product = Product.objects.create(shop=w.shops[shop_index], title=f"ProductTitle{n}Z", status=status)
        variants.append(Variant.objects.create(product=product, sku=f"S{n}", price=1000, stock=5))
        w.products.append(product)
    for n, (product_index, author, state) in enumerate(spec["reviews"]):
        if product_index >= len(w.products):
            continue
        product = w.products[product_index]
        buyer = w.users[author]
        checkout = Checkout.objects.create(
            buyer=buyer,
            idempotency_key=f"k{n}",
            request_hash="h",
            currency="CNY",
            total=1000,
            expires_at="2030-01-01T00:00Z",
        )
        order = Order.objects.create(
            checkout=checkout,
            buyer=buyer,
            shop=product.shop,
            number=f"HVREV{n:05d}",
            status="delivered",
            currency="CNY",
            subtotal=1000,
            total=1000,
        )
        line = OrderLine.objects.create(
            order=order,
            product=product,
            variant=variants[product_index],
            title=product.title,
            sku="S",
            unit_price=1000,
            quantity=1,
        )
        w.reviews.append(
            Review.objects.create(
                product=product,
                author=buyer,
                order_line=line,
                rating=4,
                body=f"ReviewBody{n}Q",
                verified=True,
                moderation_state=state,
            )
        )
    return w


class CommerceOracle(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(EXAMPLE)
    @given(worlds)
    def test_every_shop_product_and_review_read_path_matches_the_rule(self, spec: dict) -> None:
        w = build(spec)
        viewers: list[tuple[int | None, Client]] = [(None, Client())]
        for user in w.users:
            client = Client()
            client.force_login(user)
            viewers.append((user.pk, client))
        for viewer, client in viewers:
            for shop in w.shops:
                html = client.get(f"/shop/{shop.slug}/")
                api = client.get(f"/api/v1/shops/{shop.slug}")
                by_id = client.get(f"/api/v1/shops/{shop.pk}")
                if sees_shop(w, viewer, shop):
                    assert html.status_code == 200 and shop.name.encode() in html.content
                    assert api.status_code == 200 and by_id.status_code == 200
                else:
                    assert (html.status_code, api.status_code, by_id.status_code) == (404, 404, 404), viewer
                    assert shop.name.encode() not in html.content + api.content + by_id.content
                listed = client.get(f"/api/v1/catalog/shops/{shop.pk}/products?limit=50")
                on_sale = {
                    p.title
                    for p in w.products
                    if p.shop_id == shop.pk and p.status == "active" and shop.status == "active"
                }
                if listed.status_code == 200:
                    titles = {item["title"] for item in listed.json()["items"]}
                    shown = {
                        p.title for p in w.products if p.shop_id == shop.pk and sees_product(w, viewer, p)
                    }
                    assert on_sale <= titles <= shown, (viewer, titles, on_sale, shown)
                else:
                    assert listed.status_code == 404 and not sees_shop(w, viewer, shop)
                    assert not on_sale
            for product in w.products:
                html = client.get(f"/products/{product.pk}/")
                api = client.get(f"/api/v1/catalog/products/{product.pk}")
                reviews = client.get(f"/api/v1/reviews/products/{product.pk}?limit=50")
                if sees_product(w, viewer, product):
                    assert html.status_code == 200 and product.title.encode() in html.content
                    assert api.status_code == 200 and api.json()["title"] == product.title
                    assert reviews.status_code == 200
                    bodies = {item["body"] for item in reviews.json()["items"]}
                    expected = {
                        r.body for r in w.reviews if r.product_id == product.pk and sees_review(w, viewer, r)
                    }
                    assert bodies == expected, (viewer, bodies, expected)
                    page_reviews = {
                        r.body
                        for r in w.reviews
                        if r.product_id == product.pk and r.body.encode() in html.content
                    }
                    assert page_reviews <= expected
                else:
                    assert (html.status_code, api.status_code, reviews.status_code) == (404, 404, 404), viewer
                    assert product.title.encode() not in html.content + api.content + reviews.content
            for review in w.reviews:
                one = client.get(f"/api/v1/reviews/{review.pk}")
                if sees_review(w, viewer, review):
                    assert one.status_code == 200 and one.json()["body"] == review.body
                else:
                    assert one.status_code == 404 and review.body.encode() not in one.content
