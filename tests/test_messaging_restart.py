"""Fault test: the server is killed (SIGKILL) mid-conversation and restarted; nothing is lost or doubled.

A real server (`uvicorn config.asgi:application`) runs as a subprocess on the test database (SQLite
file embedded; PostgreSQL + the Redis channel layer when HAVEN_DATABASE_URL / HAVEN_REDIS_URL are
set). Two members connect WebSocket clients with API tokens (subprotocol `haven.bearer.<token>`),
talk over the HTTP API in a direct conversation and a group, and record every event they receive
live. The server is killed while one side keeps sending: sends fail while it is down and are retried
with the same Idempotency-Key. After the restart the clients reconnect, fetch the gap through
`GET /api/v1/dm/events?after=<last id>`, and each must hold every sent message exactly once, in seq
order; retried sends created no duplicates. Waits are bounded; nothing is timed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from haven.accounts.tests.factories import UserFactory, token_for
from haven.messaging import services
from haven.messaging.models import Message
from haven.notes.tests.factories import follow

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
#: Generous bounds on waits (a loaded 2-core CI box); none of them is asserted as a duration.
START_TIMEOUT = 120.0
EVENT_TIMEOUT = 60.0
HTTP_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _test_database_url() -> str:
    """A HAVEN_DATABASE_URL naming the database this test runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # The options the embedded profile uses (config.settings), through dj-database-url's query.
        return f"sqlite:///{db['NAME']}?timeout=20&transaction_mode=IMMEDIATE"
    assert db["ENGINE"].endswith("postgresql"), db["ENGINE"]
    auth = urllib.parse.quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class Server:
    """uvicorn serving config.asgi on the test database; killed with SIGKILL, started again."""

    def __init__(self, log_dir: Path) -> None:
        self.port = _free_port()
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "DJANGO_")) and k != "COV_CORE_SOURCE"
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            HAVEN_DATABASE_URL=_test_database_url(),
            HAVEN_ALLOWED_HOSTS="127.0.0.1,localhost",
            HAVEN_DEBUG="0",
            HAVEN_PRODUCTION="0",
            HAVEN_DB_POOL_SIZE="2",
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return "".join(
            p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("server-*.log"))
        )

    def start(self, probe_token: str) -> None:
        self.starts += 1
        out = (self.log_dir / f"server-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the server exited:\n{self.log()}"
            try:
                status, _body = api("GET", self.base, "/api/v1/dm/unread", probe_token, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the server did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()


def api(
    method: str,
    base: str,
    path: str,
    token: str,
    body: Any = None,
    key: str | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> tuple[int, Any]:
    """One API request; returns (status, JSON body). Connection failures raise OSError."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key is not None:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Member:
    """One member's view: a WebSocket client that records what arrives live, and the gap it fetches."""

    def __init__(self, name: str, token: str) -> None:
        self.name = name
        self.token = token
        self.events: dict[int, dict[str, Any]] = {}  # event id -> event, live or fetched
        self.live_ids: list[list[int]] = []  # per connection, the event ids in arrival order
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.arrived = asyncio.Event()

    @property
    def last_id(self) -> int:
        return max(self.events, default=0)

    def _keep(self, event: dict[str, Any]) -> None:
        known = self.events.get(event["id"])
        if known is not None:  # the same event again (live and fetched): it must be the same
            assert (known["conversation_id"], known["seq"], known["type"]) == (
                event["conversation_id"],
                event["seq"],
                event["type"],
            ), (known, event)
            return
        self.events[event["id"]] = event

    async def connect(self, base: str) -> None:
        import websockets

        uri = base.replace("http://", "ws://") + "/ws/"
        self.ws = await websockets.connect(
            uri, subprotocols=[f"haven.bearer.{self.token}", "haven"], open_timeout=EVENT_TIMEOUT
        )
        assert self.ws.subprotocol == "haven"
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), EVENT_TIMEOUT))
        assert hello["type"] == "hello" and hello["user"] == self.name, hello
        ids: list[int] = []
        self.live_ids.append(ids)
        self.reader = asyncio.create_task(self._read(self.ws, ids))

    async def _read(self, ws: Any, ids: list[int]) -> None:
        import websockets

        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "event":
                    ids.append(frame["event"]["id"])
                    self._keep(frame["event"])
                    self.arrived.set()
        except websockets.ConnectionClosed:
            pass

    async def wait_closed(self) -> None:
        assert self.reader is not None
        await asyncio.wait_for(self.reader, EVENT_TIMEOUT)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.wait_for(self.reader, EVENT_TIMEOUT)

    async def fetch_gap(self, base: str, after: int) -> int:
        """Everything after event `after`, page by page; returns how many events came back."""
        count = 0
        while True:
            status, page = await asyncio.to_thread(
                api, "GET", base, f"/api/v1/dm/events?after={after}&limit=50", self.token
            )
            assert status == 200, page
            for event in page["items"]:
                self._keep(event)
            count += len(page["items"])
            after = page["last_id"]
            if not page["has_more"]:
                return count

    def message_seqs(self, conversation_id: int) -> set[int]:
        return {
            e["seq"]
            for e in self.events.values()
            if e["type"] == "message" and e["conversation_id"] == conversation_id
        }

    async def wait_for(self, wanted: dict[int, int]) -> None:
        """Until a message event up to seq `wanted[conversation]` has arrived for each conversation."""
        deadline = time.monotonic() + EVENT_TIMEOUT
        while True:
            missing = {c: s for c, s in wanted.items() if max(self.message_seqs(c), default=0) < s}
            if not missing:
                return
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{self.name} is still waiting for {missing}"
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), min(remaining, 1.0))


