"""Opaque, signed cursors for keyset pagination and bounded page sizes."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
_SALT = "haven.cursor"


def clamp_page_size(size: int | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    if size is None:
        return default
    if size < 1 or size > MAX_PAGE_SIZE:
        raise InvalidInput(
            _("The page size must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE},
            code="invalid_page_size",
        )
    return size


def invalid_cursor() -> InvalidInput:
    """The one error for a cursor that is malformed, tampered with, or from another list."""
    return InvalidInput(_("This page link is no longer valid."), code="invalid_cursor")


def _salt(scope: str) -> str:
    return f"{_SALT}:{scope}" if scope else _SALT


def encode_cursor(data: dict[str, Any], *, scope: str = "") -> str:
    """A signed cursor; `scope` names its list, and a cursor decodes only under the same scope."""
    raw = signing.dumps(data, salt=_salt(scope), compress=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, scope: str = "") -> dict[str, Any] | None:
    if not cursor:
        return None
    if len(cursor) > 2000:
        raise invalid_cursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode()).decode()
        data = signing.loads(raw, salt=_salt(scope))
    except (ValueError, signing.BadSignature, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid_cursor() from exc
    if not isinstance(data, dict):
        raise invalid_cursor()
    return data


@dataclass
class Page[T]:
    items: list[T]
    next_cursor: str | None
