"""manage.py recommend_train: train and activate a Discover model now, or activate an earlier version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.recommend import training
from haven.recommend.models import RecommenderModel


class Command(BaseCommand):
    help = "Train and activate a new Discover model now (the periodic job does it every few hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--activate", metavar="VERSION", help="serve an earlier version again (rollback)")
        parser.add_argument("--list", action="store_true", help="list the stored versions")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for row in RecommenderModel.objects.order_by("-created_at").values(
                "version", "is_active", "stats"
            ):
                mark = "*" if row["is_active"] else " "
                self.stdout.write(f"{mark} {row['version']}  {row['stats']}")
            return
        if options["activate"]:
            try:
                training.model_activate(version=options["activate"])
            except RecommenderModel.DoesNotExist as exc:
                raise CommandError(f"no stored version {options['activate']!r}") from exc
            self.stdout.write(f"active: {options['activate']}")
            return
        trained = training.model_train()
        if trained is None:
            self.stdout.write("too little engagement to train yet; Discover keeps its current ranking")
            return
        self.stdout.write(f"trained and activated {trained.version}: {trained.stats}")
