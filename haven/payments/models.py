"""Payments, refunds, provider webhook events and the append-only double-entry ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """One charge of a buyer through a provider (a PaymentIntent at Stripe), in minor units.

    `purpose` names what is paid (for example "checkout:42"); the app that created the payment is told
    about its outcome through the listeners of payments.services. Only the card's brand and last four
    digits are ever stored.
    """

    class Status(models.TextChoices):
        REQUIRES_PAYMENT = "requires_payment", _("awaiting payment")
        REQUIRES_ACTION = "requires_action", _("needs confirmation")
        PROCESSING = "processing", _("processing")
        SUCCEEDED = "succeeded", _("paid")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=100, null=True, blank=True)
    purpose = models.CharField(max_length=60, unique=True)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUIRES_PAYMENT)
    refunded_amount = models.BigIntegerField(default=0)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    # The token of the hosted payment page (sandbox) or the provider's client secret (Stripe).
    client_secret = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_ref"], name="payment_unique_provider_ref"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} {self.amount} {self.currency} {self.status}"


class PaymentTransition(models.Model):
    """Audit row of one state change of a payment (rule 4)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=20)
    dst = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.src} -> {self.dst}"


class Refund(models.Model):
    """A full or partial refund of a payment. `key` makes a retried refund request a no-op."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("refunded")
        FAILED = "failed", _("failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    key = models.CharField(max_length=100, unique=True)
    amount = models.BigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    provider_ref = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"refund {self.pk} of payment {self.payment_id}: {self.amount}"


class WebhookEvent(models.Model):
    """A provider event received once: the unique (provider, event_id) deduplicates redeliveries."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=60)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # When the provider created the event: stale events (older than the payment's last applied one) are
    # recorded but do not move the payment backwards.
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class LedgerEntry(models.Model):
    """One line of an append-only, double-entry ledger: the lines of one `txn` sum to zero.

    Accounts are (`account`, `owner_id`): the provider's clearing account (money the provider holds for
    Haven), the platform's fee revenue, a creator's commission payable, a shop's net payable. Amounts are
    signed minor units (debit positive, credit negative). Nothing is ever updated or deleted: a refund is
    posted as new lines that reverse part of the payment's.
    """

    class Account(models.TextChoices):
        PROVIDER = "provider", _("payment provider")
        PLATFORM = "platform", _("platform fees")
        CREATOR = "creator", _("creator commission")
        SHOP = "shop", _("shop net")

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        PLATFORM_FEE = "platform_fee", _("platform fee")
        COMMISSION = "commission", _("creator commission")
        SHOP_NET = "shop_net", _("shop net")
        REFUND = "refund", _("refund")

    txn = models.CharField(max_length=40, db_index=True)
    account = models.CharField(max_length=12, choices=Account.choices)
    owner_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger_entries")
    # What the money was for, as "order:<id>" (the ledger does not know the orders app).
    reference = models.CharField(max_length=60, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["account", "owner_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.txn} {self.account}:{self.owner_id} {self.amount} {self.currency}"
