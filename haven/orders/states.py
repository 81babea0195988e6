"""The two declared lifecycles of an order: fulfilment (`status`) and money (`payment_status`)."""

from __future__ import annotations

from haven.core.states import StateGraph

PENDING_PAYMENT = "pending_payment"
PAID = "paid"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"

#: pending_payment -> paid -> shipped -> delivered -> completed. An unpaid order is cancelled when its
#: payment fails for good or its hold expires (stock goes back); a paid order that was not shipped yet
#: may be cancelled by the seller, the buyer or an operator (fully refunded).
ORDER_LIFECYCLE = StateGraph(
    "order",
    {
        PENDING_PAYMENT: {PAID, CANCELLED},
        PAID: {SHIPPED, CANCELLED},
        SHIPPED: {DELIVERED},
        DELIVERED: {COMPLETED},
        COMPLETED: set(),
        CANCELLED: set(),
    },
)

UNPAID = "unpaid"
PARTIALLY_REFUNDED = "partially_refunded"
REFUNDED = "refunded"
VOIDED = "voided"

#: unpaid -> paid -> partially_refunded* -> refunded; an order cancelled before payment is voided.
PAYMENT_STATUS = StateGraph(
    "order payment",
    {
        UNPAID: {PAID, VOIDED},
        PAID: {PARTIALLY_REFUNDED, REFUNDED},
        PARTIALLY_REFUNDED: {PARTIALLY_REFUNDED, REFUNDED},
        REFUNDED: set(),
        VOIDED: set(),
    },
)

#: Orders whose buyer still waits for something from the seller.
OPEN = (PENDING_PAYMENT, PAID, SHIPPED)
