"""Time and memory of a whole import on the product path: upload, parse, review, confirm, drafts.

    HAVEN_DATA_DIR=$(mktemp -d) .venv/bin/python -m bench.imports.full            # embedded (SQLite)
    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench_imports \\
        HAVEN_REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python -m bench.imports.full

It builds a synthetic TikTok export (layout C, zipped: 5,000 followed accounts, 5,000 followers,
1,000 posts with bilingual captions and hashtags, 1,000 likes, 100,000 watch-history rows that are
never read), migrates the target database, and runs the import through the services with the tasks
run inline (as a worker would run them): `import_upload` (stores the ZIP; parsing runs on commit),
then `import_confirm` with every choice (drafts, profile, topics, interests, the following list).
Beside it, in the same run, the floors: parsing alone (`parse_export`) and creating the same 1,000
drafts directly with `note_create`. Memory is the growth of the process's peak RSS over each phase
(peaks only grow, so each figure is what that phase added) and, with --trace, the peak of Python
allocations of a second import by another member (tracemalloc; slower, so its time is not shown).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import django_setup, guard_database


def build_export(folder: Path, *, following: int, posts: int, watched: int) -> Path:
    """A layout-C TikTok export zipped as downloaded (`TikTok_Data.zip`)."""
    stamp = "2025-01-01 00:00:00"
    first = datetime(2023, 1, 1, 8, 0)
    video = "https://www.tiktokv.com/share/video/7{:018d}/"
    captions = [
        "Sunday sourdough 🍞 今天的酸种面包 #sourdough #酸种面包 #homebaker",
        "Night market in Taipei 夜市 #taipei #streetfood #夜市",
        "Matcha latte art practice, day {n} 抹茶 #matcha #latteart #咖啡",
        "Learning Chinese with my grandma 和奶奶学中文 #learnchinese #family",
    ]
    document = {
        "Profile And Settings": {
            "Profile Info": {
                "ProfileMap": {
                    "userName": "big.account",
                    "displayName": "Big Account",
                    "bioDescription": "bio",
                }
            },
            "Following": {"Following": [{"Date": stamp, "UserName": f"user.{i}"} for i in range(following)]},
            "Follower": {"FansList": [{"Date": stamp, "UserName": f"fan.{i}"} for i in range(following)]},
        },
        "Post": {
            "Posts": {
                "VideoList": [
                    {
                        "Date": (first + timedelta(hours=7 * i)).strftime("%Y-%m-%d %H:%M:%S"),
                        "Link": video.format(i),
                        "WhoCanView": "Everyone",
                        "Title": captions[i % len(captions)].format(n=i),
                    }
                    for i in range(posts)
                ]
            }
        },
        "Likes and Favorites": {
            "Like List": {
                "ItemFavoriteList": [{"date": stamp, "link": video.format(i)} for i in range(posts)]
            }
        },
        "Your Activity": {
            "Watch History": {"VideoList": [{"Date": stamp, "Link": video.format(i)} for i in range(watched)]}
        },
    }
    path = folder / "TikTok_Data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("user_data_tiktok.json", json.dumps(document, ensure_ascii=False))
    return path


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Phase:
    """Wall time and peak-RSS growth of a block."""

    def __init__(self, name: str, rows: list[tuple[str, float, float]]) -> None:
        self.name, self.rows = name, rows

    def __enter__(self) -> Phase:
        self.rss, self.started = _rss_mib(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.rows.append((self.name, time.perf_counter() - self.started, _rss_mib() - self.rss))


def _import(member: Any, export: Path, rows: list[tuple[str, float, float]], label: str) -> Any:
    from django.core.files import File

    from haven.imports import services

    with Phase(f"{label}: upload + parse (worker)", rows), export.open("rb") as handle:
        job = services.import_upload(
            user=member, file=File(handle, name=export.name), name=export.name, size=export.stat().st_size
        )
    job.refresh_from_db()
    assert job.state == "review", (job.state, job.error_code)
    with Phase(f"{label}: confirm + import (worker)", rows):
        services.import_confirm(user=member, job_id=job.pk, choices=dict.fromkeys(services.CHOICES, True))
    job.refresh_from_db()
    assert job.state == "done", (job.state, job.error_code)
    return job


def _claims(stamp: int, *, claimed: int, others: int) -> None:
    """Members who said they were `user.<i>` on TikTok (i < claimed: on the imported list) and others
    who claimed handles nobody imported, all discoverable: what matching looks among."""
    from haven.accounts.models import User
    from haven.people.handles import parse
    from haven.people.models import FormerHandle

    unusable = "!"  # Django's mark for an unusable password: these members never log in

    members = User.objects.bulk_create(
        User(username=f"c{stamp}_{i}", email=f"c{stamp}_{i}@example.com", password=unusable)
        for i in range(claimed + others)
    )
    rows = []
    for i, user in enumerate(members):
        handle = parse(f"user.{i}" if i < claimed else f"someone.else.{stamp}.{i}")
        assert handle is not None
        rows.append(
            FormerHandle(
                user=user,
                platform="tiktok",
                handle=handle.handle,
                handle_key=handle.key,
                loose_key=handle.loose,
                discoverable=True,
            )
        )
    FormerHandle.objects.bulk_create(rows, batch_size=500)


def run(
    *, following: int, posts: int, watched: int, trace: bool, claimed: int = 300, others: int = 2000
) -> int:
    os.environ["HAVEN_TASKS_BACKEND"] = "immediate"
    django_setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("django.tasks").setLevel(logging.WARNING)

    guard_database()
    call_command("migrate", verbosity=0, interactive=False)
    from haven.accounts.models import User
    from haven.imports.parsing import parse_export
    from haven.notes.models import Note, Visibility
    from haven.notes.services import note_create

    rows: list[tuple[str, float, float]] = []
    stamp = int(time.time())
    with tempfile.TemporaryDirectory() as folder:
        export = build_export(Path(folder), following=following, posts=posts, watched=watched)
        size = export.stat().st_size / 2**20
        with Phase("floor: parse_export alone", rows):
            parsed = parse_export(export)
        captions = [post.caption for post in parsed.posts]
        del parsed
        floor_member = User.objects.create_user(
            username=f"floor{stamp}", email=f"floor{stamp}@example.com", password=None
        )
        with Phase(f"floor: {len(captions)} x note_create (drafts)", rows):
            for caption in captions:
                note_create(
                    author=floor_member, body=caption[:2000], visibility=Visibility.PUBLIC, publish=False
                )
        with Phase(f"setup: {claimed + others} members claim former handles", []):
            _claims(stamp, claimed=claimed, others=others)
        member = User.objects.create_user(
            username=f"importer{stamp}", email=f"importer{stamp}@example.com", password=None
        )
        job = _import(member, export, rows, "import")
        drafts = Note.objects.filter(author=member, status="draft").count()
        peak = None
        if trace:
            import tracemalloc

            second = User.objects.create_user(
                username=f"traced{stamp}", email=f"traced{stamp}@example.com", password=None
            )
            tracemalloc.start()
            _import(second, export, [], "traced")
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    print(
        f"export: {following} following, {following} followers, {posts} posts, {posts} likes, "
        f"{watched} watch-history rows; ZIP {size:.1f} MiB; {claimed} of the followed and {others} others "
        "claimed their handles on Haven"
    )
    print(f"result: {drafts} drafts; {json.dumps(job.result, sort_keys=True)}")
    print(f"{'phase':<44} {'time s':>8} {'peak RSS grew MiB':>18}")
    for name, seconds, grew in rows:
        print(f"{name:<44} {seconds:>8.2f} {grew:>18.0f}")
    total = sum(seconds for name, seconds, _ in rows if name.startswith("import:"))
    floor = sum(seconds for name, seconds, _ in rows if name.startswith("floor:"))
    print(
        f"whole import {total:.2f} s = {total / floor:.2f}x the floors (parse + plain drafts) {floor:.2f} s"
    )
    print(f"process peak RSS {_rss_mib():.0f} MiB")
    if peak is not None:
        print(f"peak Python allocations of a second whole import (tracemalloc): {peak:.0f} MiB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--following", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--watched", type=int, default=100_000)
    parser.add_argument(
        "--claimed", type=int, default=300, help="followed accounts that claimed their handle"
    )
    parser.add_argument(
        "--others", type=int, default=2000, help="members who claimed handles not on the list"
    )
    parser.add_argument("--trace", action="store_true", help="also measure Python allocations (tracemalloc)")
    args = parser.parse_args(argv)
    return run(
        following=args.following,
        posts=args.posts,
        watched=args.watched,
        trace=args.trace,
        claimed=args.claimed,
        others=args.others,
    )


if __name__ == "__main__":
    raise SystemExit(main())
