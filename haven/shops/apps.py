"""App configuration for shops."""

from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "haven.shops"
    label = "shops"
