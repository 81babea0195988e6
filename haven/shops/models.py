"""Shops, their staff, shipping rates and the audit of their review lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Bounds (ARCHITECTURE.md rule 10).
NAME_MAX = 60
SLUG_MAX = 40
DESCRIPTION_MAX = 2000
RETURN_POLICY_MAX = 2000
STAFF_MAX = 20
SHIPPING_REGIONS_MAX = 60
REVIEW_NOTE_MAX = 500
#: "Everywhere else": the rate used for a country with no rate of its own.
REST_OF_WORLD = "*"


class Shop(models.Model):
    """A member's (creator's or brand's) shop, selling in one currency once operators approved it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACTIVE = "active", _("open")
        REJECTED = "rejected", _("not approved")
        SUSPENDED = "suspended", _("suspended")

    class Kind(models.TextChoices):
        CREATOR = "creator", _("creator")
        BRAND = "brand", _("brand")

    # Null only after the owner's account was erased while orders keep the shop as a business record
    # (shops.personal_data: such a shop is suspended for good). PROTECT: nothing else may drop it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="shops"
    )
    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    name = models.CharField(max_length=NAME_MAX)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CREATOR)
    description_en = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    description_zh = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    logo = models.ForeignKey(
        "media.MediaImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="shop_logos"
    )
    currency = models.CharField(max_length=3)
    return_policy = models.TextField(max_length=RETURN_POLICY_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    review_note = models.CharField(max_length=REVIEW_NOTE_MAX, blank=True)
    # Denormalised from reviews (reviews app, F() updates): the shop's rating is the mean of its products'.
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    # Denormalised from orders (orders app, F() updates): items sold, shown on the shop page.
    sold_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


class ShopTransition(models.Model):
    """Audit row of one review-lifecycle change of a shop (rule 4)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=10)
    dst = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=REVIEW_NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.src} -> {self.dst}"


class ShopStaff(models.Model):
    """A member who works in a shop. The owner is staff with the owner role."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MANAGER = "manager", _("manager")  # products, orders, refunds, staff below manager
        FULFILMENT = "fulfilment", _("fulfilment")  # sees orders and ships them

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_roles")
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "user"], name="shop_staff_once")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.shop_id} ({self.role})"


class ShippingRate(models.Model):
    """What shipping to one country (ISO 3166-1 alpha-2, or "*" for everywhere else) costs.

    FLAT: `amount` once per order from this shop; PER_ITEM: `amount` times the number of items.
    """

    class Mode(models.TextChoices):
        FLAT = "flat", _("flat rate per order")
        PER_ITEM = "per_item", _("per item")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="shipping_rates")
    region = models.CharField(max_length=2)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.FLAT)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "region"], name="shipping_rate_once_per_region"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="shipping_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.region} {self.mode} {self.amount}"
