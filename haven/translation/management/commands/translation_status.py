"""`manage.py translation_status`: one line saying whether machine translation is configured."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from haven.translation import selectors


class Command(BaseCommand):
    help = (
        "Print one line: which language pairs a machine translator serves, or where to read how to add one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(selectors.status_line())
