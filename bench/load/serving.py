"""Which serving layout: the same scenarios through each server, worker and thread layout, each as a
ratio to the framework ceiling measured on that same server in the same minute.

    BENCH_DB=haven_bench_serving BENCH_REDIS_DB=6 .venv/bin/python -m bench.load.serving \\
        --layouts uvicorn:2 uvicorn:3 granian:2 granian-wsgi:2x8 --seconds 30

A layout is SERVER:WORKERS[xTHREADS], SERVER one of `bench/load/serve.sh`'s (uvicorn, granian,
granian-wsgi). For each layout the server is started on the database (prepared like every load run:
`bench.generate` then `bench.load.setup`), warmed by one short Following and Discover run, then
every scenario runs for --seconds with --users simulated users at full speed (locust, on the same
machine: it takes its share of the cores in every layout alike). The server's resident memory (all
of its processes, the task worker aside) is read after the runs. Writes the table to stdout and the
locust CSVs under bench/out/serving/.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import REPO

OUT = REPO / "bench" / "out" / "serving"
SCENARIOS = ("CeilingUser", "FollowingUser", "DiscoverUser", "NoteUser", "ProfileUser", "HtmlAnonUser")
SERVERS = ("uvicorn", "granian", "granian-wsgi")


def parse_layout(text: str) -> tuple[str, int, int]:
    server, _, rest = text.partition(":")
    workers, _, threads = rest.partition("x")
    if server not in SERVERS or not workers.isdigit() or (threads and not threads.isdigit()):
        raise argparse.ArgumentTypeError(f"layout {text!r}: SERVER:WORKERS[xTHREADS], SERVER in {SERVERS}")
    return server, int(workers), int(threads or 0)


def _wait_ready(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # As the load clients do: behind the (simulated) TLS proxy, or production settings redirect.
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/bench/ping", headers={"X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server on port {port} did not answer /bench/ping in {seconds:.0f} s")


def _server_rss_mib(group: int) -> float:
    """Resident memory of the server's processes (the process group less the task worker)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (entry / "status").read_text()
        except OSError:
            continue
        # The server and its workers (uvicorn's are `python -c "from multiprocessing.spawn ..."`),
        # not the script, the task worker or collectstatic.
        served = "python" in cmdline or "granian" in cmdline
        if int(stat[2]) != group or not served or "manage.py" in cmdline:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _locust(name: str, user: str, *, port: int, users: int, seconds: int, pool: str) -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = OUT / name
    env = {**os.environ, "BENCH_POOL": pool}
    subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "locust"),
            "-f",
            str(REPO / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            user,
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"] or 0),
        "p99": float(row["99%"] or 0),
        "failures": float(row["Failure Count"] or 0),
        "requests": float(row["Request Count"] or 0),
    }


def run_layout(
    server: str, workers: int, threads: int, *, scenarios: list[str], port: int, users: int, seconds: int
) -> tuple[dict[str, dict[str, float]], float]:
    db = os.environ.get("BENCH_DB", "haven_bench")
    pool = str(REPO / "bench" / "out" / f"pool-{db}.json")
    env = {**os.environ, "BENCH_SERVER": server, "BENCH_WORKERS": str(workers), "BENCH_PORT": str(port)}
    if threads:
        env["BENCH_THREADS"] = str(threads)
    log = open(OUT / f"server-{server}-{workers}x{threads}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        ["bash", str(REPO / "bench" / "load" / "serve.sh")],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    tag = f"{server}-{workers}x{threads}"
    results: dict[str, dict[str, float]] = {}
    try:
        _wait_ready(port)
        for warm in ("FollowingUser", "DiscoverUser"):  # steady state: Redis feeds and caches warm
            _locust(f"{tag}-warm-{warm}", warm, port=port, users=users, seconds=10, pool=pool)
        for user in scenarios:
            results[user] = _locust(f"{tag}-{user}", user, port=port, users=users, seconds=seconds, pool=pool)
        rss = _server_rss_mib(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    return results, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--layouts", nargs="+", type=parse_layout, default=[parse_layout("uvicorn:2")])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8799")))
    args = parser.parse_args(argv)
    scenarios = ["CeilingUser", *[s for s in args.scenarios if s != "CeilingUser"]]
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{args.users} users, {args.seconds} s per scenario; ratio = req/s over the same server's ceiling")
    print("| layout | scenario | req/s | ratio to ceiling | p50 / p99 ms | failures | server RSS MiB |")
    print("|---|---|---:|---:|---|---:|---:|")
    for server, workers, threads in args.layouts:
        started = time.strftime("%H:%M:%S", time.gmtime())
        results, rss = run_layout(
            server,
            workers,
            threads,
            scenarios=scenarios,
            port=args.port,
            users=args.users,
            seconds=args.seconds,
        )
        ceiling = results["CeilingUser"]["rps"] or 1.0
        label = f"{server} {workers} workers" + (f" x {threads} threads" if threads else "") + f" ({started})"
        for user, r in results.items():
            print(
                f"| {label} | {user} | {r['rps']:.1f} | {r['rps'] / ceiling:.3f} | "
                f"{r['p50']:.0f} / {r['p99']:.0f} | {r['failures']:.0f} | {rss:.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
