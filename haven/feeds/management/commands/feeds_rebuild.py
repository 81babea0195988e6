"""manage.py feeds_rebuild: rebuild Redis Following feeds from the database (scaled profile)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.feeds import store


class Command(BaseCommand):
    help = "Rebuild Redis Following feeds from the database: one member, or every recently active member."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--user", type=int, help="the member's id")
        group.add_argument("--all-active", action="store_true", help="every member in hv:active")

    def handle(self, *args: Any, **options: Any) -> None:
        if not store.enabled():
            raise CommandError("HAVEN_REDIS_URL is not set: the embedded profile has no Redis feeds.")
        if options["user"] is not None:
            ids = [int(options["user"])]
        else:
            store.prune_inactive()
            celebs = store.celebs_recompute()
            self.stdout.write(f"{celebs} high-follower authors")
            ids = store.active_member_ids()
        for user_id in ids:
            store.rebuild(user_id)
        self.stdout.write(f"rebuilt {len(ids)} feeds")
