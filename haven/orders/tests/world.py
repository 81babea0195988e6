"""Test worlds for commerce: an active shop with products and stock, buyers with addresses, a fake provider.

Tests build rows directly (the shop and catalog services have their own tests); checkout, payment and
refunds go through the real services.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from haven.accounts.models import User
from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import Product, Variant
from haven.orders.models import Address
from haven.payments.models import Payment
from haven.payments.providers import register_provider
from haven.payments.providers.base import Intent, ProviderEvent, RefundResult
from haven.payments.services import payment_apply_event, payment_start
from haven.shops.models import ShippingRate, Shop, ShopStaff

_refs = itertools.count(1)


class FakeProvider:
    """A provider that answers at once, like a processor's test mode, without any signature."""

    name = "fake"

    def __init__(self) -> None:
        self.refunds: list[tuple[int, int, str]] = []
        self.cancelled: list[int] = []

    def create_intent(self, payment: Payment) -> Intent:
        return Intent(provider_ref=f"pi_fake_{next(_refs)}", client_secret="cs")

    def cancel_intent(self, payment: Payment) -> None:
        self.cancelled.append(payment.pk)

    def refund(self, payment: Payment, *, amount: int, key: str) -> RefundResult:
        self.refunds.append((payment.pk, amount, key))
        return RefundResult(provider_ref=f"re_fake_{next(_refs)}", status="succeeded")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent | None:
        raise NotImplementedError


FAKE = FakeProvider()
register_provider(FAKE)


def shop(owner: User | None = None, *, currency: str = "CNY", shipping: int = 1000, **fields: Any) -> Shop:
    owner = owner or UserFactory()
    created = Shop.objects.create(
        owner=owner,
        slug=fields.pop("slug", f"shop-{next(_refs)}"),
        name=fields.pop("name", "Tea House"),
        currency=currency,
        status=fields.pop("status", "active"),
        **fields,
    )
    ShopStaff.objects.create(shop=created, user=owner, role=ShopStaff.Role.OWNER)
    ShippingRate.objects.create(shop=created, region="*", mode=ShippingRate.Mode.FLAT, amount=shipping)
    return created


def product(
    in_shop: Shop, *, price: int = 5000, stock: int | None = 10, commission_bps: int = 1000, **fields: Any
) -> Variant:
    made = Product.objects.create(
        shop=in_shop,
        title=fields.pop("title", "Oolong tea"),
        status=fields.pop("status", Product.Status.ACTIVE),
        commission_bps=commission_bps,
        **fields,
    )
    return Variant.objects.create(
        product=made, sku=f"SKU-{next(_refs)}", price=price, stock=stock, options={"size": "M"}
    )


def address(user: User, country: str = "CN") -> Address:
    return Address.objects.create(user=user, name="Lin", line1="1 Tea Road", city="Hangzhou", country=country)


def pay(payment: Payment, *, status: str = "succeeded", event_id: str | None = None) -> str:
    """Deliver the provider's event for `payment` (as a verified webhook would)."""
    payment = payment_start(payment=payment)
    assert payment.provider_ref
    event = ProviderEvent(
        event_id=event_id or f"evt_{next(_refs)}",
        type=f"payment_intent.{status}",
        provider_ref=payment.provider_ref,
        occurred_at=datetime.now(UTC),
        payment_status=status,
        card_brand="visa",
        card_last4="4242",
    )
    return payment_apply_event(provider=FAKE.name, event=event)
