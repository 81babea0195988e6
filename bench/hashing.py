"""Cost of password hashing: Haven's Argon2id settings against Django's default, in the same run.

    .venv/bin/python -m bench.hashing --n 20 --threads 2
    HAVEN_ARGON2_MEMORY_KIB=12288 HAVEN_ARGON2_TIME_COST=3 .venv/bin/python -m bench.hashing

For each parameter set (Django's default Argon2 hasher: 100 MiB, 2 passes, 8 lanes; Haven's
configured hasher, HAVEN_ARGON2_*; and the other OWASP equivalents with --owasp) it times `--n`
hashes (a sign-up, a password change, the re-hash at login) and `--n` verifies (a password login,
a token login) one after another, then `--threads` threads hashing at once for `--seconds`, which
is what a web process sees during a sign-up surge (argon2-cffi releases the GIL, so threads use
every core). Prints a Markdown table; `--json` writes bench/out/hashing.json too. No database,
no network.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.common import OUT

PASSWORD = "bench-password-2026"  # noqa: S105 (hashed only, never a credential)


@dataclass(frozen=True)
class Params:
    label: str
    memory_kib: int
    time_cost: int
    parallelism: int


def _hasher(params: Params) -> Any:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    return type(
        "BenchArgon2",
        (Argon2PasswordHasher,),
        {"memory_cost": params.memory_kib, "time_cost": params.time_cost, "parallelism": params.parallelism},
    )()


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def measure(params: Params, n: int, threads: int, seconds: float) -> dict[str, Any]:
    hasher = _hasher(params)
    encoded = hasher.encode(PASSWORD, hasher.salt())
    hashes, verifies = [], []
    cpu0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        hasher.encode(PASSWORD, hasher.salt())
        hashes.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        assert hasher.verify(PASSWORD, encoded)
        verifies.append(time.perf_counter() - t0)
    cpu_per_op = (time.process_time() - cpu0) / (2 * n)
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        while time.perf_counter() < stop:
            hasher.encode(PASSWORD, hasher.salt())
            done[i] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    return {
        "params": params.__dict__,
        "hash_p50_ms": round(_ms(hashes, 0.5), 1),
        "hash_p99_ms": round(_ms(hashes, 0.99), 1),
        "hash_mean_ms": round(statistics.fmean(hashes) * 1000, 1),
        "verify_p50_ms": round(_ms(verifies, 0.5), 1),
        "verify_p99_ms": round(_ms(verifies, 0.99), 1),
        "cpu_ms_per_op": round(cpu_per_op * 1000, 1),
        "threads": threads,
        "hashes_per_second": round(sum(done) / wall, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20, help="hashes and verifies timed one by one (default 20)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="concurrent hashing threads")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the concurrent run")
    parser.add_argument("--owasp", action="store_true", help="also the other OWASP-equivalent settings")
    parser.add_argument("--json", action="store_true", help="write bench/out/hashing.json")
    args = parser.parse_args(argv)
    args.n = max(1, min(args.n, 1000))
    args.threads = max(1, min(args.threads, 64))
    args.seconds = max(0.5, min(args.seconds, 120.0))

    from django.conf import settings

    if not settings.configured:
        from config.env import load

        haven = load()  # only the HAVEN_ARGON2_* values are read; nothing is touched
        configured = (haven.argon2_memory_kib, haven.argon2_time_cost, haven.argon2_parallelism)
        settings.configure()
    sets = [
        Params("Django default", 102400, 2, 8),
        Params("Haven (HAVEN_ARGON2_*)", *configured),
    ]
    if args.owasp:
        for memory, passes in ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)):
            if (memory, passes, 1) != configured:
                sets.append(Params("OWASP", memory, passes, 1))
    rows = [measure(p, args.n, args.threads, args.seconds) for p in sets]
    base = rows[0]
    print(
        f"Argon2id, {args.n} sequential hashes and verifies each, then {args.threads} threads for "
        f"{args.seconds:g} s ({os.cpu_count()} CPUs)\n"
    )
    print(
        "| parameters | memory | passes | lanes | hash p50 / p99 ms | verify p50 / p99 ms | CPU ms per op "
        f"| hashes/s ({args.threads} threads) | × Django default |"
    )
    print("|---|---:|---:|---:|---|---|---:|---:|---:|")
    for row in rows:
        p = row["params"]
        speedup = row["hashes_per_second"] / base["hashes_per_second"] if base["hashes_per_second"] else 0
        print(
            f"| {p['label']} | {p['memory_kib'] / 1024:g} MiB | {p['time_cost']} | {p['parallelism']} "
            f"| {row['hash_p50_ms']} / {row['hash_p99_ms']} "
            f"| {row['verify_p50_ms']} / {row['verify_p99_ms']} "
            f"| {row['cpu_ms_per_op']} | {row['hashes_per_second']} | {speedup:.1f} |"
        )
    if args.json:
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "hashing.json").write_text(json.dumps(rows, indent=2))
        print(f"\nwrote {OUT / 'hashing.json'}")


if __name__ == "__main__":
    main()
