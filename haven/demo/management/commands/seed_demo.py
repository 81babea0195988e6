"""seed_demo: fill an empty Haven with a believable bilingual demo community (see haven.demo.seed)."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.errors import HavenError
from haven.demo.seed import DEFAULT_PASSWORD, MAX_MEMBERS, MAX_NOTES, SIZES, demo_login, seed_demo


class Command(BaseCommand):
    help = (
        "Seed a believable bilingual (Chinese/English) demo community: members, follows, notes with "
        "generated photos, likes, saves, comments and notifications. Does nothing when the database "
        "already has members, unless --force. Always ends with the demo login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small", help="preset (default: small)")
        parser.add_argument("--members", type=int, help="number of members (overrides --size)")
        parser.add_argument("--notes", type=int, help="number of notes (overrides --size)")
        parser.add_argument(
            "--seed", type=int, default=2024, help="random seed (the same seed, the same data)"
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every demo member")
        parser.add_argument("--jobs", type=int, default=0, help="worker processes for images (0: automatic)")
        parser.add_argument(
            "--videos",
            type=int,
            default=int(os.environ.get("HAVEN_DEMO_VIDEOS", "3") or 3),
            choices=range(0, 4),
            help="video notes made with ffmpeg (0..3; default HAVEN_DEMO_VIDEOS or 3)",
        )
        parser.add_argument("--force", action="store_true", help="seed even when the database has members")
        parser.add_argument("--quiet", action="store_true", help="print only the demo login")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        quiet = bool(options["quiet"])
        members, total_notes = SIZES[options["size"]]
        members = options["members"] if options["members"] is not None else members
        total_notes = options["notes"] if options["notes"] is not None else total_notes
        if not 1 <= members <= MAX_MEMBERS or not 0 <= total_notes <= MAX_NOTES:
            raise CommandError(f"--members must be 1..{MAX_MEMBERS} and --notes 0..{MAX_NOTES}.")

        def say(message: str) -> None:
            if not quiet:
                self.stdout.write(f"  {message} ({time.perf_counter() - started:.1f} s)")

        def start(jobs: int) -> None:
            if not quiet:
                self.stdout.write(
                    f"Seeding {members} members and {total_notes} notes ({jobs} image worker(s)) ..."
                )

        try:
            report = seed_demo(
                members=members,
                notes=total_notes,
                seed=options["seed"],
                password=options["password"],
                jobs=options["jobs"],
                force=options["force"],
                videos=options["videos"],
                say=say,
                start=start,
            )
        except HavenError as exc:
            raise CommandError(f"seeding failed: {exc.code}: {exc}") from exc
        if report.status == "already_seeded":
            self.stdout.write(
                "Demo data is already there (member 'demo' exists); nothing to do. "
                "Use --force to add another batch."
            )
        elif report.status == "has_members":
            self.stdout.write(
                f"The database already has {report.existing_members} member(s); not adding demo data. "
                "Use --force to add it anyway."
            )
            return  # no demo login to print: these are someone's real members
        elif not quiet:
            self.stdout.write(f"Done in {report.seconds:.1f} s. Rows created:")
            for label, count in report.created.items():
                self.stdout.write(f"  {label:<17} {count:>6}")
        self.stdout.write(self.style.SUCCESS(f"Demo login: {demo_login(options['password'])}"))
