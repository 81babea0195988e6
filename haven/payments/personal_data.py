"""Payments' entries in the personal-data registry.

Export: the member's payments (amount, currency, status, refunds, card brand and last four digits,
dates). Erasure: payments are the shops' accounting records and stay (tax and bookkeeping law), but
without the member: `payer` and refunds' `requested_by` are set to null. Their audit rows, webhook
records and ledger lines name no member (they hang off the payment).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.payments.models import Payment, Refund

SECTION = "payments"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_payments(user: Any) -> Iterator[dict[str, Any]]:
    rows = Payment.objects.filter(payer_id=user.pk).order_by("pk").prefetch_related("refunds")
    for payment in rows.iterator(chunk_size=200):
        yield {
            "id": payment.pk,
            "purpose": payment.purpose,
            "provider": payment.provider,
            "amount": payment.amount,
            "currency": payment.currency,
            "status": payment.status,
            "refunded_amount": payment.refunded_amount,
            "card_brand": payment.card_brand,
            "card_last4": payment.card_last4,
            "created_at": _iso(payment.created_at),
            "updated_at": _iso(payment.updated_at),
            "refunds": [
                {"amount": r.amount, "status": r.status, "created_at": _iso(r.created_at)}
                for r in payment.refunds.all()
            ],
        }


def erase_payments(user: Any) -> int:
    """Keep the payments for the shops' books, without the member (idempotent)."""
    return Payment.objects.filter(payer_id=user.pk).update(payer=None)


def erase_refund_requesters(user: Any) -> int:
    return Refund.objects.filter(requested_by_id=user.pk).update(requested_by=None)


def register_all() -> None:
    personal_data.register(
        Payment,
        section=SECTION,
        owner_fields=("payer",),
        personal_fields=("card_brand", "card_last4"),
        exporter=export_payments,
        eraser=erase_payments,
        kept="Payments stay in the shops' accounts as tax and bookkeeping law requires, without your "
        "account (amount, currency, status, card brand and last four digits).",
        order=80,
    )
    personal_data.register(
        Refund,
        section=SECTION,
        owner_fields=(),
        other_user_fields=("requested_by",),
        exporter=None,  # exported inside each payment ("refunds")
        eraser=erase_refund_requesters,
        kept="Refunds stay with their payment, without the account that asked for them.",
        order=80,
    )
