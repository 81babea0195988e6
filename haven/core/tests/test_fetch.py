"""Tests of haven.core.fetch.safe_fetch against an in-process HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from haven.core import fetch
from haven.core.fetch import FetchError, address_allowed, safe_fetch


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/hello":
            self._send(
                200,
                b"hello world",
                {"Content-Type": "text/plain", "X-Seen-Auth": self.headers["Authorization"] or ""},
            )
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(302, headers={"Location": f"/redirect/{left - 1}" if left > 1 else "/hello"})
        elif path == "/big":
            self._send(200, b"x" * 5000)
        elif path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * 5000)
            self.close_connection = True
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif path == "/cross":
            self._send(302, headers={"Location": f"http://localhost:{self.server.server_address[1]}/hello"})
        elif path == "/to-metadata":
            self._send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        else:
            self._send(404, b"nope")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path == "/see-other":
            self._send(303, headers={"Location": "/hello"})
        else:
            self._send(200, b"got " + body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_get(server: str) -> None:
    result = safe_fetch(f"{server}/hello", allow_private=True)
    assert result.status == 200
    assert result.body == b"hello world"
    assert result.headers["content-type"] == "text/plain"


def test_non_2xx_is_returned(server: str) -> None:
    assert safe_fetch(f"{server}/missing", allow_private=True).status == 404


def test_post_with_body(server: str) -> None:
    result = safe_fetch(f"{server}/echo", method="POST", data=b"payload", allow_private=True)
    assert result.body == b"got payload"


def test_303_turns_post_into_get(server: str) -> None:
    assert (
        safe_fetch(f"{server}/see-other", method="POST", data=b"x", allow_private=True).body == b"hello world"
    )


def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    assert safe_fetch(f"{server}/redirect/{fetch.MAX_REDIRECTS}", allow_private=True).body == b"hello world"
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/redirect/{fetch.MAX_REDIRECTS + 1}", allow_private=True)
    assert err.value.code == "fetch_too_many_redirects"


def test_redirect_targets_are_checked_again(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first hop is allowed (pretend 127.0.0.1 is public); the redirect to the metadata address is not.
    real = fetch.address_allowed
    monkeypatch.setattr(
        fetch,
        "address_allowed",
        lambda a, allow_private=False: a == "127.0.0.1" or real(a, allow_private=False),
    )
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/to-metadata")
    assert err.value.code == "fetch_forbidden_address"


def test_body_size_is_capped(server: str) -> None:
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/big", max_bytes=1000, allow_private=True)
    assert err.value.code == "fetch_too_large"
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/big-undeclared", max_bytes=1000, allow_private=True)
    assert err.value.code == "fetch_too_large"
    assert len(safe_fetch(f"{server}/big", max_bytes=5000, allow_private=True).body) == 5000


def test_time_is_capped(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/slow", timeout=0.3, allow_private=True)
    assert err.value.code == "fetch_timeout"
    assert time.monotonic() - started < 1.4


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as err:
        safe_fetch(url, timeout=2)
    assert err.value.code == "fetch_forbidden_address"


def test_private_server_refused_without_allow_private(server: str) -> None:
    with pytest.raises(FetchError) as err:
        safe_fetch(f"{server}/hello")
    assert err.value.code == "fetch_forbidden_address"


def test_dns_answer_is_checked_at_connect_time(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public-looking name that resolves to a private address is refused (DNS rebinding)."""
    port = int(server.rsplit(":", 1)[1])
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host: str, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if host == "public.example":
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)  # type: ignore[arg-type]
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(FetchError) as err:
        safe_fetch(f"http://public.example:{port}/hello")
    assert err.value.code == "fetch_forbidden_address"


def test_peer_address_is_checked_after_connecting(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when the resolved address passes, the address actually reached is checked again."""
    port = int(server.rsplit(":", 1)[1])
    calls: list[str] = []

    def allowed_once(address: str, *, allow_private: bool = False) -> bool:
        calls.append(address)
        return len(calls) == 1  # the DNS answer passes, the connected peer does not

    monkeypatch.setattr(fetch, "address_allowed", allowed_once)
    with pytest.raises(FetchError) as err:
        safe_fetch(f"http://127.0.0.1:{port}/hello")
    assert err.value.code == "fetch_forbidden_address"
    assert calls == ["127.0.0.1", "127.0.0.1"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://x/",
        "http://",
        "http://u:p@example.com/",
        "javascript:alert(1)",
    ],
)
def test_only_plain_http_urls(url: str) -> None:
    with pytest.raises(FetchError) as err:
        safe_fetch(url)
    assert err.value.code == "fetch_invalid_url"
    assert err.value.status == 400


def test_credentials_are_dropped_on_cross_origin_redirect(server: str) -> None:
    same = safe_fetch(f"{server}/redirect/1", headers={"Authorization": "Bearer s"}, allow_private=True)
    assert same.headers["x-seen-auth"] == "Bearer s"
    other = safe_fetch(f"{server}/cross", headers={"Authorization": "Bearer s"}, allow_private=True)
    assert other.status == 200
    assert other.headers["x-seen-auth"] == ""


def test_address_allowed() -> None:
    assert address_allowed("93.184.216.34")
    assert address_allowed("2606:2800:220:1:248:1893:25c8:1946")
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "junk",
    ):
        assert not address_allowed(address), address
    assert address_allowed("10.0.0.1", allow_private=True)
