"""manage.py flush_counters: apply note counters buffered in Redis, once or every few seconds."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.feeds import store
from haven.notes.counters import counters_flush


class Command(BaseCommand):
    help = "Apply note counters buffered in Redis (HAVEN_COUNTER_BUFFER) to the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not store.enabled():
            self.stdout.write("HAVEN_REDIS_URL is not set: nothing is buffered")
            return
        every = max(0.0, float(options["every"]))
        while True:
            applied = counters_flush()
            self.stdout.write(f"applied {applied} counter changes")
            if not every:
                return
            time.sleep(every)
