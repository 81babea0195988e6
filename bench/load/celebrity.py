"""The celebrity scenario: the most-followed member posts; time until the note shows in followers' feeds.

    .venv/bin/python -m bench.load.celebrity --host http://127.0.0.1:8791 --rounds 3

Uses the pool from bench.load.setup (the celebrity's token and a sample of its followers' tokens).
Each follower's Following feed is read once first (as an active member would have), then the
celebrity posts (POST /api/v1/notes) and a thread pool polls the sampled followers'
/api/v1/feeds/following until every one sees the note (or --timeout). Reports the post latency, the
per-follower visibility times and the poll latency. Bounded: --timeout seconds per round, loopback only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from bench.common import OUT

PROXY = {"X-Forwarded-Proto": "https"}


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="http://127.0.0.1:8791")
    parser.add_argument("--pool", default=str(OUT / "pool-haven_bench.json"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=64, help="followers polled (fewer: finer timing)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    if urlsplit(args.host).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("bench/load only targets 127.0.0.1")
    pool = json.loads(Path(args.pool).read_text())
    celeb, followers = pool["celebrity"], pool["celebrity_followers"][: args.sample]
    sessions = {f["id"]: requests.Session() for f in followers}

    def read(member: dict[str, Any]) -> tuple[list[int], float, int, float]:
        t0 = time.perf_counter()
        try:
            response = sessions[member["id"]].get(
                f"{args.host}/api/v1/feeds/following?limit=20",
                headers={**PROXY, "Authorization": f"Bearer {member['token']}"},
                timeout=30,
            )
        except requests.ConnectionError:  # an idle keep-alive connection the server closed: poll again
            return [], time.perf_counter() - t0, 0, time.perf_counter()
        elapsed = time.perf_counter() - t0
        ids = [item["id"] for item in response.json().get("items", [])] if response.status_code == 200 else []
        return ids, elapsed, response.status_code, t0 + elapsed

    with ThreadPoolExecutor(args.threads) as executor:
        t0 = time.perf_counter()
        warm = list(executor.map(read, followers))
        warm_s = time.perf_counter() - t0
        print(
            f"warm-up: {len(followers)} followers read their feed in {warm_s:.1f} s "
            f"(p50 {pct([w[1] for w in warm], 0.5) * 1000:.0f} ms, statuses {sorted({w[2] for w in warm})})"
        )
        rounds = []
        for number in range(args.rounds):
            started = time.perf_counter()
            response = requests.post(
                f"{args.host}/api/v1/notes",
                json={
                    "title": f"Celebrity drop {number} 新品",
                    "body": "Out now #weekend",
                    "image_ids": [celeb["image_id"]],
                    "publish": True,
                },
                headers={**PROXY, "Authorization": f"Bearer {celeb['token']}"},
                timeout=30,
            )
            post_s = time.perf_counter() - started
            if response.status_code != 201:
                sys.exit(f"post failed: {response.status_code} {response.text[:200]}")
            note_id = response.json()["id"]
            visible: dict[int, float] = {}
            polls: list[float] = []
            sweeps: list[float] = []
            waiting = list(followers)
            while waiting and time.perf_counter() - started < args.timeout:
                sweep_start = time.perf_counter()
                results = list(executor.map(read, waiting))
                sweeps.append(time.perf_counter() - sweep_start)
                still = []
                for member, (ids, elapsed, _status, done) in zip(waiting, results, strict=True):
                    polls.append(elapsed)
                    if note_id in ids:  # the completion of the first poll that saw it (an upper bound)
                        visible[member["id"]] = done - started
                    else:
                        still.append(member)
                waiting = still
            times = list(visible.values())
            row = {
                "note_id": note_id,
                "post_ms": round(post_s * 1000, 1),
                "followers_sampled": len(followers),
                "visible": len(visible),
                "visible_within_5s": sum(1 for t in times if t <= 5.0),
                "visible_p50_s": round(pct(times, 0.5), 2),
                "visible_p95_s": round(pct(times, 0.95), 2),
                "all_visible_s": round(max(times), 2) if len(visible) == len(followers) else None,
                "poll_p50_ms": round(pct(polls, 0.5) * 1000, 1),
                "poll_p99_ms": round(pct(polls, 0.99) * 1000, 1),
                "polls": len(polls),
                "sweeps_s": [round(x, 2) for x in sweeps],  # the resolution of the visibility times
            }
            rounds.append(row)
            print(json.dumps(row))
    out = {
        "host": args.host,
        "celebrity": {k: celeb[k] for k in ("username", "followers")},
        "warm_up_s": round(warm_s, 1),
        "rounds": rounds,
        "all_visible_s_mean": round(
            statistics.fmean([r["all_visible_s"] or args.timeout for r in rounds]), 2
        ),
    }
    name = f"celebrity-{pool['database']}{'-' + args.label if args.label else ''}.json"
    (OUT / name).write_text(json.dumps(out, indent=2))
    print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
