"""App configuration for imports: personal data and retention of uploads and findings."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "haven.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from haven.imports import personal_data, retention

        personal_data.register_all()
        retention.register()
