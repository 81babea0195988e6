"""App configuration for orders."""

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "haven.orders"
    label = "orders"
