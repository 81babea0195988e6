"""The declared lifecycle of a payment: requires_payment -> processing -> succeeded | failed."""

from __future__ import annotations

from haven.core.states import StateGraph

REQUIRES_PAYMENT = "requires_payment"
REQUIRES_ACTION = "requires_action"
PROCESSING = "processing"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"

#: A failed attempt may be retried with another card (failed -> requires_action | processing | succeeded),
#: as at Stripe; succeeded and cancelled are final. A late or duplicated webhook that asks for a move
#: the graph does not allow (succeeded -> processing) changes nothing.
PAYMENT_LIFECYCLE = StateGraph(
    "payment",
    {
        REQUIRES_PAYMENT: {REQUIRES_ACTION, PROCESSING, SUCCEEDED, FAILED, CANCELLED},
        REQUIRES_ACTION: {PROCESSING, SUCCEEDED, FAILED, CANCELLED},
        PROCESSING: {SUCCEEDED, FAILED},
        FAILED: {REQUIRES_ACTION, PROCESSING, SUCCEEDED, CANCELLED},
        SUCCEEDED: set(),
        CANCELLED: set(),
    },
)
