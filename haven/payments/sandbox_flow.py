"""The sandbox's hosted-page flow: a card attempt is checked here, then paid by signed webhooks.

`sandbox_card_submit` and `sandbox_action_confirm` move nothing: they enqueue (on commit)
tasks.sandbox_deliver, which signs the events a processor would send for that card and delivers them
through webhooks.receive, the function behind POST /pay/webhooks/<provider>/.
"""

from __future__ import annotations

import re
import secrets

from django.utils.translation import gettext as _

from haven.core.errors import Conflict, InvalidInput
from haven.core.transactions import enqueue_on_commit
from haven.payments import states
from haven.payments.models import Payment, WebhookEvent
from haven.payments.providers import sandbox

ATTEMPT_RE = re.compile(r"^[0-9a-f]{16}$")
PAYABLE = (states.REQUIRES_PAYMENT, states.FAILED)
#: Stripe's code when the buyer fails 3-D Secure.
AUTHENTICATION_FAILED = "payment_intent_authentication_failure"


def _check_sandbox(payment: Payment) -> None:
    if payment.provider != sandbox.NAME or not payment.provider_ref:
        raise Conflict(_("This payment is not paid on this page."), code="payment_not_sandbox")


def sandbox_card_submit(*, payment: Payment, number: str, expiry: str, cvc: str, name: str) -> str:
    """Check the typed card and enqueue its outcome; return the attempt id the page polls with.

    Only the brand and the last four digits travel on (in the task's arguments and the events).
    """
    _check_sandbox(payment)
    if payment.status not in PAYABLE:
        raise Conflict(_("This payment can no longer be paid."), code="payment_closed")
    card = sandbox.read_card(number=number, expiry=expiry, cvc=cvc, name=name)
    attempt = secrets.token_hex(8)
    from haven.payments import tasks

    enqueue_on_commit(
        tasks.sandbox_deliver,
        payment_id=payment.pk,
        attempt=attempt,
        step=card.outcome,
        brand=card.brand,
        last4=card.last4,
    )
    return attempt


def sandbox_action_confirm(*, payment: Payment, approve: bool) -> str:
    """Answer the 3-D Secure-like confirmation: approve (succeeds) or fail (authentication fails)."""
    _check_sandbox(payment)
    if payment.status != states.REQUIRES_ACTION:
        raise Conflict(_("This payment needs no confirmation."), code="payment_not_requiring_action")
    attempt = secrets.token_hex(8)
    from haven.payments import tasks

    enqueue_on_commit(
        tasks.sandbox_deliver, payment_id=payment.pk, attempt=attempt, step="approve" if approve else "fail"
    )
    return attempt


def attempt_settled(payment: Payment, attempt: str) -> bool:
    """Whether the events of `attempt` have reached the payment (the page stops polling then)."""
    if not ATTEMPT_RE.match(attempt or ""):
        return True
    return WebhookEvent.objects.filter(
        provider=sandbox.NAME, payment=payment, event_id__startswith=f"evt_sbx_{attempt}_"
    ).exists()


def _steps(step: str, card: sandbox.Card | None) -> list[tuple[str, str]]:
    """(event type, failure code) in the order a processor sends them for `step`."""
    if step in (sandbox.SUCCEED, "approve"):
        return [("payment_intent.processing", ""), ("payment_intent.succeeded", "")]
    if step in (sandbox.DECLINE, sandbox.INSUFFICIENT):
        return [("payment_intent.processing", ""), ("payment_intent.payment_failed", step)]
    if step == sandbox.REQUIRE_ACTION:
        return [("payment_intent.requires_action", "")]
    if step == "fail":
        return [("payment_intent.payment_failed", AUTHENTICATION_FAILED)]
    raise InvalidInput("unknown sandbox step", code="invalid_step")


def deliver(*, payment_id: int, attempt: str, step: str, brand: str = "", last4: str = "") -> None:
    """Sign and deliver the events of one attempt (same ids on a re-run, so they apply once)."""
    from haven.payments import webhooks

    payment = Payment.objects.filter(pk=payment_id, provider=sandbox.NAME).first()
    if payment is None or not payment.provider_ref or not ATTEMPT_RE.match(attempt):
        return
    card = sandbox.Card(brand=brand[:20], last4=last4[-4:], outcome=step) if last4 else None
    if card is None and payment.card_last4:
        card = sandbox.Card(brand=payment.card_brand, last4=payment.card_last4, outcome=step)
    for index, (type_, failure_code) in enumerate(_steps(step, card), start=1):
        body = sandbox.build_event(
            event_id=f"evt_sbx_{attempt}_{index}",
            type=type_,
            intent_id=payment.provider_ref,
            card=card,
            failure_code=failure_code,
        )
        webhooks.receive(sandbox.NAME, body, {sandbox.SIGNATURE_HEADER: sandbox.sign(body)})
