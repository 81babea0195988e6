"""safe_fetch(): the only outbound HTTP in Haven, refusing private addresses, with time and size caps."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from haven.core.errors import HavenError

__all__ = ["FetchError", "FetchResult", "address_allowed", "safe_fetch"]

MAX_REDIRECTS = 3
USER_AGENT = "Haven/1 (+https://github.com/haven; safe_fetch)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
#: Headers that must not follow a redirect to another origin.
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


class FetchError(HavenError):
    """An outbound request that was refused or failed. Codes: fetch_invalid_url, fetch_forbidden_address,
    fetch_too_large, fetch_timeout, fetch_too_many_redirects, fetch_failed."""

    status = 502
    code = "fetch_failed"


@dataclass(frozen=True)
class FetchResult:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


def address_allowed(address: str, *, allow_private: bool = False) -> bool:
    """True when `address` (an IP literal) is a public unicast address, or any address with allow_private."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if allow_private:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo is not None:
            return False
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_unspecified
        and not ip.is_private
    )


def safe_fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    timeout: float = 10,
    max_bytes: int = 2_000_000,
    allow_private: bool = False,
) -> FetchResult:
    """Fetch `url` (http/https only), following at most MAX_REDIRECTS redirects, each checked again.

    The peer address is checked when the socket connects (no second DNS lookup can slip a private
    address in); `timeout` caps the whole exchange and `max_bytes` the body. Raises FetchError.
    Non-2xx answers are returned, not raised; the caller decides.
    """
    deadline = time.monotonic() + timeout
    method = method.upper()
    sent_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
    for _hop in range(MAX_REDIRECTS + 1):
        parts = _parse(url)
        status, response_headers, body = _request(
            parts,
            method,
            sent_headers,
            data,
            deadline=deadline,
            max_bytes=max_bytes,
            allow_private=allow_private,
        )
        location = response_headers.get("location")
        if status not in _REDIRECTS or not location:
            return FetchResult(status=status, headers=response_headers, body=body)
        next_url = urljoin(url, location)
        if status == 303 or (status in {301, 302} and method not in {"GET", "HEAD"}):
            method, data = "GET", None
        if _origin(next_url) != _origin(url):
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
        url = next_url
    raise FetchError(_("Too many redirects."), code="fetch_too_many_redirects")


def _parse(url: str) -> Any:
    if len(url) > 2048:
        raise FetchError(_("The address is too long."), code="fetch_invalid_url", status=400)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(_("The address is not valid."), code="fetch_invalid_url", status=400) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(
            _("Only http and https addresses can be fetched."), code="fetch_invalid_url", status=400
        )
    if parts.username or parts.password:
        raise FetchError(
            _("Addresses with credentials are not fetched."), code="fetch_invalid_url", status=400
        )
    if port == 0:
        raise FetchError(_("The address is not valid."), code="fetch_invalid_url", status=400)
    return parts


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(_("The other server took too long to answer."), code="fetch_timeout")
    return left


def _connector(*, allow_private: bool, deadline: float) -> Any:
    """A replacement for socket.create_connection that connects only to allowed peer addresses."""

    def connect(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
        host, port = address
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            raise FetchError(_("The host name could not be resolved."), code="fetch_failed") from None
        candidates = [info for info in infos if address_allowed(str(info[4][0]), allow_private=allow_private)]
        if not candidates:
            raise FetchError(_("This address is not allowed."), code="fetch_forbidden_address", status=400)
        last_error: OSError | None = None
        for family, socktype, proto, _canon, sockaddr in candidates:
            sock = socket.socket(family, socktype, proto)
            try:
                sock.settimeout(_remaining(deadline))
                sock.connect(sockaddr)
                peer = sock.getpeername()[0]
                if not address_allowed(str(peer), allow_private=allow_private):  # what we really reached
                    raise FetchError(
                        _("This address is not allowed."), code="fetch_forbidden_address", status=400
                    )
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
            except BaseException:
                sock.close()
                raise
        if isinstance(last_error, TimeoutError):
            raise FetchError(_("The other server took too long to answer."), code="fetch_timeout")
        raise FetchError(_("Could not connect to the other server."), code="fetch_failed")

    return connect


def _request(
    parts: Any,
    method: str,
    headers: Mapping[str, str],
    data: bytes | None,
    *,
    deadline: float,
    max_bytes: int,
    allow_private: bool,
) -> tuple[int, dict[str, str], bytes]:
    timeout = _remaining(deadline)
    conn: http.client.HTTPConnection
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    conn._create_connection = _connector(allow_private=allow_private, deadline=deadline)  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        conn.request(method, path, body=data, headers=dict(headers))
        if conn.sock is not None:
            conn.sock.settimeout(_remaining(deadline))
        response = conn.getresponse()
        response_headers = {k.lower(): v[:8192] for k, v in list(response.getheaders())[:200]}
        declared = response_headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(_("The answer is too large."), code="fetch_too_large")
        chunks: list[bytes] = []
        size = 0
        while method != "HEAD":
            if conn.sock is not None:
                conn.sock.settimeout(_remaining(deadline))
            chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_("The answer is too large."), code="fetch_too_large")
            chunks.append(chunk)
        return response.status, response_headers, b"".join(chunks)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(_("The other server took too long to answer."), code="fetch_timeout") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(
            _("The request failed."), code="fetch_failed", details={"reason": type(exc).__name__}
        ) from None
    finally:
        conn.close()
