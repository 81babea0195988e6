"""Where the time goes in one hot endpoint: cProfile over in-process requests (Django test client).

    HAVEN_DATABASE_URL=... HAVEN_REDIS_URL=... .venv/bin/python -m bench.load.profile following --n 200

Prints the top functions by cumulative and by own time, and a coarse split of the wall time into
database (cursor execute + fetch), Redis, serialisation (ninja/pydantic) and the rest.

Steady state first: every member whose token the profiled requests use reads the endpoint once
before the profiler starts (their Redis Following feeds built, Discover candidates and caches warm),
so the profile shows the hot path rather than feed rebuilds.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import time
from collections.abc import Sequence

from bench.common import OUT, db_label, django_setup, guard_database

PATHS = {
    "following": "/api/v1/feeds/following?limit=20",
    "discover": "/api/v1/feeds/discover?limit=20",
    "note": "/api/v1/notes/{note}",
    "profile": "/api/v1/graph/users/{user}",
}
BUCKETS = {
    "database": ("psycopg", "sqlite3", "backends/utils.py"),
    "redis": ("redis/",),
    "serialisation": ("ninja/", "pydantic", "json/"),
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("endpoint", choices=sorted(PATHS))
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--ahead",
        action="store_true",
        help="discover: rank each member's next first page ahead (outside the profile), as the task "
        "worker does, so the profiled requests take a ranking made ahead",
    )
    parser.add_argument("--dump", help="also write the raw profile here (for pstats / snakeviz)")
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.test import Client

    pool = json.loads((OUT / f"pool-{db_label()}.json").read_text())
    members, notes, users = pool["members"], pool["note_ids"], pool["usernames"]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")  # one handler, like a worker
    auth = [f"Bearer {m['token']}" for m in members]
    path = PATHS[args.endpoint]

    def url() -> str:
        return path.format(note=random.choice(notes), user=random.choice(users))

    prepare = None
    if args.ahead:
        if args.endpoint != "discover":
            raise SystemExit("--ahead is for discover")
        from haven.feeds.selectors import discover_prepare, prepare_enabled

        if not prepare_enabled():
            raise SystemExit("--ahead: Discover is not ranked ahead here (HAVEN_REDIS_URL and a task worker)")
        prepare = discover_prepare

    # Warm outside the profile: each member the profiled requests use reads the endpoint once (for
    # Following, that builds their Redis feed), then a few more for caches and connections.
    warmed = min(args.n, len(auth))
    started = time.perf_counter()
    for i in range(warmed):
        response = client.get(url(), HTTP_AUTHORIZATION=auth[i])
        if response.status_code != 200:
            raise SystemExit(f"warm-up: {path} answered {response.status_code}")
    for i in range(20):
        client.get(url(), HTTP_AUTHORIZATION=auth[i % len(auth)])
    print(f"warmed {warmed} members' {args.endpoint} in {time.perf_counter() - started:.1f} s")
    # Unprofiled first: each request's wall time (the ranking made ahead, when --ahead, outside it).
    times: list[float] = []
    for i in range(args.n):
        if prepare is not None:
            prepare(members[i % len(auth)]["id"])
        began = time.perf_counter()
        client.get(url(), HTTP_AUTHORIZATION=auth[i % len(auth)])
        times.append(time.perf_counter() - began)
    times.sort()
    print(
        f"{args.endpoint}: unprofiled p50 {times[len(times) // 2] * 1000:.1f} ms, "
        f"p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )
    profiler = cProfile.Profile()
    wall = 0.0
    for i in range(args.n):
        if prepare is not None:
            prepare(members[i % len(auth)]["id"])
        began = time.perf_counter()
        profiler.enable()
        client.get(url(), HTTP_AUTHORIZATION=auth[i % len(auth)])
        profiler.disable()
        wall += time.perf_counter() - began
    if prepare is not None:  # the profiled requests asked a worker for their next rankings: nobody will
        from django.apps import apps

        tasks = apps.get_model("django_tasks_database", "DBTaskResult")
        tasks.objects.filter(status="READY", task_path="haven.feeds.tasks.prepare_discover").delete()
    stats = pstats.Stats(profiler)
    if args.dump:
        stats.dump_stats(args.dump)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    split = dict.fromkeys(BUCKETS, 0.0)
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        for bucket, needles in BUCKETS.items():
            if any(n in filename for n in needles):
                split[bucket] += row[2]  # own time
                break
    print(
        f"{args.endpoint}: {args.n} requests in {wall:.2f} s ({wall / args.n * 1000:.1f} ms each, profiled)"
    )
    for bucket, seconds in split.items():
        print(f"  {bucket:<14} {seconds / total:6.1%} of own time")
    rest = 1 - sum(split.values()) / total
    print(f"  {'other':<14} {rest:6.1%} (Django, middleware, haven code, ORM compile)")
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(args.top)
        print(buffer.getvalue())


if __name__ == "__main__":
    main()
