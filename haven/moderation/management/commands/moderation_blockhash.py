"""`manage.py moderation_blockhash`: add, remove and list perceptual hashes of blocked images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.errors import HavenError
from haven.moderation import images
from haven.moderation.models import BlockedImageHash

#: Largest image file read by `add` (the upload limit is not a concern for operators, memory is).
MAX_FILE_BYTES = 64 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Manage the image blocklist: `add IMAGE --label TEXT`, `add --phash HEX --label TEXT`, "
        "`remove HEX`, `list`. Uploads within a hash's max distance are held for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="block an image file, or a 16-hex-digit pHash")
        add.add_argument("image", nargs="?", help="an image file (JPEG, PNG, WebP or HEIC)")
        add.add_argument("--phash", help="a 64-bit pHash as 16 hex digits instead of an image")
        add.add_argument("--label", default="", help="why it is blocked (shown to moderators)")
        add.add_argument(
            "--max-distance",
            type=int,
            default=None,
            help=f"Hamming distance still matching (default 6, at most {images.MAX_DISTANCE_LIMIT})",
        )
        remove = sub.add_parser("remove", help="take a pHash off the blocklist")
        remove.add_argument("phash")
        sub.add_parser("list", help="print phash, max distance, label, added")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                self._add(options)
            elif action == "remove":
                removed = images.blocked_hash_remove(phash=options["phash"])
                self.stdout.write("removed" if removed else "not on the blocklist")
            else:
                self._list()
        except HavenError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None

    def _add(self, options: dict[str, Any]) -> None:
        path, phash = options.get("image"), options.get("phash")
        if bool(path) == bool(phash):
            raise CommandError("give either an image file or --phash")
        data = None
        if path:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"no such file: {path}")
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            data = file.read_bytes()
        row = images.blocked_hash_add(
            image_bytes=data, phash=phash, label=options["label"], max_distance=options["max_distance"]
        )
        self.stdout.write(f"{row.phash}\t{row.max_distance}\t{row.label}")

    def _list(self) -> None:
        rows = BlockedImageHash.objects.order_by("created_at", "pk")
        for row in rows.iterator():
            self.stdout.write(
                f"{row.phash}\t{row.max_distance}\t{row.label}\t{row.created_at:%Y-%m-%d %H:%M}"
            )
