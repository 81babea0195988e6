"""App configuration for orders: the payments listener, return URL and page summary, periodic jobs,
notification wording and links, and the personal-data registrations."""

from datetime import timedelta

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "haven.orders"
    label = "orders"

    def ready(self) -> None:
        from haven.core.schedule import register_periodic
        from haven.notifications.models import Notification
        from haven.notifications.selectors import register_text
        from haven.notifications.views import register_link
        from haven.orders import personal_data, selectors, services, tasks, views
        from haven.payments.services import (
            register_payment_listener,
            register_payment_summary,
            register_return_url,
        )

        register_payment_listener(services.PURPOSE_PREFIX, services.payment_changed)
        register_return_url(services.PURPOSE_PREFIX, views.checkout_return_url)
        register_payment_summary(services.PURPOSE_PREFIX, selectors.payment_summary)
        register_text(Notification.Verb.ORDER, selectors.notification_text)
        register_link(Notification.Verb.ORDER, selectors.notification_link)
        personal_data.register_all()
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
