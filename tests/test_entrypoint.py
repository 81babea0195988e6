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


def _run_once(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HAVEN_", "DJANGO_", "PYTEST_")) and k != "COV_CORE_SOURCE"
    }
    # No demo videos here (ffmpeg costs a minute; haven/demo/tests seed and check them).
    env.update(
        HAVEN_DATA_DIR=str(data_dir), HAVEN_PORT=str(port), HAVEN_DEMO_SIZE="small", HAVEN_DEMO_VIDEOS="0"
    )
    log = data_dir / f"run-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", str(ROOT / "haven.sh"), "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 400
            status = None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        status = response.status
                        break
                except OSError:
                    time.sleep(0.5)
            assert status == 200, log.read_text(errors="replace")[-3000:]
        finally:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C sends to the script
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                raise
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
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HAVEN_", "DJANGO_", "PYTEST_")) and k != "COV_CORE_SOURCE"
    }
    env.update(HAVEN_DATA_DIR=str(data_dir), HAVEN_WEB_WORKERS="1", HAVEN_WEB_THREADS="2")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "prepare"],  # migrate + collectstatic
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    web, realtime = _free_port(), _free_port()
    servers = []
    log = data_dir / "servers.log"
    with log.open("wb") as out:
        for command, port_name, port in (
            ("web", "HAVEN_PORT", web),
            ("realtime", "HAVEN_REALTIME_PORT", realtime),
        ):
            servers.append(
                subprocess.Popen(
                    ["bash", str(ROOT / "haven.sh"), command],
                    cwd=ROOT,
                    env={**env, port_name: str(port)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        try:
            for port in (web, realtime):
                deadline = time.monotonic() + 120
                status = None
                while time.monotonic() < deadline and status is None:
                    try:
                        url = f"http://127.0.0.1:{port}/accounts/login/"
                        with urllib.request.urlopen(url, timeout=5) as response:
                            status = response.status
                    except OSError:
                        time.sleep(0.5)
                assert status == 200, log.read_text(errors="replace")[-3000:]
        finally:
            for proc in servers:
                proc.send_signal(signal.SIGTERM)
            for proc in servers:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    raise
    _assert_none_left(data_dir, "after SIGTERM")
