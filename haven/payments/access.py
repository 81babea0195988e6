"""Who may see which payment: a payment is visible to its payer and to nobody else.

The rule: a Payment (its status, amount, card brand and last four, its hosted page) is visible to
the member in `payer` only. Shops and staff see money through orders and the ledger, not here.
Missing, someone else's and a payer-less (erased) payment look the same: NotFound.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.payments.models import Payment


def payments_of(user: Any) -> QuerySet[Payment]:
    """The member's own payments (an anonymous visitor has none)."""
    if not getattr(user, "is_authenticated", False):
        return Payment.objects.none()
    return Payment.objects.filter(payer_id=user.pk)


def payment_or_404(*, payment_id: Any, payer: Any) -> Payment:
    """The payment `payment_id` when `payer` paid (or is to pay) it; else NotFound."""
    if not str(payment_id).isdigit() or len(str(payment_id)) > 18:
        raise NotFound(_("Payment not found."), code="payment_not_found")
    payment = payments_of(payer).filter(pk=int(payment_id)).first()
    if payment is None:
        raise NotFound(_("Payment not found."), code="payment_not_found")
    return payment


def payment_by_secret_or_404(*, client_secret: str, payer: Any) -> Payment:
    """The payment behind a hosted-page token, for its payer only (a leaked link is not enough)."""
    if not client_secret or len(client_secret) > 200:
        raise NotFound(_("Payment not found."), code="payment_not_found")
    payment = payments_of(payer).filter(client_secret=client_secret).first()
    if payment is None:
        raise NotFound(_("Payment not found."), code="payment_not_found")
    return payment
