"""`manage.py worker`: django-tasks-db's task worker with the periodic scheduler in a thread beside it.

Takes every `db_worker` option, plus `--schedule-tick` (seconds between scheduler passes) and
`--no-scheduler`. Any number of workers may run: the schedule's compare-and-set makes sure each run
is enqueued once. SIGTERM/SIGINT stop both (the worker finishes its current task first).
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from haven.core.schedule import DEFAULT_TICK, SchedulerThread


class Command(db_worker.Command):
    help = "Run a task worker and, in a thread beside it, the periodic scheduler (haven.core.schedule)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-tick",
            type=float,
            default=DEFAULT_TICK,
            help="seconds between two passes of the periodic scheduler (default: %(default)s)",
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="run tasks only; enqueue no periodic job"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tick = max(1.0, min(float(options.pop("schedule_tick")), 3600.0))
        no_scheduler = options.pop("no_scheduler")
        # With --reload the parent process only watches files: the scheduler runs in the child.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        scheduler = None
        if not no_scheduler and not reloading_parent:
            scheduler = SchedulerThread(tick=tick)
            scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            if scheduler is not None:
                scheduler.stop()
