"""JSON API of payments (mounted under /api/v1/payments/ in config.api): a payer reads a payment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from haven.accounts.models import User
from haven.core.errors import NotAuthenticated
from haven.core.openapi import errors
from haven.payments import access, selectors
from haven.payments.schemas import PaymentOut

router = Router(tags=["payments"])


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


@router.get("/{payment_id}", response={200: PaymentOut, **errors(404)}, summary="One of your payments")
def payment_detail(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    """Status, amount and card of a payment you are paying; anyone else's is 404 payment_not_found."""
    payment = access.payment_or_404(payment_id=payment_id, payer=_member(request))
    return selectors.payment_data(payment)
