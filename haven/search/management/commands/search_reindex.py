"""`manage.py search_reindex`: rebuild the search index, or check it against what is indexable (drift)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core import searchables
from haven.search import index
from haven.search.models import SearchGram, SearchTerm


class Command(BaseCommand):
    help = (
        "Rebuild the search index (every registered kind, or --kind), or with --check compare the ids "
        "of indexable objects with the index entries and report drift (exit status 1 when there is "
        "some); --check --fix repairs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="a registered kind (repeatable); default all")
        parser.add_argument("--clear", action="store_true", help="empty each kind before rebuilding it")
        parser.add_argument(
            "--vocabulary", action="store_true", help="also rebuild the typo vocabulary from scratch"
        )
        parser.add_argument("--check", action="store_true", help="report drift instead of rebuilding")
        parser.add_argument("--fix", action="store_true", help="with --check: repair the drift found")

    def handle(self, *args: Any, **options: Any) -> None:
        registered = searchables.kinds()
        kinds = options["kind"] or sorted(registered)
        unknown = [k for k in kinds if k not in registered]
        if unknown:
            raise CommandError(
                f"unknown kind(s): {', '.join(unknown)}; registered: {', '.join(sorted(registered))}"
            )
        if options["fix"] and not options["check"]:
            raise CommandError("--fix goes with --check")
        if options["check"]:
            self._check(kinds, fix=options["fix"])
            return
        if options["vocabulary"]:
            SearchGram.objects.all().delete()
            SearchTerm.objects.all().delete()
        for kind in kinds:
            started = time.monotonic()
            counts = index.reindex(kind, clear=options["clear"])
            self.stdout.write(
                f"{kind}: {counts['indexed']} indexed, {counts['removed']} removed "
                f"in {time.monotonic() - started:.1f} s"
            )
        size = index.backend().size_bytes()
        if size is not None:
            self.stdout.write(f"index size: {size / 1e6:.1f} MB ({index.backend().vendor})")

    def _check(self, kinds: list[str], *, fix: bool) -> None:
        drifted = False
        for kind in kinds:
            report = index.drift(kind)
            self.stdout.write(
                f"{kind}: {report.indexable} indexable, {report.indexed} indexed, {len(report.missing)} "
                f"missing, {len(report.extra)} extra, {len(report.textless)} without text"
            )
            for label, ids in (("missing", report.missing), ("extra", report.extra)):
                if ids:
                    self.stdout.write(
                        f"  {label}: {', '.join(map(str, ids[:20]))}{' ...' if len(ids) > 20 else ''}"
                    )
            if not report.clean:
                drifted = True
                if fix:
                    index.repair(report)
                    self.stdout.write(f"  repaired {kind}")
        if drifted and not fix:
            raise SystemExit(1)
