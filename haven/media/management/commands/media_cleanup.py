"""`manage.py media_cleanup`: delete unattached uploads older than a day, retry stalled processing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from haven.media import services


class Command(BaseCommand):
    help = "Delete uploads not attached to a note within 24 hours, retry stalled processing, remove orphans."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.image_cleanup()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
