"""Who sees a shop: open shops are public; pending, rejected and suspended ones only their staff and
operators, and everyone else gets the same 404 as for a missing shop (page, API, report)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.core import reportables
from haven.core.errors import NotFound
from haven.shops import access, services, states
from haven.shops.tests.factories import make_shop, operator

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("status", [states.PENDING, states.REJECTED, states.SUSPENDED])
def test_a_shop_not_open_is_hidden_from_strangers(status: str) -> None:
    shop = make_shop(status=status)
    packer = UserFactory()
    services.staff_add(actor=shop.owner, shop=shop, username=packer.username, role="fulfilment")
    for viewer in (AnonymousUser(), UserFactory()):
        with pytest.raises(NotFound):
            access.visible_shop_or_404(viewer, slug=shop.slug)
        with pytest.raises(NotFound):
            access.visible_shop_or_404(viewer, shop_id=shop.pk)
    for viewer in (shop.owner, packer, operator()):
        assert access.visible_shop_or_404(viewer, slug=shop.slug) == shop
    stranger = UserFactory()
    assert _client(stranger).get(f"/shop/{shop.slug}/").status_code == 404
    assert _client().get(f"/api/v1/shops/{shop.slug}").status_code == 404
    assert _client(stranger).get(f"/api/v1/shops/{shop.pk}").status_code == 404
    assert _client(shop.owner).get(f"/shop/{shop.slug}/").status_code == 200
    assert _client(operator()).get(f"/api/v1/shops/{shop.slug}").status_code == 200
    assert reportables.get("shop").visible_to(stranger, shop.pk) is None  # type: ignore[union-attr]


def test_an_open_shop_is_public_and_sells() -> None:
    shop = make_shop()
    assert access.visible_shop_or_404(AnonymousUser(), slug=shop.slug) == shop
    assert access.sells(shop)
    assert _client().get(f"/shop/{shop.slug}/").status_code == 200
    assert _client().get("/shop/no-such-shop/").status_code == 404
    report = reportables.get("shop")
    assert report is not None and report.visible_to(UserFactory(), shop.pk) == shop
    assert report.visible_to(shop.owner, shop.pk) is None  # nobody reports their own shop


def test_staff_shop_needs_a_role_that_fits() -> None:
    shop = make_shop(status=states.PENDING)
    packer = UserFactory()
    services.staff_add(actor=shop.owner, shop=shop, username=packer.username, role="fulfilment")
    assert access.staff_shop_or_404(shop.owner, shop.pk) == shop
    with pytest.raises(NotFound):
        access.staff_shop_or_404(packer, shop.pk)  # managing needs owner or manager
    assert access.staff_shop_or_404(packer, shop.pk, roles=access.FULFIL) == shop
    with pytest.raises(NotFound):
        access.staff_shop_or_404(UserFactory(), shop.pk, roles=access.FULFIL)
    assert _client(UserFactory()).get(f"/shop/{shop.pk}/manage/").status_code == 404
    assert _client(packer).get(f"/shop/{shop.pk}/manage/").status_code == 200
    assert list(access.shops_of(packer)) == [shop]


def test_moderation_removal_suspends_an_open_shop() -> None:
    shop = make_shop()
    report = reportables.get("shop")
    assert report is not None
    target = report.describe(shop)
    assert target.title == shop.name and "Handmade ceramics." in target.text and target.is_public
    report.set_state(shop, reportables.ModerationState.REMOVED, "scam")  # type: ignore[misc]
    shop.refresh_from_db()
    assert shop.status == states.SUSPENDED and shop.review_note == "scam"
    assert report.describe(shop).state == reportables.ModerationState.REMOVED
