"""Baselines that need no server: the database floor of each endpoint, in-process cost, password hashing.

    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench [HAVEN_REDIS_URL=...] \
        .venv/bin/python -m bench.load.floor --iterations 200

For every endpoint of the daily mix, each iteration calls it once in-process with Django's test client
(bearer token of a pool member; times the full Django request without a server or network), captures
the SQL it ran, and then replays exactly that SQL on a cursor inside a rolled-back transaction (the
database floor: what the endpoint costs the database alone). Also times Argon2 hash and verify with
Django's configured hasher (the CPU cost of a sign-up and of a password login). Writes
bench/out/floor-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.common import OUT, db_label, django_setup, guard_database

SKIP = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "mean_ms": round(statistics.fmean(ms), 2),
        "p50_ms": round(pct(ms, 0.50), 2),
        "p95_ms": round(pct(ms, 0.95), 2),
        "p99_ms": round(pct(ms, 0.99), 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--hash-iterations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cold", dest="warm", action="store_false", help="no warm-up read per member")
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    label = db_label()
    pool = json.loads((OUT / f"pool-{label}.json").read_text())
    rng = random.Random(args.seed)
    members, note_ids, usernames = pool["members"], pool["note_ids"], pool["usernames"]

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")  # one handler, like a worker
    endpoints: dict[str, Callable[[str], Any]] = {
        "following": lambda a: client.get("/api/v1/feeds/following?limit=20", HTTP_AUTHORIZATION=a),
        "discover": lambda a: client.get("/api/v1/feeds/discover?limit=20", HTTP_AUTHORIZATION=a),
        "note": lambda a: client.get(f"/api/v1/notes/{rng.choice(note_ids)}", HTTP_AUTHORIZATION=a),
        "profile": lambda a: client.get(f"/api/v1/graph/users/{rng.choice(usernames)}", HTTP_AUTHORIZATION=a),
        "profile_notes": lambda a: client.get(
            f"/api/v1/feeds/users/{rng.choice(usernames)}/notes?limit=20", HTTP_AUTHORIZATION=a
        ),
        "like": lambda a: client.put(
            f"/api/v1/engagement/notes/{rng.choice(note_ids)}/like", HTTP_AUTHORIZATION=a
        ),
        "comment": lambda a: client.post(
            f"/api/v1/engagement/notes/{rng.choice(note_ids)}/comments",
            data={"body": "Bench floor 测试"},
            content_type="application/json",
            HTTP_AUTHORIZATION=a,
        ),
    }
    results: dict[str, Any] = {"database": label, "vendor": connection.vendor, "endpoints": {}}
    for name, call in endpoints.items():
        inproc, sql, queries, statuses = [], [], [], {}
        if name in ("following", "discover") and args.warm:  # steady state: feeds built, caches filled
            for i in range(min(args.iterations, len(members))):
                call(f"Bearer {members[i % len(members)]['token']}")
        for i in range(args.iterations):
            bearer = f"Bearer {members[i % len(members)]['token']}"
            with transaction.atomic():  # writes are rolled back, so iterations stay comparable
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    response = call(bearer)
                    inproc.append((time.perf_counter() - t0) * 1000)
                transaction.set_rollback(True)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SKIP)]
            queries.append(len(statements))
            with transaction.atomic(), connection.cursor() as cur:
                t0 = time.perf_counter()
                for statement in statements:
                    cur.execute(statement)
                    if cur.description is not None:
                        cur.fetchall()
                sql.append((time.perf_counter() - t0) * 1000)
                transaction.set_rollback(True)
        results["endpoints"][name] = {
            "in_process": summary(inproc),
            "sql_floor": summary(sql),
            "queries_per_request": round(statistics.fmean(queries), 1),
            "statuses": statuses,
        }
        row = results["endpoints"][name]
        print(
            f"{name:<14} queries {row['queries_per_request']:>4}  sql p50 {row['sql_floor']['p50_ms']:>7} "
            f"p99 {row['sql_floor']['p99_ms']:>7} ms   in-process p50 {row['in_process']['p50_ms']:>7} "
            f"p99 {row['in_process']['p99_ms']:>7} ms  {statuses}",
            flush=True,
        )

    hasher = get_hasher()
    hashes, verifies = [], []
    encoded = make_password("bench-password-2026")
    for _i in range(args.hash_iterations):
        t0 = time.perf_counter()
        make_password("surge-password-2026")
        hashes.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        check_password("bench-password-2026", encoded)
        verifies.append((time.perf_counter() - t0) * 1000)
    params = {k: getattr(hasher, k, None) for k in ("time_cost", "memory_cost", "parallelism")}
    results["password_hashing"] = {
        "hasher": hasher.algorithm,
        "params": params,
        "hash": summary(hashes),
        "verify": summary(verifies),
    }
    print(f"argon2 {params}: hash p50 {pct(hashes, 0.5):.1f} ms, verify p50 {pct(verifies, 0.5):.1f} ms")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"floor-{label}.json").write_text(json.dumps(results, indent=2))
    print(f"wrote {OUT / f'floor-{label}.json'}")


if __name__ == "__main__":
    main()
