"""Catalog services: bounds and stable codes for products, variants, status and stock."""

from __future__ import annotations

import pytest

from haven.accounts.tests.factories import UserFactory
from haven.catalog import services
from haven.catalog.models import (
    COMMISSION_BPS_MAX,
    IMAGES_MAX,
    STOCK_MAX,
    TITLE_MAX,
    VARIANTS_MAX,
    Product,
    Variant,
)
from haven.catalog.tests.world import product, shop, staff, variant_payload
from haven.core.errors import Conflict, HavenError, InvalidInput, NotFound
from haven.notes.tests.factories import MediaImageFactory

pytestmark = pytest.mark.django_db


def code(exc: pytest.ExceptionInfo[HavenError]) -> str:
    return exc.value.code


def create(actor, shop_row, **kw):  # type: ignore[no-untyped-def]
    data = {"title": "Tea cup", "variants": [variant_payload()], **kw}
    return services.product_create(actor=actor, shop=shop_row, **data)


def test_create_draft_with_images_variants_and_language() -> None:
    s = shop()
    images = [MediaImageFactory(owner=s.owner) for _ in range(3)]
    p = create(
        s.owner,
        s,
        title="手工青瓷茶杯",
        description="景德镇手工制作，每一只都不一样。",
        commission_bps=1000,
        variants=[
            variant_payload("A", size="S", compare_at_price=12000),
            variant_payload("B", size="M", stock=None),
        ],
        image_ids=[images[2].pk, images[0].pk],
    )
    assert p.status == Product.Status.DRAFT and p.language.startswith("zh")
    assert [r.image_id for r in p.images.all()] == [images[2].pk, images[0].pk]
    assert [(v.sku, v.options, v.stock) for v in p.variants.all()] == [
        ("A", {"size": "S"}, None),
        ("B", {"size": "M"}, None),
    ]


def test_only_managers_create() -> None:
    s = shop()
    with pytest.raises(NotFound):
        create(UserFactory(), s)
    with pytest.raises(NotFound):
        create(staff(s, "fulfilment"), s)
    assert create(staff(s, "manager"), s).pk


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"title": "  "}, "title_required"),
        ({"title": "x" * (TITLE_MAX + 1)}, "title_too_long"),
        ({"description": "x" * 5001}, "description_too_long"),
        ({"commission_bps": COMMISSION_BPS_MAX + 1}, "invalid_commission"),
        ({"commission_bps": -1}, "invalid_commission"),
        ({"variants": []}, "variants_required"),
        (
            {"variants": [variant_payload(str(n), size=str(n)) for n in range(VARIANTS_MAX + 1)]},
            "too_many_variants",
        ),
        ({"variants": [variant_payload("A", size="S"), variant_payload("a", size="M")]}, "duplicate_sku"),
        ({"variants": [variant_payload("A", size="S"), variant_payload("B", size="S")]}, "duplicate_options"),
        ({"variants": [variant_payload("A", size="S"), variant_payload("B")]}, "inconsistent_options"),
        ({"variants": [variant_payload(price=0)]}, "invalid_amount"),
        ({"variants": [variant_payload(price=1.5)]}, "invalid_amount"),
        ({"variants": [variant_payload(price=100, compare_at_price=100)]}, "invalid_compare_at_price"),
        ({"variants": [variant_payload(stock=-1)]}, "invalid_stock"),
        ({"variants": [variant_payload(stock=STOCK_MAX + 1)]}, "invalid_stock"),
        ({"variants": [variant_payload(sku="")]}, "invalid_sku"),
        (
            {"variants": [{"sku": "A", "price": 100, "options": {"a": "1", "b": "2", "c": "3", "d": "4"}}]},
            "invalid_options",
        ),
        ({"variants": [{"sku": "A", "price": 100, "options": {"size": "x" * 31}}]}, "invalid_options"),
        ({"image_ids": [1, 1]}, "duplicate_images"),
        ({"image_ids": list(range(1, IMAGES_MAX + 2))}, "too_many_images"),
    ],
)
def test_create_bounds(kw, expected) -> None:  # type: ignore[no-untyped-def]
    s = shop()
    with pytest.raises(InvalidInput) as err:
        create(s.owner, s, **kw)
    assert code(err) == expected
    assert not Product.objects.exists()


def test_someone_elses_image_is_refused() -> None:
    s = shop()
    with pytest.raises(InvalidInput) as err:
        create(s.owner, s, image_ids=[MediaImageFactory().pk])
    assert code(err) == "invalid_images"


