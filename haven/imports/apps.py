"""App configuration for imports: personal data, retention of uploads and findings, and where imported
drafts were first posted (a provenance provider for the note page)."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "haven.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from haven.imports import personal_data, provenance, retention
        from haven.notes.hooks import register_provenance

        personal_data.register_all()
        retention.register()
        register_provenance(provenance.provenance)
