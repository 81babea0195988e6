"""CPU time and queries per request of the hot read endpoints, in process (Django test client).

    HAVEN_DATABASE_URL=... HAVEN_REDIS_URL=... HAVEN_DATA_DIR=... \
        .venv/bin/python -m bench.load.lean --n 200 --rounds 3

CPU time (time.process_time) rather than wall time, so a shared, busy machine inflates the figures
less: what another process takes from the cores does not count, only what this process spends
(the database server's and Redis's own work do not count either; the queries per request show that
part). Each round runs every endpoint --n times, endpoints interleaved round by round, so a slow
minute of the machine falls on all of them alike; the figures reported are the lowest and the median
over rounds of each round's mean (the lowest is the least disturbed by other processes). Python
function calls per request (cProfile's count over the same requests) do not depend on the machine's
load at all: the steadiest measure of how much Python a request runs. Run the same command on two
checkouts (e.g. a `git archive` of the base commit beside the working tree) one after the other,
twice, to compare.

Warm-up first: each member whose token is used reads each endpoint once (Redis Following feeds
built, Discover candidates cached), so the figures are the steady state.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import statistics
import time
from collections.abc import Callable, Sequence

from bench.common import OUT, db_label, django_setup, guard_database

PATHS = {
    "following": "/api/v1/feeds/following?limit=20",
    "discover": "/api/v1/feeds/discover?limit=20",
    "note": "/api/v1/notes/{note}",
    "profile": "/api/v1/graph/users/{user}",
    "profile_notes": "/api/v1/feeds/users/{user}/notes?limit=20",
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200, help="requests per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--members", type=int, default=100, help="distinct bearer tokens used")
    parser.add_argument("--only", nargs="*", choices=sorted(PATHS), help="endpoints (default: all)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pool = json.loads((OUT / f"pool-{db_label()}.json").read_text())
    members = pool["members"][: args.members]
    auth = [f"Bearer {m['token']}" for m in members]
    notes, users = pool["note_ids"], pool["usernames"]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    endpoints = args.only or list(PATHS)

    def caller(name: str, rng: random.Random) -> Callable[[int], int]:
        path = PATHS[name]

        def call(i: int) -> int:
            url = path.format(note=rng.choice(notes), user=rng.choice(users))
            response = client.get(url, HTTP_AUTHORIZATION=auth[i % len(auth)])
            if response.status_code not in (200, 404):
                raise SystemExit(f"{url} answered {response.status_code}: {response.content[:200]!r}")
            return len(response.content)

        return call

    for name in endpoints:  # warm-up: every token once per endpoint, plus caches and connections
        call = caller(name, random.Random(args.seed))
        for i in range(len(auth) + 10):
            call(i)
    cpu: dict[str, list[float]] = {name: [] for name in endpoints}
    queries: dict[str, float] = {}
    size: dict[str, float] = {}
    for _round in range(args.rounds):
        for name in endpoints:
            call = caller(name, random.Random(args.seed))  # the same URLs every round and checkout
            started = time.process_time()
            for i in range(args.n):
                call(i)
            cpu[name].append((time.process_time() - started) / args.n)
    calls: dict[str, float] = {}
    sample = min(args.n, 50)
    for name in endpoints:  # queries and function calls per request, outside the timed loops
        call = caller(name, random.Random(args.seed))
        total_queries = total_bytes = 0
        for i in range(sample):
            with CaptureQueriesContext(connection) as captured:
                total_bytes += call(i)
            total_queries += len(captured.captured_queries)
        queries[name] = total_queries / sample
        size[name] = total_bytes / sample
        call = caller(name, random.Random(args.seed))
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(sample):
            call(i)
        profiler.disable()
        calls[name] = pstats.Stats(profiler).total_calls / sample  # type: ignore[attr-defined]
    print(f"{db_label()}: {args.rounds} rounds x {args.n} requests per endpoint, {len(auth)} tokens")
    print(
        f"{'endpoint':<15} {'CPU ms lowest':>13} {'median':>7} {'rounds':>26}"
        f" {'calls':>7} {'queries':>7} {'bytes':>6}"
    )
    for name in endpoints:
        rounds = " ".join(f"{v * 1000:.1f}" for v in cpu[name])
        lowest, median = min(cpu[name]) * 1000, statistics.median(cpu[name]) * 1000
        print(
            f"{name:<15} {lowest:>13.2f} {median:>7.2f} {rounds:>26}"
            f" {calls[name]:>7.0f} {queries[name]:>7.1f} {size[name]:>6.0f}"
        )


if __name__ == "__main__":
    main()
