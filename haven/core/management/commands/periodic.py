"""`manage.py periodic`: list the periodic schedule, or run what is due (or one job) right here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.core import schedule


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = (
        "List periodic jobs and their last runs (--list), run the due ones (--run-due) or one (--run NAME)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--list", action="store_true", help="print every job, its interval and last run")
        group.add_argument("--run-due", action="store_true", help="run every job that is due, then exit")
        group.add_argument("--run", metavar="NAME", help="run this job now, due or not")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="with --run-due: enqueue for the workers instead of running here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
        elif options["run"]:
            try:
                result = schedule.run_now(options["run"])
            except KeyError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{options['run']}: {result}")
        else:
            names = schedule.run_due(execute=not options["enqueue"])
            verb = "enqueued" if options["enqueue"] else "ran"
            self.stdout.write(f"{verb}: {', '.join(names) if names else 'nothing was due'}")

    def _list(self) -> None:
        now = timezone.now()
        rows = [("job", "every", "next due (UTC)", "last finished", "last error")]
        for job, state in schedule.job_states(now=now):
            rows.append(
                (
                    job.name,
                    str(job.every),
                    _when(state.next_due_at) if state else "at first pass",
                    _when(state.last_finished_at) if state else "-",
                    (state.last_error[:60] if state and state.last_error else ""),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
