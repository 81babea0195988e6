"""The README's run command end to end: it serves, prints the demo login every time, and stops cleanly.

Runs `./haven.sh run` for real in a temporary data folder (embedded profile only: the scaled
profile's CI run must never seed its shared PostgreSQL database), twice, and checks that stopping it
leaves no task worker or web server behind.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("HAVEN_DATABASE_URL")), reason="embedded profile only (seeds its own SQLite)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children_of(data_dir: Path) -> list[int]:
    """Pids of processes (task worker, web server) started for this data folder."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if f"HAVEN_DATA_DIR={data_dir}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


def _assert_none_left(data_dir: Path, when: str) -> None:
    """No process started for `data_dir` still runs 15 s on (any left are killed, then reported)."""
    deadline = time.monotonic() + 15
    while _children_of(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _children_of(data_dir)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running {when}: {left}"


def _clean_env() -> dict[str, str]:
    """This environment without Haven's, Django's and pytest's settings (a fresh shell's)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HAVEN_", "DJANGO_", "PYTEST_")) and k != "COV_CORE_SOURCE"
    }


def _start(command: str, env: dict[str, str], out: Any) -> subprocess.Popen[bytes]:
    """`./haven.sh <command>` in its own process group, its output into `out`."""
    return subprocess.Popen(
        ["bash", str(ROOT / "haven.sh"), command],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _status_within(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> int | None:
    """The HTTP status of `url` once it answers, polled until `seconds` pass or `proc` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except OSError:
            time.sleep(0.5)
    return None


def _stop(procs: list[subprocess.Popen[bytes]], sig: signal.Signals) -> None:
    """Send `sig` to each process, wait for each (30 s), kill the group of one that hangs."""
    for proc in procs:
        proc.send_signal(sig)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise


def _run_once(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = _clean_env()
    # No demo videos here (ffmpeg costs a minute; haven/demo/tests seed and check them).
    env.update(
        HAVEN_DATA_DIR=str(data_dir), HAVEN_PORT=str(port), HAVEN_DEMO_SIZE="small", HAVEN_DEMO_VIDEOS="0"
    )
    log = data_dir / f"run-{port}.log"
    with log.open("wb") as out:
        proc = _start("run", env, out)
        try:
            status = _status_within(f"http://127.0.0.1:{port}/", 400, proc)
            assert status == 200, log.read_text(errors="replace")[-3000:]
        finally:
            _stop([proc], signal.SIGINT)  # what Ctrl-C sends to the script
    _assert_none_left(data_dir, "after the run command stopped")
    return log.read_text(errors="replace")


def test_run_serves_prints_the_login_each_time_and_stops_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    first = _run_once(data_dir)
    assert re.search(r"demo\s*/\s*haven-demo-pass", first), first[-2000:]
    second = _run_once(data_dir)  # the same data folder: already seeded
    assert re.search(r"demo\s*/\s*haven-demo-pass", second), second[-2000:]
    assert "docs/translation.md" in first, first[-2000:]


def test_web_serves_http_under_wsgi_and_realtime_under_asgi(tmp_path: Path) -> None:
    """`./haven.sh web` (granian, WSGI: the HTTP pages and API) and `./haven.sh realtime` (uvicorn,
    ASGI: the WebSocket) both serve the same data folder, and stop on SIGTERM (docs/adr/0012)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _clean_env()
    env.update(HAVEN_DATA_DIR=str(data_dir), HAVEN_WEB_WORKERS="1", HAVEN_WEB_THREADS="2")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "prepare"],  # migrate + collectstatic
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    web, realtime = _free_port(), _free_port()
    log = data_dir / "servers.log"
    with log.open("wb") as out:
        servers = [
            _start("web", {**env, "HAVEN_PORT": str(web)}, out),
            _start("realtime", {**env, "HAVEN_REALTIME_PORT": str(realtime)}, out),
        ]
        try:
            for port, proc in zip((web, realtime), servers, strict=True):
                status = _status_within(f"http://127.0.0.1:{port}/accounts/login/", 120, proc)
                assert status == 200, log.read_text(errors="replace")[-3000:]
        finally:
            _stop(servers, signal.SIGTERM)
    _assert_none_left(data_dir, "after SIGTERM")
