"""Address book, the cart, checkouts and the orders they create (one per shop), with their audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

#: Bounds (ARCHITECTURE.md rule 10).
ADDRESSES_MAX = 10
CART_LINES_MAX = 50
NAME_MAX = 80
LINE_MAX = 120
CITY_MAX = 60
POSTAL_MAX = 16
PHONE_MAX = 24
TRACKING_MAX = 60
CARRIER_MAX = 40
REASON_MAX = 300


class Address(models.Model):
    """A shipping address in a member's address book."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=NAME_MAX)
    line1 = models.CharField(max_length=LINE_MAX)
    line2 = models.CharField(max_length=LINE_MAX, blank=True)
    city = models.CharField(max_length=CITY_MAX)
    region = models.CharField(max_length=CITY_MAX, blank=True)
    postal_code = models.CharField(max_length=POSTAL_MAX, blank=True)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    phone = models.CharField(max_length=PHONE_MAX, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} {self.country}"

    def snapshot(self) -> dict[str, str]:
        return {
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
            "phone": self.phone,
        }


class CartItem(models.Model):
    """A variant in a member's cart (one cart across shops). `note` is the tag that led here, if any."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(default=1)
    note = models.ForeignKey("notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "variant"], name="cart_item_once_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.quantity} x {self.variant_id}"


class Checkout(models.Model):
    """One checkout submission: the orders it created (one per shop) and the one payment for all of them.

    Unique per (buyer, idempotency key): a retried submission finds this row instead of creating orders
    again. `request_hash` tells a true retry from a different request under the same key.
    """

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    idempotency_key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    total = models.BigIntegerField()
    payment = models.OneToOneField(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="checkout"
    )
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="checkout_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"checkout {self.pk}"


class Order(models.Model):
    """What one buyer bought from one shop in one checkout.

    Two declared lifecycles (orders.states): `status` (fulfilment) and `payment_status` (money).
    """

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("awaiting payment")
        PAID = "paid", _("paid")
        SHIPPED = "shipped", _("shipped")
        DELIVERED = "delivered", _("delivered")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", _("unpaid")
        PAID = "paid", _("paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("partly refunded")
        REFUNDED = "refunded", _("refunded")
        VOIDED = "voided", _("not charged")

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT)
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    currency = models.CharField(max_length=3)
    subtotal = models.BigIntegerField()
    shipping = models.BigIntegerField(default=0)
    total = models.BigIntegerField()
    refunded_amount = models.BigIntegerField(default=0)
    address = models.JSONField(default=dict)  # a snapshot; blanked when the buyer's data is erased
    carrier = models.CharField(max_length=CARRIER_MAX, blank=True)
    tracking_number = models.CharField(max_length=TRACKING_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["shop", "status", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping")), name="order_total_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One variant of an order, with what was shown at checkout kept as a snapshot.

    `note` / `creator`: the note whose product tag led to this purchase and its author, who earns
    `commission_bps` of the line.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=100)
    variant_label = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=40)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveSmallIntegerField()
    commission_bps = models.PositiveIntegerField(default=0)
    note = models.ForeignKey("notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restocked_quantity = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(restocked_quantity__lte=F("quantity")), name="order_line_restock_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} x {self.sku}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


class OrderTransition(models.Model):
    """Audit row of one change of an order's `status` or `payment_status` (rule 4)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transitions")
    field = models.CharField(max_length=16)
    src = models.CharField(max_length=20)
    dst = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.field}: {self.src} -> {self.dst}"
