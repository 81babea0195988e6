"""Reads of payments: ledger balances, where the hosted page returns to, what a payment shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from haven.core.money import format_money
from haven.payments import services
from haven.payments.models import LedgerEntry, Payment


def references_balance(references: Iterable[str]) -> dict[str, int]:
    """Sum of ledger lines per reference (zero for every balanced reference)."""
    totals: dict[str, int] = {}
    for ref, amount in LedgerEntry.objects.filter(reference__in=list(references)).values_list(
        "reference", "amount"
    ):
        totals[ref] = totals.get(ref, 0) + amount
    return totals


def return_url(payment: Payment) -> str:
    """Where the buyer goes once the payment is settled (services.register_return_url; default "/")."""
    handlers = services.return_url_handlers()
    for prefix in sorted(handlers, key=len, reverse=True):
        if payment.purpose.startswith(prefix):
            url = handlers[prefix](payment)
            # Only local paths: a handler's mistake must not turn the page into an open redirect.
            if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
                return url
    return "/"


#: Bounds on what a registered summary may put on the payment page.
SUMMARY_TITLE_MAX = 200
SUMMARY_LINES_MAX = 6
SUMMARY_LINE_MAX = 200


def payment_summary(payment: Payment) -> dict[str, Any] | None:
    """What the payment is for (services.register_payment_summary): {"title": str, "lines": [str]}, bounded,
    or None when no app describes it."""
    handlers = services.payment_summary_handlers()
    for prefix in sorted(handlers, key=len, reverse=True):
        if payment.purpose.startswith(prefix):
            found = handlers[prefix](payment)
            if not found:
                return None
            title = str(found.get("title") or "")[:SUMMARY_TITLE_MAX]
            lines = [
                str(line)[:SUMMARY_LINE_MAX] for line in list(found.get("lines") or [])[:SUMMARY_LINES_MAX]
            ]
            return {"title": title, "lines": lines} if title or lines else None
    return None


def pay_url(payment: Payment) -> str:
    """The link that opens the payment's hosted page (preparing it at the provider on first use)."""
    return reverse("payments:start", args=[payment.pk])


def payment_data(payment: Payment) -> dict[str, Any]:
    """What the payer sees of a payment (API and pages)."""
    return {
        "id": payment.pk,
        "status": payment.status,
        "amount": payment.amount,
        "currency": payment.currency,
        "amount_display": format_money(payment.amount, payment.currency),
        "refunded_amount": payment.refunded_amount,
        "brand": payment.card_brand,
        "last4": payment.card_last4,
        "failure_code": payment.failure_code,
        "pay_url": pay_url(payment),
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
    }
