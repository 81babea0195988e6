"""Realtime delivery: Haven's messages over WebSocket against a bare Channels echo, same server, same run.

    .venv/bin/python -m bench.realtime.run                         # both profiles, 1000 clients
    .venv/bin/python -m bench.realtime.run --profiles scaled --clients 2000
    .venv/bin/python -m bench.realtime.run --profiles embedded --probe 1000,2000,4000,8000

For each profile (embedded: a fresh SQLite in a temporary data folder and the in-memory channel
layer; scaled: the PostgreSQL database `haven_bench_realtime`, dropped and created, and the Redis
channel layer on database --redis-db, flushed) it writes a world with bench.realtime.setup (one member
per client, each in one direct conversation and one group of --group-size), starts one uvicorn
(`config.asgi`, HAVEN_BENCH_ENDPOINTS=1, which also routes bench.realtime.echo at /ws/echo/), and
runs four phases, each against the same connected clients:

1. Haven, max: --clients WebSocket clients on `/ws/` (API token subprotocol); --senders loops each
   send a message through `POST /api/v1/dm/conversations/<id>/messages` (Idempotency-Key) for a random
   member of a random conversation and wait for the answer; --max-seconds.
2. Haven, steady: sends at a fixed rate, --steady-fraction of phase 1's sends/s, open loop,
   --steady-seconds; delivery latency = send time -> the event frame at each other participant.
3, 4. Echo, max and steady at the *same* rate: the same number of clients on `/ws/echo/`, the same
   conversations; a send is one frame to the sender's connection, which bench.realtime.echo fans out
   through the channel layer to every participant's group (the sender's own copy is the answer).

Reported per phase: sends/s, deliveries/s (to participants other than the sender), latency p50/p99,
lost deliveries (never arrived within 30 s after the phase), connections the server closed during the run
(connections_dropped, by close code), send errors by status, and the server's CPU
seconds per delivery (/proc: a per-unit figure that is steadier than rates on a shared box). Figures
go to bench/out/realtime-<profile>.json and a Markdown table is printed. Nothing is asserted.

--probe N1,N2,...: instead of the phases, connect Haven clients up to each count in turn (cumulative),
and for each count report the time to connect, failures, a ping round trip on 50 of them, and the
server's memory: how many clients this machine holds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import OUT, REPO

PG_DB = "haven_bench_realtime"
PG_URL = "postgres://postgres@127.0.0.1:5432/"
#: A member sends at most this many messages a minute (haven.messaging.services.SENDS_PER_MINUTE is 60).
MEMBER_SENDS_PER_MINUTE = 50
MAX_IN_FLIGHT = 400
CONNECT_CONCURRENCY = 32


# -------------------------------------------------------------------------------------------------
# Processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def profile_env(profile: str, data_dir: Path, redis_db: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        HAVEN_DATA_DIR=str(data_dir),
        HAVEN_SECRET_KEY=secrets.token_urlsafe(48),
        HAVEN_DEBUG="0",
        HAVEN_LOG_LEVEL="WARNING",
        HAVEN_BENCH_ENDPOINTS="1",
        HAVEN_TASKS_BACKEND="immediate",
        HAVEN_MODERATION_SCORING="false",
    )
    if profile == "scaled":
        env.update(
            HAVEN_DATABASE_URL=PG_URL + PG_DB,
            HAVEN_REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
            HAVEN_DB_POOL_SIZE=os.environ.get("HAVEN_DB_POOL_SIZE", "8"),
        )
    return env


def reset_scaled(redis_db: int) -> None:
    import psycopg
    import redis

    with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{redis_db}").flushdb()


class Server:
    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    str(REPO / ".venv/bin/uvicorn"),
                    "config.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                    "--backlog",
                    "4096",
                ],
                cwd=REPO,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"the server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/bench/ping", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        sys.exit("the server did not start within 120 s")

    def pids(self) -> list[int]:
        assert self.proc is not None
        pids = [self.proc.pid]
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == self.proc.pid:
                    pids.append(int(proc.name))
        return pids

    def cpu_seconds(self) -> float:
        """User + system CPU of the server's processes (the uvicorn supervisor and its workers)."""
        total = 0
        for pid in self.pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(stat[11]) + int(stat[12])
        return total / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return round(total / 1024, 1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


# -------------------------------------------------------------------------------------------------
# A keep-alive HTTP/1.1 client on asyncio streams (the standard library has none; urllib in threads
# would cost the client more CPU than the server it measures)


class HttpConn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        reused = self.writer is not None and not self.writer.is_closing()
        try:
            return await self._request(method, path, headers, body)
        except OSError:
            if not reused:
                raise
        # The server closed an idle keep-alive connection: once more on a new one (sends carry an
        # Idempotency-Key, so a retry never sends twice).
        return await self._request(method, path, headers, body)

    async def _request(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            status_line = await self.reader.readline()
            status = int(status_line.split()[1])
            length, chunked, close = 0, False, False
            while True:
                line = (await self.reader.readline()).decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    chunked = True
                elif name == "connection" and value == "close":
                    close = True
            if chunked:
                data = b""
                while True:
                    size = int((await self.reader.readline()).strip() or b"0", 16)
                    if size == 0:
                        await self.reader.readline()
                        break
                    data += await self.reader.readexactly(size + 2)
                payload = data
            else:
                payload = await self.reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.close()
            raise OSError("connection lost") from None
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.writer = None


# -------------------------------------------------------------------------------------------------
# Clients and phases


@dataclass
class Pending:
    """A sent message: when, by whom, in which phase, deliveries still owed, done when none is."""

    t0: float
    sender: int
    phase: Phase
    owed: int
    done: asyncio.Future[None]


@dataclass
class Phase:
    name: str
    started: float = 0.0
    ended: float = 0.0
    sends: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    expected: int = 0  # deliveries owed to participants other than the sender
    delivered: int = 0
    delivered_in_window: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu: float = 0.0
    skipped: int = 0  # steady sends not made because MAX_IN_FLIGHT were still waiting

    def summary(self) -> dict[str, Any]:
        seconds = max(self.ended - self.started, 1e-9)
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None

        return {
            "phase": self.name,
            "seconds": round(seconds, 1),
            "sends": self.sends,
            "sends_per_s": round(self.sends / seconds, 1),
            "deliveries_per_s": round(self.delivered_in_window / seconds, 1),
            "expected": self.expected,
            "delivered": self.delivered,
            "lost": self.expected - self.delivered,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "errors": dict(self.errors),
            "skipped": self.skipped,
            "server_cpu_s": round(self.cpu, 2),
            "server_cpu_ms_per_delivery": round(self.cpu * 1000 / self.delivered, 2)
            if self.delivered
            else None,
        }


class Load:
    """The connected clients of one kind ("haven" or "echo") and the bookkeeping of sends."""

    def __init__(self, kind: str, world: dict[str, Any], port: int, clients: int) -> None:
        self.kind = kind
        self.port = port
        self.members = world["members"][:clients]
        n = len(self.members)
        self.conversations = [c for c in world["conversations"] if all(m < n for m in c["members"])]
        self.sockets: dict[int, Any] = {}
        self.readers: list[asyncio.Task[None]] = []
        self.pending: dict[str, Pending] = {}
        self.recent: dict[int, deque[float]] = {}
        self.pongs: dict[int, asyncio.Future[None]] = {}
        self.seq = 0
        self.http: list[HttpConn] = []
        self.connect_failures: Counter[str] = Counter()
        #: Connections the server closed while the run went on, by close code (a delivery to them is lost).
        self.dropped: Counter[str] = Counter()
        self.closing = False

    # -- connections

    async def connect(self, upto: int | None = None) -> None:
        import websockets

        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        wanted = [i for i in range(upto if upto is not None else len(self.members)) if i not in self.sockets]

        async def one(i: int) -> None:
            async with gate:
                m = self.members[i]
                if self.kind == "haven":
                    uri, protocols = (
                        f"ws://127.0.0.1:{self.port}/ws/",
                        [f"haven.bearer.{m['token']}", "haven"],
                    )
                else:
                    uri, protocols = f"ws://127.0.0.1:{self.port}/ws/echo/?me={i}", None
                try:
                    ws = await websockets.connect(
                        uri,
                        subprotocols=protocols,
                        compression=None,
                        ping_interval=None,
                        open_timeout=120,
                        max_queue=None,
                    )
                    if self.kind == "haven":
                        hello = json.loads(await asyncio.wait_for(ws.recv(), 120))
                        assert hello["type"] == "hello", hello
                except Exception as exc:  # counted and reported: where the machine stops holding clients
                    self.connect_failures[type(exc).__name__] += 1
                    return
                self.sockets[i] = ws
                self.readers.append(asyncio.create_task(self.read(i, ws)))

        await asyncio.gather(*(one(i) for i in wanted))

    async def close(self) -> None:
        self.closing = True
        await asyncio.gather(*(ws.close() for ws in self.sockets.values()), return_exceptions=True)
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        for conn in self.http:
            conn.close()

    async def read(self, i: int, ws: Any) -> None:
        import websockets

        try:
            async for raw in ws:
                now = time.monotonic()
                frame = json.loads(raw)
                if self.kind == "haven":
                    if frame.get("type") == "pong" and i in self.pongs:
                        self.pongs.pop(i).set_result(None)
                        continue
                    if frame.get("type") != "event" or frame["event"].get("type") != "message":
                        continue
                    message = frame["event"].get("message") or {}
                    tag = message.get("body", "")
                else:
                    tag = frame.get("m", "")
                self.arrived(tag, i, now)
        except websockets.ConnectionClosed as exc:
            if not self.closing:
                self.dropped[str(exc.rcvd.code if exc.rcvd else "no close frame")] += 1
        else:
            if not self.closing:
                self.dropped[str(ws.close_code)] += 1

    def arrived(self, tag: str, receiver: int, now: float) -> None:
        entry = self.pending.get(tag)
        if entry is None or receiver == entry.sender:  # the sender's own copy is not a delivery
            return
        phase = entry.phase
        phase.delivered += 1
        phase.latencies.append(now - entry.t0)
        if phase.started <= now <= phase.ended:
            phase.delivered_in_window += 1
        entry.owed -= 1
        if entry.owed <= 0:
            del self.pending[tag]
            if not entry.done.done():
                entry.done.set_result(None)

    async def ping_all(self, sample: int = 50) -> float | None:
        """Round trip of a `ping` frame on `sample` connections at once (Haven only): seconds, worst."""
        chosen = random.sample(sorted(self.sockets), min(sample, len(self.sockets)))
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        for i in chosen:
            self.pongs[i] = loop.create_future()
            await self.sockets[i].send(json.dumps({"type": "ping"}))
        try:
            await asyncio.wait_for(asyncio.gather(*(self.pongs[i] for i in chosen if i in self.pongs)), 120)
        except TimeoutError:
            return None
        return time.monotonic() - started

    # -- sending

    def pick(self) -> tuple[dict[str, Any], int] | None:
        now = time.monotonic()
        for _attempt in range(50):
            conversation = random.choice(self.conversations)
            sender = random.choice(conversation["members"])
            if sender not in self.sockets:
                continue
            if self.kind == "echo":  # no send limit on the bare echo
                return conversation, sender
            recent = self.recent.setdefault(sender, deque())
            while recent and now - recent[0] > 61:
                recent.popleft()
            if len(recent) < MEMBER_SENDS_PER_MINUTE:
                recent.append(now)
                return conversation, sender
        return None

    async def send_one(self, phase: Phase, http: HttpConn | None, wait: bool = False) -> None:
        picked = self.pick()
        if picked is None:
            phase.errors["no_sender_under_rate_limit"] += 1
            await asyncio.sleep(0.05)
            return
        conversation, sender = picked
        self.seq += 1
        tag = f"{phase.name}-{self.seq}"
        owed = sum(1 for m in conversation["members"] if m != sender and m in self.sockets)
        entry = Pending(time.monotonic(), sender, phase, owed, asyncio.get_running_loop().create_future())
        self.pending[tag] = entry
        phase.expected += owed
        if self.kind == "haven":
            assert http is not None
            body = json.dumps({"body": tag}).encode()
            headers = {
                "Authorization": f"Bearer {self.members[sender]['token']}",
                "Content-Type": "application/json",
                "Idempotency-Key": tag,
            }
            try:
                status, _payload = await http.request(
                    "POST", f"/api/v1/dm/conversations/{conversation['id']}/messages", headers, body
                )
            except OSError:
                status = 0
            if status != 201:
                phase.errors[str(status)] += 1
                phase.expected -= owed
                self.pending.pop(tag, None)
                return
        else:
            try:
                await self.sockets[sender].send(json.dumps({"to": conversation["members"], "m": tag}))
            except Exception as exc:
                phase.errors[type(exc).__name__] += 1
                phase.expected -= owed
                self.pending.pop(tag, None)
                return
        phase.sends += 1
        if wait:  # closed loop: the next send once every other participant has this one
            try:
                await asyncio.wait_for(asyncio.shield(entry.done), 60)
            except TimeoutError:
                phase.errors["not_delivered_in_60s"] += 1

    async def run_max(self, phase: Phase, seconds: float, senders: int, server: Server) -> None:
        while len(self.http) < senders:
            self.http.append(HttpConn(self.port))
        cpu = server.cpu_seconds()
        phase.started = time.monotonic()
        phase.ended = phase.started + seconds

        async def loop(http: HttpConn) -> None:
            while time.monotonic() < phase.ended:
                await self.send_one(phase, http if self.kind == "haven" else None, wait=True)

        await asyncio.gather(*(loop(self.http[i]) for i in range(senders)))
        await self.drain(phase)
        phase.cpu = server.cpu_seconds() - cpu

    async def run_steady(self, phase: Phase, seconds: float, rate: float, server: Server) -> None:
        idle: asyncio.Queue[HttpConn] = asyncio.Queue()
        for conn in self.http:
            idle.put_nowait(conn)
        cpu = server.cpu_seconds()
        phase.started = time.monotonic()
        phase.ended = phase.started + seconds
        tasks: set[asyncio.Task[None]] = set()

        async def one() -> None:
            if self.kind == "haven":
                conn = idle.get_nowait() if not idle.empty() else HttpConn(self.port)
                try:
                    await self.send_one(phase, conn)
                finally:
                    idle.put_nowait(conn)
            else:
                await self.send_one(phase, None)

        k = 0
        while True:
            due = phase.started + k / rate
            if due >= phase.ended:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            k += 1
            if len(tasks) >= MAX_IN_FLIGHT:
                phase.skipped += 1
                continue
            task = asyncio.create_task(one())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        await self.drain(phase)
        phase.cpu = server.cpu_seconds() - cpu
        while not idle.empty():
            conn = idle.get_nowait()
            if conn not in self.http:
                conn.close()

    async def drain(self, phase: Phase, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(p.phase is phase for p in self.pending.values()):
            await asyncio.sleep(0.1)


# -------------------------------------------------------------------------------------------------
# Runs


async def phases(world: dict[str, Any], server: Server, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rate = 0.0
    for kind in ("haven", "echo"):
        load = Load(kind, world, server.port, args.clients)
        started = time.monotonic()
        await load.connect()
        out[f"{kind}_connect"] = {
            "clients": len(load.sockets),
            "seconds": round(time.monotonic() - started, 1),
            "failures": dict(load.connect_failures),
            "server_rss_mib": server.rss_mib(),
        }
        print(
            f"  {kind}: {len(load.sockets)} clients connected in {out[f'{kind}_connect']['seconds']} s",
            flush=True,
        )
        peak = Phase(f"{kind}-max")
        await load.run_max(peak, args.max_seconds, args.senders, server)
        out[f"{kind}_max"] = {**peak.summary(), "connections_dropped": dict(load.dropped)}
        print(f"  {kind} max: {out[f'{kind}_max']}", flush=True)
        if kind == "haven":
            rate = max(
                1.0, round(peak.sends / max(peak.ended - peak.started, 1e-9) * args.steady_fraction, 1)
            )
        steady = Phase(f"{kind}-steady")
        await load.run_steady(steady, args.steady_seconds, rate, server)
        out[f"{kind}_steady"] = {
            **steady.summary(),
            "offered_sends_per_s": rate,
            "connections_dropped": dict(load.dropped),  # since the clients connected
        }
        print(f"  {kind} steady: {out[f'{kind}_steady']}", flush=True)
        await load.close()
    return out


async def probe(world: dict[str, Any], server: Server, steps: list[int]) -> list[dict[str, Any]]:
    load = Load("haven", world, server.port, max(steps))
    rows = []
    for step in steps:
        started = time.monotonic()
        before = len(load.sockets)
        await load.connect(upto=step)
        row = {
            "clients": len(load.sockets),
            "asked": step,
            "connect_seconds": round(time.monotonic() - started, 1),
            "connected_now": len(load.sockets) - before,
            "failures": dict(load.connect_failures),
            "ping_round_trip_s": await load.ping_all(),
            "server_rss_mib": server.rss_mib(),
        }
        rows.append(row)
        print(f"  probe: {row}", flush=True)
        if load.connect_failures or row["ping_round_trip_s"] is None:
            break
    await load.close()
    return rows


def run_profile(profile: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"haven-rt-{profile}-"))
    try:
        env = profile_env(profile, data_dir, args.redis_db)
        if profile == "scaled":
            reset_scaled(args.redis_db)
        members = max(args.probe) if args.probe else args.clients
        world_path = data_dir / "world.json"
        setup_env = {k: v for k, v in env.items() if k != "HAVEN_REDIS_URL"}  # creation limits stay local
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.realtime.setup",
                "--members",
                str(members),
                "--group-size",
                str(args.group_size),
                "--out",
                str(world_path),
            ],
            cwd=REPO,
            env=setup_env,
            check=True,
            timeout=1800,
        )
        world = json.loads(world_path.read_text())
        print(f"[{profile}] world written in {time.monotonic() - started:.0f} s", flush=True)
        server = Server(env, args.workers, OUT / f"realtime-server-{profile}.log")
        server.start()
        try:
            result: dict[str, Any] = {
                "profile": profile,
                "workers": args.workers,
                "group_size": args.group_size,
                "load_average_start": os.getloadavg(),
            }
            if args.probe:
                result["probe"] = asyncio.run(probe(world, server, args.probe))
            else:
                result.update(asyncio.run(phases(world, server, args)))
            result["load_average_end"] = os.getloadavg()
        finally:
            server.stop()
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def table(results: list[dict[str, Any]]) -> str:
    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a and b else "-"

    rows = [
        "| profile | clients | msgs/s | p50 ms | p99 ms | echo msgs/s | echo p50 ms | echo p99 ms "
        "| msgs/s ratio | p50 ratio | p99 ratio | CPU ms/delivery (echo) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "haven_max" not in r:
            continue
        hm, hs, em, es = r["haven_max"], r["haven_steady"], r["echo_max"], r["echo_steady"]
        rows.append(
            f"| {r['profile']} | {r['haven_connect']['clients']} | {hm['deliveries_per_s']} | {hs['p50_ms']} "
            f"| {hs['p99_ms']} | {em['deliveries_per_s']} | {es['p50_ms']} | {es['p99_ms']} "
            f"| {ratio(hm['deliveries_per_s'], em['deliveries_per_s'])} "
            f"| {ratio(hs['p50_ms'], es['p50_ms'])} | {ratio(hs['p99_ms'], es['p99_ms'])} "
            f"| {hm['server_cpu_ms_per_delivery']} ({em['server_cpu_ms_per_delivery']}) |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="embedded,scaled")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--senders", type=int, default=16, help="concurrent send loops in the max phases")
    parser.add_argument("--max-seconds", type=float, default=15)
    parser.add_argument("--steady-seconds", type=float, default=20)
    parser.add_argument("--steady-fraction", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--probe", type=lambda s: [int(x) for x in s.split(",")], default=None)
    args = parser.parse_args(argv)
    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    if not set(profiles) <= {"embedded", "scaled"} or not 4 <= args.clients <= 20_000:
        sys.exit("--profiles is embedded and/or scaled; --clients 4..20000")
    if "embedded" in profiles and args.workers != 1:
        sys.exit("the embedded profile's in-memory channel layer needs --workers 1")
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for profile in profiles:
        print(f"[{profile}] {args.clients if not args.probe else args.probe} clients", flush=True)
        result = run_profile(profile, args)
        results.append(result)
        name = f"realtime-{profile}{'-probe' if args.probe else ''}.json"
        (OUT / name).write_text(json.dumps(result, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
