"""manage.py places_backfill: link existing notes to the places their location names are read as."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.notes import places


class Command(BaseCommand):
    help = "Link notes that have a location name but no place yet, then recount places (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="notes per transaction (1..5000)")
        parser.add_argument("--limit", type=int, default=None, help="stop after linking this many notes")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, min(int(options["batch"]), 5000))
        linked = places.backfill_places(batch=batch, limit=options["limit"])
        counts = places.places_refresh()
        self.stdout.write(
            f"linked {linked} notes; recounted {counts['updated']} places, pruned {counts['pruned']}"
        )
