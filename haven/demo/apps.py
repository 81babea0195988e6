"""App configuration for demo (demo content and the seed_demo command; the top layer)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "haven.demo"
    label = "demo"
    verbose_name = "Demo content"
