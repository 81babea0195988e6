"""Writes of payments: create, apply provider events (idempotently), cancel, refund, post ledger lines."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.errors import Conflict, InvalidInput
from haven.core.money import check_amount, check_currency
from haven.core.transactions import after_commit
from haven.payments import states
from haven.payments.models import LedgerEntry, Payment, PaymentTransition, Refund, WebhookEvent
from haven.payments.providers import active_provider, get_provider
from haven.payments.providers.base import ProviderEvent

logger = logging.getLogger(__name__)

#: Called inside the transaction that moved a payment: listener(payment, src, dst).
PaymentListener = Callable[[Payment, str, str], None]
_listeners: list[tuple[str, PaymentListener]] = []


def register_payment_listener(purpose_prefix: str, listener: PaymentListener) -> None:
    """Tell `listener` about every state change of payments whose purpose starts with `purpose_prefix`.

    Higher apps (orders) register from AppConfig.ready(); the listener runs inside the transaction of
    the change, so what it writes commits or rolls back with it.
    """
    if (purpose_prefix, listener) not in _listeners:
        _listeners.append((purpose_prefix, listener))


#: Where the hosted page sends the buyer once a payment is settled: fn(payment) -> a local URL.
ReturnUrl = Callable[[Payment], str]
_return_urls: dict[str, ReturnUrl] = {}


def register_return_url(purpose_prefix: str, fn: ReturnUrl) -> None:
    """Send buyers of payments whose purpose starts with `purpose_prefix` to `fn(payment)` when done.

    Filled by higher apps from AppConfig.ready() (orders: the order's page); read through
    selectors.return_url (default "/"). The longest matching prefix wins.
    """
    _return_urls[purpose_prefix] = fn


def return_url_handlers() -> dict[str, ReturnUrl]:
    return dict(_return_urls)


#: What a payment is for, as the payment page shows it: fn(payment) -> {"title": str, "lines": [str, ...]}.
PaymentSummary = Callable[[Payment], dict[str, Any] | None]
_summaries: dict[str, PaymentSummary] = {}


def register_payment_summary(purpose_prefix: str, fn: PaymentSummary) -> None:
    """Describe payments whose purpose starts with `purpose_prefix` with `fn(payment)` on the payment page
    (a title such as the shop's name, and a few short lines such as the items).

    Filled by higher apps from AppConfig.ready() (orders: shops and items of a checkout); read through
    selectors.payment_summary. The longest matching prefix wins.
    """
    _summaries[purpose_prefix] = fn


def payment_summary_handlers() -> dict[str, PaymentSummary]:
    return dict(_summaries)


def payment_create(
    *, payer: Any, amount: int, currency: str, purpose: str, provider: str | None = None
) -> Payment:
    """A payment waiting for the buyer. No provider call happens here (see payment_start)."""
    check_amount(amount, allow_zero=False)
    if not purpose or len(purpose) > 60:
        raise InvalidInput(_("A payment needs a purpose of at most 60 characters."), code="invalid_purpose")
    name = provider or active_provider().name
    return Payment.objects.create(
        provider=name, purpose=purpose, payer=payer, amount=amount, currency=check_currency(currency)
    )


def payment_start(*, payment: Payment) -> Payment:
    """Prepare the payment at its provider once (when the buyer opens the payment page)."""
    if payment.provider_ref:
        return payment
    if payment.status not in (states.REQUIRES_PAYMENT, states.FAILED):
        raise Conflict(_("This payment can no longer be paid."), code="payment_closed")
    intent = get_provider(payment.provider).create_intent(payment)
    updated = Payment.objects.filter(pk=payment.pk, provider_ref__isnull=True).update(
        provider_ref=intent.provider_ref, client_secret=intent.client_secret
    )
    payment.refresh_from_db()
    if not updated and payment.provider_ref != intent.provider_ref:
        logger.info("payment %s was started twice; kept %s", payment.pk, payment.provider_ref)
    return payment


def _move(payment: Payment, dst: str, *, event_id: str = "", detail: str = "", **updates: Any) -> bool:
    """Compare-and-set `payment` to `dst` with an audit row and the listeners. False when not allowed."""
    src = payment.status
    if src == dst or not states.PAYMENT_LIFECYCLE.can(src, dst):
        return False
    moved = states.PAYMENT_LIFECYCLE.transition(
        Payment.objects.all(),
        pk=payment.pk,
        field="status",
        src=src,
        dst=dst,
        updated_at=timezone.now(),
        **updates,
    )
    if not moved:
        return False
    payment.refresh_from_db()
    PaymentTransition.objects.create(
        payment=payment, src=src, dst=dst, event_id=event_id, detail=detail[:200]
    )
    for prefix, listener in list(_listeners):
        if payment.purpose.startswith(prefix):
            listener(payment, src, dst)
    return True


def payment_apply_event(*, provider: str, event: ProviderEvent) -> str:
    """Apply one verified provider event exactly once. Returns what happened (for the audit and tests).

    "duplicate": this event id was applied before. "unknown_payment": no such payment here.
    "stale": the move it asks for is not allowed from where the payment is (a late or out-of-order
    event, e.g. processing after succeeded), so nothing changes. "applied": the payment moved.
    """
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider, provider_ref=event.provider_ref)
            .first()
        )
        if payment is None:
            # Not recorded: a redelivery after the payment exists here (or never) is tried again.
            return "unknown_payment"
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event.event_id[:100],
                    type=event.type[:60],
                    payment=payment,
                    occurred_at=event.occurred_at,
                )
        except IntegrityError:
            return "duplicate"
        outcome = _apply(payment, event)
        record.outcome = outcome
        record.save(update_fields=["outcome"])
        return outcome


def _apply(payment: Payment, event: ProviderEvent) -> str:
    if event.refund_ref:
        return _apply_refund_event(payment, event)
    if event.payment_status is None:
        return "ignored"
    last = (
        WebhookEvent.objects.filter(payment=payment, outcome="applied")
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if last is not None and event.occurred_at < last:
        return "stale"  # older than what the payment already shows (e.g. a failure before a retry)
    updates: dict[str, Any] = {}
    if event.card_last4:
        updates.update(card_brand=event.card_brand[:20], card_last4=event.card_last4[-4:])
    updates["failure_code"] = event.failure_code[:40] if event.payment_status == states.FAILED else ""
    moved = _move(payment, event.payment_status, event_id=event.event_id, detail=event.type, **updates)
    return "applied" if moved else "stale"


def _apply_refund_event(payment: Payment, event: ProviderEvent) -> str:
    refund = Refund.objects.select_for_update().filter(payment=payment, provider_ref=event.refund_ref).first()
    if (
        refund is None
        or refund.status != Refund.Status.PENDING
        or event.refund_status not in ("succeeded", "failed")
    ):
        return "stale"
    _settle_refund(payment, refund, event.refund_status)
    return "applied"


def _settle_refund(payment: Payment, refund: Refund, status: str) -> None:
    if status == "succeeded":
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=F("refunded_amount") + refund.amount)
    Refund.objects.filter(pk=refund.pk).update(status=status)


def payment_cancel(*, payment: Payment, reason: str = "") -> bool:
    """Cancel a payment that has not succeeded (its order expired). True when it was cancelled now."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        moved = _move(payment, states.CANCELLED, detail=reason)
        if moved and payment.provider_ref:
            after_commit(_cancel_at_provider, payment)
    return moved


def _cancel_at_provider(payment: Payment) -> None:
    try:
        get_provider(payment.provider).cancel_intent(payment)
    except Exception:  # the provider expires it on its own; a late success is refunded by orders
        logger.warning("could not cancel payment %s at %s", payment.pk, payment.provider, exc_info=True)


def payment_record_outcome(*, payment: Payment, dst: str, detail: str = "", **updates: Any) -> bool:
    """Move a locked payment from inside the app (sandbox confirmations, tests use provider events)."""
    return _move(payment, dst, detail=detail, **updates)


def refund_create(
    *, payment: Payment, amount: int, key: str, reason: str = "", requested_by: Any = None
) -> Refund:
    """Refund `amount` of a succeeded payment once per `key` (a retry returns the same refund).

    The amount is checked against what is left under a row lock, so two refunds never exceed the
    payment. Refunds the provider settles synchronously count at once; pending ones count when the
    provider's webhook says they succeeded.
    """
    check_amount(amount, allow_zero=False)
    if not key or len(key) > 100:
        raise InvalidInput(_("A refund key has 1 to 100 characters."), code="invalid_idempotency_key")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        existing = Refund.objects.filter(key=key).first()
        if existing is not None:
            if existing.payment_id != payment.pk or existing.amount != amount:
                raise Conflict(
                    _("This refund key was already used for another refund."), code="idempotency_key_reused"
                )
            return existing
        if payment.status != states.SUCCEEDED:
            raise Conflict(_("Only a completed payment can be refunded."), code="payment_not_refundable")
        pending = sum(
            Refund.objects.filter(payment=payment, status=Refund.Status.PENDING).values_list(
                "amount", flat=True
            )
        )
        if amount > payment.amount - payment.refunded_amount - pending:
            raise InvalidInput(
                _("The refund is larger than what is left of the payment."), code="refund_too_large"
            )
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    payment=payment, key=key, amount=amount, reason=reason[:200], requested_by=requested_by
                )
        except IntegrityError:  # the same key, at the same moment, for another payment
            raise Conflict(
                _("This refund key was already used for another refund."), code="idempotency_key_reused"
            ) from None
        result = get_provider(payment.provider).refund(payment, amount=amount, key=key)
        Refund.objects.filter(pk=refund.pk).update(provider_ref=result.provider_ref[:100])
        refund.provider_ref = result.provider_ref
        if result.status in ("succeeded", "failed"):
            _settle_refund(payment, refund, result.status)
        refund.refresh_from_db()
        return refund


@dataclass(frozen=True)
class LedgerLine:
    account: str
    owner_id: int | None
    kind: str
    amount: int


def ledger_post(*, payment: Payment, reference: str, lines: Sequence[LedgerLine]) -> str:
    """Append one balanced transaction (its lines sum to zero) and return its id."""
    if not lines or sum(line.amount for line in lines) != 0 or all(line.amount == 0 for line in lines):
        raise ValueError(f"unbalanced ledger transaction for {reference}: {lines}")
    for line in lines:
        if line.account not in LedgerEntry.Account.values or line.kind not in LedgerEntry.Kind.values:
            raise ValueError(f"unknown ledger account or kind: {line}")
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            raise ValueError(f"ledger amounts are integers of minor units: {line}")
    if not reference or len(reference) > 60:
        raise ValueError(f"a ledger reference has 1 to 60 characters: {reference!r}")
    txn = uuid.uuid4().hex
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            txn=txn,
            account=line.account,
            owner_id=line.owner_id,
            kind=line.kind,
            amount=line.amount,
            currency=payment.currency,
            payment=payment,
            reference=reference,
        )
        for line in lines
        if line.amount != 0
    )
    return txn
