"""Shops in the personal-data registry: export, and erasure that never leaves a shop with a dangling
owner (deleted when nothing keeps it; kept suspended without owner when orders do)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.models import ProtectedError

from haven.accounts.tests.factories import UserFactory
from haven.core import personal_data as registry
from haven.shops import personal_data, services, states
from haven.shops.models import Shop, ShopStaff, ShopTransition
from haven.shops.tests.factories import make_shop

pytestmark = pytest.mark.django_db


def test_registered() -> None:
    for label in ("shops.Shop", "shops.ShopStaff", "shops.ShopTransition"):
        assert any(r.label == label for r in registry.registrations())


def test_export_holds_shops_and_roles() -> None:
    shop = make_shop()
    services.shipping_rate_set(actor=shop.owner, shop=shop, region="CN", mode="flat", amount=5)
    other = make_shop()
    services.staff_add(actor=other.owner, shop=other, username=shop.owner.username, role="manager")
    shops = list(personal_data.export_shops(shop.owner))
    assert [s["slug"] for s in shops] == [shop.slug]
    assert shops[0]["shipping_rates"] == [{"region": "CN", "mode": "flat", "amount": 5}]
    assert [h["to"] for h in shops[0]["review_history"]] == ["pending", "active"]
    roles = {(r["shop"], r["role"]) for r in personal_data.export_roles(shop.owner)}
    assert roles == {(shop.slug, "owner"), (other.slug, "manager")}


def test_erasure_deletes_a_shop_nothing_keeps() -> None:
    shop = make_shop()
    owner = shop.owner
    assert personal_data.erase_shops(owner) == 1
    assert not Shop.objects.filter(pk=shop.pk).exists()
    assert personal_data.erase_shops(owner) == 0  # idempotent


def test_erasure_keeps_a_shop_with_orders_suspended_without_owner() -> None:
    shop = make_shop()
    owner, manager = shop.owner, UserFactory()
    services.staff_add(actor=owner, shop=shop, username=manager.username, role="manager")

    def protected(self: Shop, *args: object, **kwargs: object) -> None:
        raise ProtectedError("orders", set())

    with mock.patch.object(Shop, "delete", protected):
        assert personal_data.erase_shops(owner) == 1
    registry.rows_deleter(ShopStaff)(owner)
    personal_data.erase_transitions(owner)
    owner.delete()  # the User row can go now
    shop.refresh_from_db()
    assert shop.owner_id is None and shop.status == states.SUSPENDED
    assert ShopTransition.objects.filter(shop=shop, dst="suspended", actor=None).exists()
    assert list(ShopStaff.objects.filter(shop=shop).values_list("role", flat=True)) == ["manager"]
    from haven.core.errors import Conflict
    from haven.shops.tests.factories import operator

    with pytest.raises(Conflict):
        services.shop_review(operator=operator(), shop=shop, dst=states.ACTIVE)
