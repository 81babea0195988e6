"""Background tasks of payments: the sandbox's webhook deliveries (idempotent: event ids are fixed)."""

from __future__ import annotations

from django.tasks import task

from haven.payments import sandbox_flow


@task()
def sandbox_deliver(*, payment_id: int, attempt: str, step: str, brand: str = "", last4: str = "") -> None:
    """Send the signed webhook events of one sandbox card attempt (`step`: the card's outcome, or
    "approve"/"fail" from the confirmation page). Running it twice re-sends the same event ids."""
    sandbox_flow.deliver(payment_id=payment_id, attempt=attempt, step=step, brand=brand, last4=last4)
