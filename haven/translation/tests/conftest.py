"""Fixtures of the translation tests: tiny local models and in-process provider servers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from haven.translation.tests.tiny_model import build_tiny_model

Handler = Callable[[dict[str, Any]], tuple[int, bytes]]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("opus-mt-tiny"))


@pytest.fixture(scope="session")
def tiny_argos_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("argos-tiny"), layout="argos")


@pytest.fixture(autouse=True)
def _fresh_quota_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


class FakeServer:
    """An HTTP server on 127.0.0.1 in a thread; `handler(json_body) -> (status, body bytes)`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                server.paths.append(self.path)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                status, payload = server.handler(body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], FakeServer]]:
    servers: list[FakeServer] = []

    def start(handler: Handler) -> FakeServer:
        server = FakeServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def libretranslate_ok(body: dict[str, Any]) -> tuple[int, bytes]:
    """A well-behaved LibreTranslate: upper-cases each text and tags it with the target."""
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    out = [f"[{body['target']}] {t.upper()}" for t in texts]
    return 200, json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}).encode()


def openai_ok(body: dict[str, Any]) -> tuple[int, bytes]:
    text = body["messages"][-1]["content"]
    answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": f"EN: {text}"}}]}
    return 200, json.dumps(answer).encode()


def hang(seconds: float) -> Handler:
    def handler(body: dict[str, Any]) -> tuple[int, bytes]:
        time.sleep(seconds)
        return 200, b"{}"

    return handler


def provider(kind: str, url: str = "", **extra: Any) -> dict[str, Any]:
    """A provider configuration entry as HAVEN_TRANSLATION_PROVIDERS holds it."""
    entry: dict[str, Any] = {"id": extra.pop("id", kind), "kind": kind, "pairs": ["*"], **extra}
    if url:
        entry.update(url=url, trusted_local=extra.get("trusted_local", True))
    return entry
