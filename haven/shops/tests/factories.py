"""Helpers that build shops for tests (any app's)."""

from __future__ import annotations

from itertools import count
from typing import Any

from haven.accounts.tests.factories import UserFactory
from haven.shops import services, states
from haven.shops.models import Shop

_n = count(1)


def operator() -> Any:
    return UserFactory(is_staff=True)


def make_shop(owner: Any = None, *, status: str = states.ACTIVE, **fields: Any) -> Shop:
    """A shop opened through the service, then moved to `status` by an operator."""
    owner = owner or UserFactory()
    values: dict[str, Any] = {
        "name": f"Shop {next(_n)}",
        "kind": "creator",
        "currency": "CNY",
        "description_en": "Handmade ceramics.",
        "description_zh": "手工陶瓷。",
        "return_policy": "7 days.",
    }
    values.update(fields)
    values.setdefault("slug", f"shop-{next(_n)}")
    shop = services.shop_open(owner=owner, **values)
    if status == states.PENDING:
        return shop
    op = operator()
    if status in (states.ACTIVE, states.SUSPENDED):
        services.shop_review(operator=op, shop=shop, dst=states.ACTIVE)
    if status == states.SUSPENDED:
        services.shop_review(operator=op, shop=shop, dst=states.SUSPENDED, note="Counterfeits.")
    if status == states.REJECTED:
        services.shop_review(operator=op, shop=shop, dst=states.REJECTED, note="Add a return policy.")
    shop.refresh_from_db()
    return shop
