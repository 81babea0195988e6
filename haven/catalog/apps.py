"""App configuration for catalog."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "haven.catalog"
    label = "catalog"