def test_update_keeps_images_another_staff_uploaded() -> None:
    p = product()
    manager = staff(p.shop)
    mine = MediaImageFactory(owner=manager)
    first = p.images.get().image_id
    services.product_update(actor=manager, product=p, title="Linen shirt, washed", image_ids=[mine.pk, first])
    assert [r.image_id for r in p.images.all()] == [mine.pk, first]
    with pytest.raises(Conflict) as err:
        services.product_update(actor=manager, product=p, image_ids=[])
    assert code(err) == "images_required"


def test_status_rules() -> None:
    pending = shop(status="pending")
    p = create(pending.owner, pending)
    with pytest.raises(Conflict) as err:
        services.product_set_status(actor=pending.owner, product=p, status="active")
    assert code(err) == "shop_not_active"
    s = shop()
    p = create(s.owner, s)
    with pytest.raises(Conflict) as err:
        services.product_set_status(actor=s.owner, product=p, status="active")
    assert code(err) == "images_required"
    services.product_update(actor=s.owner, product=p, image_ids=[MediaImageFactory(owner=s.owner).pk])
    assert services.product_set_status(actor=s.owner, product=p, status="active").status == "active"
    assert services.product_set_status(actor=s.owner, product=p, status="archived").status == "archived"
    with pytest.raises(InvalidInput) as bad:
        services.product_set_status(actor=s.owner, product=p, status="sold")
    assert code(bad) == "invalid_status"


def test_active_product_without_active_variant_cannot_go_on_sale() -> None:
    p = product(status="draft")
    Variant.objects.filter(product=p).update(is_active=False)
    with pytest.raises(Conflict) as err:
        services.product_set_status(actor=p.shop.owner, product=p, status="active")
    assert code(err) == "variants_required"


def test_variants_add_update_remove() -> None:
    p = product(variants=2)
    owner = p.shop.owner
    v = services.variant_add(actor=owner, product=p, sku="SKU-9", options={"size": "L"}, price=500, stock=3)
    assert v.position == 2
    with pytest.raises(InvalidInput) as err:
        services.variant_add(actor=owner, product=p, sku="sku-9", options={"size": "XL"}, price=500)
    assert code(err) == "duplicate_sku"
    v = services.variant_update(actor=owner, variant=v, price=400, compare_at_price=600, stock=None)
    assert (v.price, v.compare_at_price, v.stock) == (400, 600, None)
    with pytest.raises(InvalidInput):
        services.variant_update(actor=owner, variant=v, price=700)  # above compare-at price
    assert services.variant_remove(actor=owner, variant=v) == "deleted"
    with pytest.raises(NotFound):
        services.variant_remove(actor=UserFactory(), variant=p.variants.first())


def test_last_active_variant_of_a_product_on_sale_stays() -> None:
    p = product()
    with pytest.raises(Conflict) as err:
        services.variant_remove(actor=p.shop.owner, variant=p.variants.get())
    assert code(err) == "variants_required"
    with pytest.raises(Conflict):
        services.variant_update(actor=p.shop.owner, variant=p.variants.get(), is_active=False)


def test_ordered_variant_is_deactivated_not_deleted() -> None:
    """A variant an order line points at is kept (as inactive) so the order keeps its record."""
    from haven.orders import services as order_services
    from haven.orders.tests import world as orders_world

    s = orders_world.shop(shipping=0)
    sold = orders_world.product(s)
    Variant.objects.create(product=sold.product, sku="OTHER", price=900, position=1)
    buyer = UserFactory()
    order_services.cart_add(user=buyer, variant_id=sold.pk)
    order_services.checkout_submit(buyer=buyer, key="k", address_id=orders_world.address(buyer).pk)
    assert services.variant_remove(actor=s.owner, variant=sold) == "deactivated"
    sold.refresh_from_db()
    assert not sold.is_active


def test_stock_adjust() -> None:
    p = product(stock=5)
    v = p.variants.get()
    owner = p.shop.owner
    assert services.stock_adjust(actor=owner, variant=v, delta=3).stock == 8
    assert services.stock_adjust(actor=owner, variant=v.pk, delta=-8).stock == 0
    with pytest.raises(Conflict) as err:
        services.stock_adjust(actor=owner, variant=v, delta=-1)
    assert code(err) == "insufficient_stock"
    with pytest.raises(InvalidInput):
        services.stock_adjust(actor=owner, variant=v, delta=STOCK_MAX + 1)
    with pytest.raises(InvalidInput):
        services.stock_adjust(actor=owner, variant=v, delta=True)  # type: ignore[arg-type]
    Variant.objects.filter(pk=v.pk).update(stock=None)
    with pytest.raises(Conflict) as unlimited:
        services.stock_adjust(actor=owner, variant=v, delta=1)
    assert code(unlimited) == "stock_unlimited"
    with pytest.raises(NotFound):
        services.stock_adjust(actor=staff(p.shop, "fulfilment"), variant=v, delta=1)
