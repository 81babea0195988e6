"""App configuration for notes."""

from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "haven.notes"
    label = "notes"
