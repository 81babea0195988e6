"""App configuration for orders: the payments listener, periodic jobs and notification wording."""

from datetime import timedelta

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "haven.orders"
    label = "orders"

    def ready(self) -> None:
        from haven.core.schedule import register_periodic
        from haven.orders import services, tasks
        from haven.payments.services import register_payment_listener

        register_payment_listener(services.PURPOSE_PREFIX, services.payment_changed)
        register_periodic(
            "orders_expire_unpaid",
            task=tasks.expire_unpaid,
            every=timedelta(minutes=1),
            description="Cancel unpaid orders whose stock hold ran out and give the stock back.",
        )
        register_periodic(
            "orders_complete_delivered",
            task=tasks.complete_delivered,
            every=timedelta(hours=1),
            jitter=timedelta(minutes=10),
            description="Complete orders delivered more than HAVEN_ORDER_COMPLETE_DAYS ago.",
        )
