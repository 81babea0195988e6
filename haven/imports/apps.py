"""App configuration for imports (no models, hooks or registrations yet: parsing only)."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "haven.imports"
    label = "imports"
    verbose_name = "Imports"
