"""Checkout throughput and latency through a real server, against the framework ceiling in the same run.

    .venv/bin/python -m bench.commerce.run                      # both profiles, size S
    .venv/bin/python -m bench.commerce.run --profiles scaled --concurrency 32 --seconds 30

For each profile (embedded: a fresh SQLite in a temporary data folder; scaled: the PostgreSQL
database `haven_bench_commerce`, dropped and created, and Redis database --redis-db, flushed) it
migrates, writes the world with bench.commerce.setup (size S: 10,000 members, one shop, 100
variants, --buyers buyers with API tokens and addresses), starts one uvicorn (`config.asgi`,
--workers, HAVEN_BENCH_ENDPOINTS=1) and runs two phases with --concurrency keep-alive connections
for --seconds each:

1. ceiling: `GET /bench/ping` (a fixed JSON reply, no database): what the framework and server do;
2. checkout: each loop takes the next buyer, `POST /api/v1/orders/cart/items` (one random variant),
   then `POST /api/v1/orders/checkout` with a fresh Idempotency-Key; a checkout reserves stock, writes
   the checkout, the order with its line and the payment, and empties the cart.

Reported per phase: requests/s, p50/p99 latency; for checkout, checkouts/s and the checkout
request's own p50/p99, then the ratios checkout/ceiling (throughput) and ceiling/checkout p99
(both "fraction of the ceiling": 1.0 would be as fast as the empty view). Figures go to
bench/out/commerce-<profile>.json and a Markdown table is printed. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import OUT, REPO
from bench.realtime.run import PG_URL, HttpConn, Server, profile_env

PG_DB = "haven_bench_commerce"


def reset_scaled(redis_db: int) -> None:
    import psycopg
    import redis

    with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{redis_db}").flushdb()


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)


async def _phase(port: int, concurrency: int, seconds: float, step: Any) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    checkout_latencies: list[float] = []
    errors: Counter[str] = Counter()
    done = 0

    async def worker(n: int) -> None:
        nonlocal done
        conn = HttpConn(port)
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                ok, checkout_s = await step(conn, n)
            except OSError:
                errors["connection"] += 1
                conn.close()
                continue
            if ok:
                done += 1
                latencies.append(time.perf_counter() - t0)
                if checkout_s is not None:
                    checkout_latencies.append(checkout_s)
            else:
                errors[str(checkout_s)] += 1
            n += concurrency
        conn.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.monotonic() - started
    return {
        "done": done,
        "per_s": round(done / elapsed, 1),
        "p50_ms": _pct(latencies, 0.5),
        "p99_ms": _pct(latencies, 0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "checkout_p50_ms": _pct(checkout_latencies, 0.5),
        "checkout_p99_ms": _pct(checkout_latencies, 0.99),
        "errors": dict(errors),
    }


def _steps(world: dict[str, Any]) -> tuple[Any, Any]:
    buyers = world["buyers"]
    variants = world["variants"]
    rng = random.Random(5)

    async def ping(conn: HttpConn, _n: int) -> tuple[bool, Any]:
        status, _body = await conn.request("GET", "/bench/ping", {})
        return status == 200, None if status == 200 else status

    async def checkout(conn: HttpConn, n: int) -> tuple[bool, Any]:
        buyer = buyers[n % len(buyers)]
        auth = {"Authorization": f"Bearer {buyer['token']}", "Content-Type": "application/json"}
        body = json.dumps({"variant_id": rng.choice(variants), "quantity": 1}).encode()
        status, _ = await conn.request("POST", "/api/v1/orders/cart/items", auth, body)
        if status != 201:
            return False, f"cart {status}"
        t0 = time.perf_counter()
        body = json.dumps({"address_id": buyer["address_id"]}).encode()
        status, _ = await conn.request(
            "POST", "/api/v1/orders/checkout", {**auth, "Idempotency-Key": secrets.token_hex(12)}, body
        )
        if status != 201:
            return False, f"checkout {status}"
        return True, time.perf_counter() - t0

    return ping, checkout


def run_profile(profile: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"haven-commerce-{profile}-"))
    try:
        if profile == "scaled":
            reset_scaled(args.redis_db)
        env = profile_env(profile, data_dir, args.redis_db)
        if profile == "scaled":
            env["HAVEN_DATABASE_URL"] = PG_URL + PG_DB
        # Every loop leaves an unpaid checkout behind: let each buyer hold the most the setting allows,
        # with enough buyers that none reaches it within a run (see --buyers).
        env["HAVEN_MAX_UNPAID_CHECKOUTS"] = "50"
        python = str(REPO / ".venv/bin/python")
        subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
        world_file = data_dir / "world.json"
        subprocess.run(
            [
                python,
                "-m",
                "bench.commerce.setup",
                "--members",
                str(args.members),
                "--buyers",
                str(args.buyers),
                "--out",
                str(world_file),
            ],
            cwd=REPO,
            env=env,
            check=True,
        )
        world = json.loads(world_file.read_text())
        server = Server(env, args.workers, data_dir / "server.log")
        server.start()
        try:
            ping, checkout = _steps(world)
            asyncio.run(_phase(server.port, args.concurrency, 3, ping))  # warm-up
            asyncio.run(_phase(server.port, args.concurrency, 3, checkout))
            ceiling = asyncio.run(_phase(server.port, args.concurrency, args.seconds, ping))
            cpu0 = server.cpu_seconds()
            result = asyncio.run(_phase(server.port, args.concurrency, args.seconds, checkout))
            cpu = server.cpu_seconds() - cpu0
        finally:
            server.stop()
        summary = {
            "profile": profile,
            "members": args.members,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "ceiling": ceiling,
            "checkout": result,
            "server_cpu_ms_per_checkout": round(cpu * 1000 / result["done"], 1) if result["done"] else None,
            "throughput_ratio": round(result["per_s"] / ceiling["per_s"], 3) if ceiling["per_s"] else None,
            "p99_ratio": round(ceiling["p99_ms"] / result["checkout_p99_ms"], 3)
            if ceiling["p99_ms"] and result["checkout_p99_ms"]
            else None,
        }
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"commerce-{profile}.json").write_text(json.dumps(summary, indent=2))
        return summary
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--profiles", nargs="+", choices=("embedded", "scaled"), default=["embedded", "scaled"]
    )
    parser.add_argument("--members", type=int, default=10_000, help="size S: 10,000 members")
    parser.add_argument("--buyers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=8)
    args = parser.parse_args(argv)
    rows = [run_profile(p, args) for p in args.profiles]
    print(
        "\n| profile | ceiling req/s | ceiling p99 ms | checkouts/s | checkout p50 ms | checkout p99 ms | "
        "throughput / ceiling | ceiling p99 / checkout p99 | server CPU ms per checkout | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        c, k = r["ceiling"], r["checkout"]
        print(
            f"| {r['profile']} | {c['per_s']} | {c['p99_ms']} | {k['per_s']} | {k['checkout_p50_ms']} | "
            f"{k['checkout_p99_ms']} | {r['throughput_ratio']} | {r['p99_ratio']} | "
            f"{r['server_cpu_ms_per_checkout']} | {k['errors'] or '-'} |"
        )


if __name__ == "__main__":
    main()
