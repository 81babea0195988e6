"""`manage.py prepare`: everything `./haven.sh run` does before serving, in one process.

Runs migrate, then collectstatic only when the static sources changed since the last run (WhiteNoise
re-compresses every file on each collectstatic: about 4 s for nothing), then, with --demo-size, the
demo seed. One interpreter instead of three saves each start another ~2 s of Django set-up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

STAMP_NAME = ".haven-static-fingerprint"


def static_fingerprint() -> str:
    """A digest of every static source file's path, size and modification time (no file is read)."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            full = Path(storage.path(path))
            stat = full.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(str(settings.STORAGES["staticfiles"]["BACKEND"]).encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Migrate, collect static files when they changed, and optionally seed the demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo-size", default="", help="seed the demo at this size (seed_demo --size)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        root = Path(settings.STATIC_ROOT)
        stamp = root / STAMP_NAME
        fingerprint = static_fingerprint()
        if not stamp.is_file() or stamp.read_text().strip() != fingerprint:
            call_command("collectstatic", interactive=False, verbosity=0)
            root.mkdir(parents=True, exist_ok=True)
            stamp.write_text(fingerprint)
        if options["demo_size"]:
            call_command("seed_demo", size=options["demo_size"])