class Sent:
    """Every message a member meant to send: (conversation, Idempotency-Key, body) -> the stored seq."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.failures = 0  # attempts that failed (server down) and were retried
        self.replays = 0  # answers 200: a retry found the message stored under its key
        self.lock = threading.Lock()

    def send(
        self, base: str, token: str, conversation_id: int, key: str, body: str, deadline: float
    ) -> dict[str, Any]:
        """Send until the server answers, retrying with the same key; returns the stored message."""
        while True:
            try:
                status, message = api(
                    "POST",
                    base,
                    f"/api/v1/dm/conversations/{conversation_id}/messages",
                    token,
                    {"body": body},
                    key,
                )
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.failures += 1
                assert time.monotonic() < deadline, f"could not send {key} before the deadline"
                time.sleep(0.2)
                continue
            assert status in (200, 201), (status, message)
            assert message["body"] == body and message["conversation_id"] == conversation_id
            with self.lock:
                self.replays += status == 200
                self.rows.append(
                    {"conversation_id": conversation_id, "key": key, "body": body, "seq": message["seq"]}
                )
            return message


def test_server_killed_mid_conversation_loses_and_doubles_nothing(tmp_path: Path) -> None:
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    carol = UserFactory(username="carol")
    for a, b in ((alice, bob), (bob, alice), (carol, alice), (carol, bob)):
        follow(a, b)
    direct = services.direct_open(sender=alice, recipient=bob)
    group = services.group_create(creator=alice, title="Restart", members=[bob, carol])
    tokens = {u.username: token_for(u, "restart")[1] for u in (alice, bob)}
    server = Server(tmp_path)
    sent = Sent()
    try:
        # A fresh thread owns its event loop: an earlier test (Playwright's sync API) may have left
        # one running in this thread, where asyncio.run() refuses to start.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _scenario(server, sent, tokens, direct.pk, group.pk)).result()
    finally:
        server.stop()

    # Retried sends created no duplicates: one stored message per Idempotency-Key, each key sent once.
    keys = [r["key"] for r in sent.rows]
    assert len(keys) == len(set(keys))
    stored = list(Message.objects.filter(conversation_id__in=[direct.pk, group.pk]).exclude(client_id=None))
    assert Counter(m.client_id for m in stored) == Counter(keys)
    assert sorted((m.conversation_id, m.seq) for m in stored) == sorted(
        (r["conversation_id"], r["seq"]) for r in sent.rows
    )


async def _scenario(server: Server, sent: Sent, tokens: dict[str, str], direct: int, group: int) -> None:
    server.start(tokens["alice"])
    base = server.base
    alice, bob = Member("alice", tokens["alice"]), Member("bob", tokens["bob"])
    members = (alice, bob)
    for m in members:
        await m.connect(base)
    deadline = time.monotonic() + 600

    def send(who: str, conversation: int, n: int) -> dict[str, Any]:
        key = f"{who}-{conversation}-{n}"
        return sent.send(base, tokens[who], conversation, key, f"{who} says {n} in {conversation}", deadline)

    # 1. A conversation with both online: every message arrives live at both sides.
    for n in range(6):
        for who in ("alice", "bob"):
            await asyncio.to_thread(send, who, direct if n % 2 == 0 else group, n)
    upto = _last_seqs(sent)
    for m in members:
        await m.wait_for(upto)
    before_kill = {m.name: m.last_id for m in members}

    # 2. A message stored just before the kill: its sender retries after the restart (as if the
    #    answer had been lost) with the same key and must get the same message back, not a second one.
    early = await asyncio.to_thread(send, "bob", direct, 100)

    # 3. Alice keeps sending in a thread; the server is killed once a few of her sends went through,
    #    and restarted once some of her sends have failed (she retries each with its key).
    stop_after = 24
    progress = threading.Event()

    def alice_keeps_sending() -> None:
        for n in range(200, 200 + stop_after):
            send("alice", direct if n % 3 else group, n)
            if n == 203:
                progress.set()

    sender = asyncio.create_task(asyncio.to_thread(alice_keeps_sending))
    assert await asyncio.to_thread(progress.wait, EVENT_TIMEOUT), "alice's first sends did not go through"
    server.kill()
    for m in members:
        await m.wait_closed()  # both clients see the connection drop
    failures_before = sent.failures
    while sent.failures == failures_before:  # bounded by alice's send deadline
        assert not sender.done(), "alice finished sending before the server went down"
        await asyncio.sleep(0.1)
    server.start(tokens["bob"])
    # Alice's sends go through again; let two land while nobody is connected, so there is a gap.
    landed = len(sent.rows)
    while len(sent.rows) < landed + 2:
        assert not sender.done(), "alice finished sending before the restart"
        await asyncio.sleep(0.1)

    # 4. Reconnect first, then fetch what was missed: an event published in between arrives both
    #    ways and is kept once (same event id).
    for m in members:
        after = m.last_id
        await m.connect(base)
        assert await m.fetch_gap(base, after) >= 2, f"{m.name} found no gap to fetch"
    await asyncio.wait_for(sender, 600)
    replays_before = sent.replays
    again = await asyncio.to_thread(send, "bob", direct, 100)
    assert sent.replays == replays_before + 1 and again["id"] == early["id"] and again["seq"] == early["seq"]
    sent.rows.pop()  # the replayed send is the same message, not a new one

    # 5. Live delivery works after the restart too; then both sides hold everything.
    await asyncio.to_thread(send, "bob", group, 300)
    await asyncio.to_thread(send, "alice", direct, 300)
    upto = _last_seqs(sent)
    for m in members:
        await m.wait_for(upto)
        await m.close()
    assert sent.failures > 0, "no send failed while the server was down"

    for m in members:
        for ids in m.live_ids:  # the server never relays one event twice on a connection
            assert len(ids) == len(set(ids)), f"{m.name} got an event twice live: {ids}"
        for conversation in (direct, group):
            expected = sorted(r["seq"] for r in sent.rows if r["conversation_id"] == conversation)
            messages = sorted(
                (
                    e
                    for e in m.events.values()
                    if e["type"] == "message" and e["conversation_id"] == conversation
                ),
                key=lambda e: e["id"],
            )
            seqs = [e["seq"] for e in messages]
            # Zero lost, zero duplicated, in seq order: event order is seq order, one event per message.
            assert seqs == expected, f"{m.name} in {conversation}: got {seqs}, sent {expected}"
            assert expected == list(range(expected[0], expected[-1] + 1)), "another message came between"
            bodies = Counter(e["message"]["body"] for e in messages)
            wanted = Counter(r["body"] for r in sent.rows if r["conversation_id"] == conversation)
            assert bodies == wanted, (
                f"{m.name} in {conversation}: {bodies - wanted} extra, {wanted - bodies} lost"
            )
        assert m.last_id > before_kill[m.name]


def _last_seqs(sent: Sent) -> dict[int, int]:
    out: dict[int, int] = {}
    for r in sent.rows:
        out[r["conversation_id"]] = max(out.get(r["conversation_id"], 0), r["seq"])
    return out
