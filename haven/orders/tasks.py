"""Thin, idempotent task wrappers of orders: expire unpaid orders, complete delivered ones, late refunds."""

from __future__ import annotations

from django.tasks import task

from haven.orders import services


@task()
def expire_unpaid() -> int:
    return services.orders_expire_unpaid()


@task()
def complete_delivered() -> int:
    return services.orders_complete_delivered()


@task()
def refund_late_payment(*, order_id: int) -> None:
    services.refund_late_payment(order_id=order_id)
