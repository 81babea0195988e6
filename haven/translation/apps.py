"""App configuration for translation."""

from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "haven.translation"
    label = "translation"

    def ready(self) -> None:
        from haven.translation import personal_data

        personal_data.register_all()
        from haven.translation import searchable

        searchable.register()
