"""App configuration for translation."""

from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "haven.translation"
    label = "translation"
