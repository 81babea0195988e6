"""Checks and clean-up of single values from an export: dates, links, handles, hashtags, text, JSON."""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from haven.imports.parsing import errors

# Hosts whose links are kept (the host itself or a subdomain of it). Everything else is dropped.
TIKTOK_HOSTS = ("tiktok.com", "tiktokv.com", "tiktokv.us", "tiktokv.eu", "tiktokcdn.com", "tiktokcdn-us.com")
INSTAGRAM_HOSTS = ("instagram.com", "cdninstagram.com", "fbcdn.net")

PLACEHOLDERS = frozenset({"", "n/a", "none", "null", "nil", "undefined", "-", "0", "-1"})
MAX_LINK_CHARS = 2048
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


@functools.lru_cache(maxsize=4096)
def key(name: str) -> str:
    """Keys compared loosely: case, spaces, underscores and hyphens do not matter (renamed keys)."""
    return name.translate(_LOOSE).casefold()


_LOOSE = str.maketrans("", "", " \t\n_-")


def pick(obj: Any, *names: str) -> Any:
    """The value of the first of `names` present in `obj` (loosely compared), or None."""
    if not isinstance(obj, Mapping):
        return None
    if names and (value := obj.get(names[0])) is not None:
        return value  # the usual case, without building the loose map
    loose = {key(k): v for k, v in obj.items() if isinstance(k, str) and v is not None}
    for name in names:
        value = loose.get(key(name))
        if value is not None:
            return value
    return None


def is_placeholder(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in PLACEHOLDERS
    if isinstance(value, list | dict):
        return not value
    return False


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: Any, limit: int) -> tuple[str, bool]:
    """A text value without control characters and bidi overrides, and whether it was cut at `limit`."""
    if not isinstance(value, str):
        return "", False
    text = _CONTROL.sub("", value.replace("\r\n", "\n")).strip()
    if len(text) > limit:
        return text[:limit], True
    return text, False


def text_or_none(value: Any, limit: int) -> str | None:
    if is_placeholder(value) or not isinstance(value, str):
        return None
    return clean_text(value, limit)[0] or None


def fix_meta_text(value: str) -> str:
    """Undo Meta's escaped UTF-8: each byte written as its own \\u00XX (\\u00e9\\u0098\\u00b3 for 阳).

    Only a string made entirely of code points below 256 can be such bytes; if they do not decode as
    UTF-8 the string was genuine Latin-1 text and is kept as it is."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


_ZONE_NAME = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_OFFSET = re.compile(r"(?<=\d)\s*([+-])(\d{2}):?(\d{2})$")
_FALLBACK_FORMATS = ("%d-%b-%Y", "%d-%b-%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%b %d, %Y %I:%M %p")


class BadValue(ValueError):
    """A value present but unusable (reported, never fatal)."""


def parse_date(value: Any) -> datetime | None:
    """An aware UTC datetime; None for the exports' placeholders; BadValue for anything else odd.

    Understands "YYYY-MM-DD HH:MM:SS" (UTC, no zone), a trailing " UTC" or " +0000 UTC", ISO 8601
    with "T", "Z" or an offset, Unix seconds or milliseconds (numbers or digit strings), and
    "DD-Mon-YYYY"."""
    if isinstance(value, bool):
        raise BadValue("boolean date")
    if is_placeholder(value):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str) or len(value) > 64:
        raise BadValue("not a date")
    text = value.strip()
    if len(text) == 19 and text[10] == " " and text[4] == "-":  # the usual "YYYY-MM-DD HH:MM:SS", UTC
        try:
            return _in_range(datetime.fromisoformat(text).replace(tzinfo=UTC))
        except ValueError:
            pass
    if re.fullmatch(r"\d{9,14}(\.\d+)?", text):
        return _from_epoch(float(text))
    text = _ZONE_NAME.sub("", text).strip()
    zone = UTC
    match = _OFFSET.search(text)
    if match:
        minutes = int(match.group(2)) * 60 + int(match.group(3))
        if minutes >= 24 * 60:
            raise BadValue("bad offset")
        zone = timezone(timedelta(minutes=-minutes if match.group(1) == "-" else minutes))
        text = text[: match.start()].strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _FALLBACK_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)  # made aware just below
                break
            except ValueError:
                continue
    if parsed is None:
        raise BadValue("unknown date format")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return _in_range(parsed.astimezone(UTC))


def _from_epoch(number: float) -> datetime | None:
    if number <= 0:
        return None
    if number > 1e11:  # milliseconds (Instagram messages, some tools)
        number /= 1000
    try:
        return _in_range(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError) as exc:
        raise BadValue("epoch out of range") from exc


def _in_range(moment: datetime) -> datetime:
    if not _EARLIEST <= moment < _LATEST:
        raise BadValue("date out of range")
    return moment


def check_link(value: Any, hosts: Iterable[str], *, https_only: bool = False) -> str:
    """The link itself when it is http(s) to one of `hosts` (or a subdomain); BadValue otherwise.

    Refused: other schemes (javascript:, data:, file:...), credentials in the URL, IP addresses and
    other hosts (internal names included), ports other than 80/443, whitespace, control characters
    and backslashes (parsers disagree about them), and links longer than 2,048 characters."""
    if not isinstance(value, str):
        raise BadValue("not a link")
    link = value.strip()
    if not link or len(link) > MAX_LINK_CHARS or not link.isascii():
        raise BadValue("bad link")
    if re.search(r"[\s\x00-\x1f\x7f\\]", link):
        raise BadValue("bad link characters")
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError as exc:
        raise BadValue("unparsable link") from exc
    allowed_schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme.lower() not in allowed_schemes:
        raise BadValue("scheme")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise BadValue("credentials")
    if port not in (None, 80, 443):
        raise BadValue("port")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise BadValue("no host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise BadValue("address")
    if not any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
        raise BadValue("host")
    return link


_HANDLE = re.compile(r"[A-Za-z0-9._]{1,64}")


def check_handle(value: Any) -> str:
    """A TikTok/Instagram username: letters, digits, dots and underscores, at most 64; "@" dropped."""
    if not isinstance(value, str):
        raise BadValue("not a handle")
    handle = value.strip().removeprefix("@")
    if not _HANDLE.fullmatch(handle):
        raise BadValue("bad handle")
    return handle


_HASHTAG = re.compile(r"#(\w+)")
MAX_HASHTAG_CHARS = 100


def hashtags(text: str) -> list[str]:
    """'#' then word characters, casefolded, first use first, without repeats; all-digit tokens
    ('attempt #3') are not tags; '#a#b' is two tags; an emoji ends a tag."""
    seen: dict[str, None] = {}
    for match in _HASHTAG.finditer(text):
        tag = match.group(1).casefold()
        if tag.isdigit() or len(tag) > MAX_HASHTAG_CHARS:
            continue
        seen.setdefault(tag, None)
    return list(seen)


_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str, limit: int) -> int:
    """The deepest nesting of arrays and objects, counting stops as soon as `limit` is passed."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def load_json(data: bytes, *, max_depth: int) -> Any:
    """Parse one bounded JSON file; its nesting is measured before the (recursive) parser runs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.ImportFailed(errors.CORRUPT, details={"reason": "encoding"}) from exc
    if json_depth(text, max_depth) > max_depth:
        raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_json_depth"})
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise errors.ImportFailed(errors.CORRUPT, details={"reason": "json"}) from exc
