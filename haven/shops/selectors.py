"""Reads of shops: shipping quotes and lists for callers."""

from __future__ import annotations

from haven.shops.models import REST_OF_WORLD, ShippingRate, Shop


def shipping_quote(shop: Shop, *, country: str, items: int) -> int | None:
    """What shipping `items` items from `shop` to `country` costs, or None when the shop does not ship there.

    The country's own rate wins over the shop's "everywhere else" rate.
    """
    rates = {r.region: r for r in ShippingRate.objects.filter(shop=shop, region__in=[country.upper(), REST_OF_WORLD])}
    rate = rates.get(country.upper()) or rates.get(REST_OF_WORLD)
    if rate is None:
        return None
    return rate.amount * items if rate.mode == ShippingRate.Mode.PER_ITEM else rate.amount
