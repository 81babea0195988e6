"""Fan-out cost per follower of the Redis Following feeds (haven.feeds.store.fanout_note).

    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench \
    HAVEN_REDIS_URL=redis://127.0.0.1:6379/13 HAVEN_FANOUT_THRESHOLD=100000000 \
        .venv/bin/python -m bench.load.fanout --author 1 --rounds 5

Uses a scratch Redis database (its hv:* keys are written and deleted again; never point it at the
database a server uses). Every follower of --author is marked active with a built (empty) feed, so
each fan-out pushes to all of them; the threshold is raised so the most-followed author is pushed
rather than merged at read time. Reports Python CPU (process_time) and Redis server CPU per follower,
and the wall time of one fan-out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence

from bench.common import OUT, db_label, django_setup, guard_database


def redis_cpu(r: object) -> float:
    info = r.info("cpu")  # type: ignore[attr-defined]
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--author", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.conf import settings

    from haven.feeds import store
    from haven.graph.models import Follow
    from haven.notes.models import Note

    url = settings.HAVEN.redis_url
    if not url or url.rstrip("/").rsplit("/", 1)[-1] in ("0", "10", "14"):
        sys.exit("use a scratch Redis database (e.g. redis://127.0.0.1:6379/13), not the server's")
    r = store.client()
    followers = list(Follow.objects.filter(followee_id=args.author).values_list("follower_id", flat=True))
    notes = list(
        Note.objects.filter(author_id=args.author, status="published", visibility="public")
        .order_by("-id")
        .values_list("id", flat=True)[: args.rounds]
    )
    if not notes:
        sys.exit(f"member {args.author} has no public notes")
    store.mark_active(followers, r=r)
    with r.pipeline(transaction=False) as pipe:
        for uid in followers:
            pipe.set(store.meta_key(uid), "{}", ex=600)
        pipe.execute()
    rows = []
    try:
        for note_id in notes:
            cpu0, wall0, rcpu0 = time.process_time(), time.perf_counter(), redis_cpu(r)
            pushed = store.fanout_note(note_id, r=r)
            cpu, wall, rcpu = time.process_time() - cpu0, time.perf_counter() - wall0, redis_cpu(r) - rcpu0
            rows.append(
                {
                    "note_id": note_id,
                    "pushed": pushed,
                    "wall_ms": round(wall * 1000, 1),
                    "python_cpu_us_per_follower": round(cpu / max(pushed, 1) * 1e6, 2),
                    "redis_cpu_us_per_follower": round(rcpu / max(pushed, 1) * 1e6, 2),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    finally:
        with r.pipeline(transaction=False) as pipe:
            for uid in followers:
                pipe.delete(store.meta_key(uid), store.feed_key(uid))
            pipe.zrem(store.ACTIVE_KEY, *[str(u) for u in followers]) if followers else None
            pipe.delete(store.author_key(args.author))
            pipe.execute()
    out = {
        "database": db_label(),
        "author": args.author,
        "followers": len(followers),
        "rounds": rows,
        "python_cpu_us_per_follower_median": statistics.median(r["python_cpu_us_per_follower"] for r in rows),
        "redis_cpu_us_per_follower_median": statistics.median(r["redis_cpu_us_per_follower"] for r in rows),
        "wall_ms_median": statistics.median(r["wall_ms"] for r in rows),
    }
    (OUT / f"fanout-{db_label()}.json").write_text(json.dumps(out, indent=2))
    print(json.dumps({k: v for k, v in out.items() if k != "rounds"}))


if __name__ == "__main__":
    main()
