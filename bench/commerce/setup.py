"""The world of a checkout run, written into the database HAVEN_* names (run by bench.commerce.run).

    .venv/bin/python -m bench.commerce.setup --members 10000 --buyers 400 --out world.json

Size S has 10,000 members. One open shop sells --products products with two variants each, with
stock that never runs out during a run (the money test covers scarcity); --buyers of the members get
an address and an API token (haven.accounts.services.token_create). The JSON written holds the
buyers' tokens and address ids and the variant ids.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import django_setup, guard_database


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--buyers", type=int, default=400)
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.db import transaction

    from haven.accounts.models import User
    from haven.accounts.services import token_create
    from haven.catalog.models import Product, Variant
    from haven.orders.models import Address
    from haven.shops.models import ShippingRate, Shop, ShopStaff

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"shopper{i}", email=f"shopper{i}@example.com", password="!")  # noqa: S106
                for i in range(args.members)
            ],
            batch_size=2000,
        )
        owner = users[0]
        shop = Shop.objects.create(
            owner=owner, slug="bench-shop", name="Bench shop", currency="CNY", status="active"
        )
        ShopStaff.objects.create(shop=shop, user=owner, role=ShopStaff.Role.OWNER)
        ShippingRate.objects.create(shop=shop, region="*", mode=ShippingRate.Mode.FLAT, amount=1000)
        products = Product.objects.bulk_create(
            [
                Product(
                    shop=shop, title=f"Bench product {p}", status=Product.Status.ACTIVE, commission_bps=500
                )
                for p in range(args.products)
            ]
        )
        variants = Variant.objects.bulk_create(
            [
                Variant(
                    product=p,
                    sku=f"B{p.pk}-{size}",
                    price=1990 + 100 * n,
                    stock=10_000_000,
                    options={"size": size},
                )
                for p in products
                for n, size in enumerate(("M", "L"))
            ]
        )
        buyers = users[1 : 1 + args.buyers]
        addresses = Address.objects.bulk_create(
            [
                Address(user=u, name="Bench", line1="1 Road", city="Shanghai", country="CN", is_default=True)
                for u in buyers
            ]
        )
    world = {
        "buyers": [
            {"token": token_create(user=u, name="bench")[1], "address_id": a.pk}
            for u, a in zip(buyers, addresses, strict=True)
        ],
        "variants": [v.pk for v in variants],
    }
    args.out.write_text(json.dumps(world))
    print(f"{len(users)} members, {len(buyers)} buyers, {len(variants)} variants")


if __name__ == "__main__":
    main()
