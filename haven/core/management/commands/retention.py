"""`manage.py retention`: print the retention table (--list) or prune now (--run [KIND ...])."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from haven.core import retention


class Command(BaseCommand):
    help = "Print how long each kind of data is kept (--list, --markdown) or prune it now (--run)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--list", action="store_true", help="print kind, days, setting and description")
        group.add_argument(
            "--markdown", action="store_true", help="the same table in Markdown (operator guide)"
        )
        group.add_argument(
            "--run", nargs="*", metavar="KIND", help="prune these kinds (all when none is named)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["run"] is not None:
            try:
                counts = retention.retention_run(kinds=options["run"] or None)
            except KeyError as exc:
                raise CommandError(str(exc)) from None
            for kind, count in counts.items():
                self.stdout.write(f"{kind}: {count}")
            return
        with translation.override("en"):
            rows = [
                (
                    rule.kind,
                    str(rule.days) if rule.days else "kept",
                    f"HAVEN_{rule.setting}" if rule.setting else "-",
                    str(rule.description),
                )
                for rule in retention.retention_rules()
            ]
        if options["markdown"]:
            self.stdout.write("| kind | days | setting | what |")
            self.stdout.write("|---|---|---|---|")
            for kind, days, setting, description in rows:
                self.stdout.write(f"| `{kind}` | {days} | `{setting}` | {description} |")
            return
        rows.insert(0, ("kind", "days", "setting", "description"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write("  ".join([*(row[i].ljust(widths[i]) for i in range(3)), row[3]]).rstrip())
