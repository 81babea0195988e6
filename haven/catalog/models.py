"""Products, their variants and images, product tags on notes and the taps on those tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

#: Bounds (ARCHITECTURE.md rule 10).
TITLE_MAX = 100
DESCRIPTION_MAX = 5000
IMAGES_MAX = 18
VARIANTS_MAX = 50
SKU_MAX = 40
OPTION_NAME_MAX = 20
OPTION_VALUE_MAX = 30
OPTIONS_MAX = 3  # e.g. size, colour, material
STOCK_MAX = 1_000_000
QUANTITY_MAX = 99
TAGS_PER_NOTE_MAX = 10
COMMISSION_BPS_MAX = 5000  # at most 50 % of a line goes to the creator whose note sold it


class Product(models.Model):
    """Something a shop sells. Prices and stock live on its variants (a product has at least one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("on sale")
        ARCHIVED = "archived", _("archived")

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    language = models.CharField(max_length=16, blank=True)  # detected from title and description
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    is_digital = models.BooleanField(default=False)  # no shipping
    # Share of each sold line (basis points) credited to the creator whose note tag led to the sale.
    commission_bps = models.PositiveIntegerField(default=0)
    # Denormalised by the reviews app with F() updates.
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    sold_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["shop", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_bps__lte=COMMISSION_BPS_MAX), name="product_commission_bounded"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


class ProductImage(models.Model):
    """One of a product's images (through the media pipeline), in display order."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("media.MediaImage", on_delete=models.PROTECT, related_name="product_uses")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "image"], name="product_image_once")]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class Variant(models.Model):
    """A buyable version of a product (size M, red) with its SKU, price and stock.

    `stock` NULL means unlimited (digital goods). Checkout reserves stock with a conditional UPDATE
    (`stock >= quantity`), so stock never goes below zero (also a database constraint).
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=SKU_MAX)
    options = models.JSONField(default=dict)  # {"size": "M", "colour": "red"}, bounded by the service
    price = models.BigIntegerField()
    compare_at_price = models.BigIntegerField(null=True, blank=True)
    stock = models.IntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sku"], name="variant_sku_once_per_product"),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="variant_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gt=F("price")),
                name="variant_compare_at_above_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.sku}"

    @property
    def label(self) -> str:
        return " / ".join(str(v) for v in self.options.values()) if self.options else ""

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


class NoteProductTag(models.Model):
    """A product an author tagged on their note, optionally on a point of one of its images.

    `x` and `y` are per-mille (0..1000) of the image's width and height, so no floats are stored.
    """

    note = models.ForeignKey("notes.Note", on_delete=models.CASCADE, related_name="product_tags")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="note_tags")
    position = models.PositiveSmallIntegerField(default=0)
    image_index = models.PositiveSmallIntegerField(null=True, blank=True)
    x = models.PositiveSmallIntegerField(null=True, blank=True)
    y = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["note", "product"], name="note_product_tag_once"),
            models.CheckConstraint(
                condition=(Q(x__isnull=True) & Q(y__isnull=True) & Q(image_index__isnull=True))
                | (Q(x__lte=1000) & Q(y__lte=1000) & Q(image_index__isnull=False)),
                name="note_product_tag_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"note {self.note_id} -> product {self.product_id}"


class TagClick(models.Model):
    """A member tapped a product tag on a note: the attribution of a later purchase (last click wins)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey("notes.Note", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tag_clicks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "product", "-created_at"]),
            models.Index(fields=["product", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} tapped {self.product_id} on {self.note_id}"
