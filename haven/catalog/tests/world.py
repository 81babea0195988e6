"""A small commerce world for catalog tests: shops with staff, products with variants and images."""

from __future__ import annotations

from typing import Any

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import Product, ProductImage, Variant
from haven.notes.tests.factories import MediaImageFactory
from haven.shops.models import Shop, ShopStaff

_n = [0]


def shop(*, owner: Any = None, status: str = "active", currency: str = "CNY") -> Shop:
    _n[0] += 1
    owner = owner or UserFactory()
    row = Shop.objects.create(
        owner=owner, slug=f"shop-{_n[0]}", name=f"Shop {_n[0]}", currency=currency, status=status
    )
    ShopStaff.objects.create(shop=row, user=owner, role=ShopStaff.Role.OWNER)
    return row


def staff(shop_row: Shop, role: str = "manager") -> Any:
    user = UserFactory()
    ShopStaff.objects.create(shop=shop_row, user=user, role=role)
    return user


def product(
    shop_row: Shop | None = None,
    *,
    status: str = "active",
    price: int = 12800,
    stock: int | None = 10,
    title: str = "Linen shirt",
    variants: int = 1,
) -> Product:
    shop_row = shop_row or shop()
    row = Product.objects.create(
        shop=shop_row, title=title, description="Soft and light.", status=status, language="en"
    )
    ProductImage.objects.create(product=row, image=MediaImageFactory(owner=shop_row.owner), position=0)
    sizes = ["S", "M", "L", "XL"]
    for n in range(variants):
        Variant.objects.create(
            product=row,
            sku=f"SKU-{n}",
            options={"size": sizes[n]} if variants > 1 else {},
            price=price + n * 100,
            stock=stock,
            position=n,
        )
    return row


def variant_payload(
    sku: str = "A", *, size: str | None = None, price: int = 9900, **extra: Any
) -> dict[str, Any]:
    return {"sku": sku, "options": {"size": size} if size else {}, "price": price, **extra}
