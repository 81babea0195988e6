"""Handle normalization: what a former handle or an imported contact may look like, and its keys."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput
from haven.people.models import Platform

MAX_HANDLE = 30  # Instagram's limit; TikTok's is 24, older handles may be longer
_RAW_MAX = 64  # anything longer is refused before it is looked at
_HANDLE_RE = re.compile(r"[A-Za-z0-9._]{1,30}")
PLATFORMS: tuple[str, ...] = tuple(Platform.values)


class Handle(NamedTuple):
    handle: str  # as typed, without "@"
    key: str  # casefolded: what exact matching compares
    loose: str  # key without "." and "_": likely matches ("anna.cooks" ~ "anna_cooks" ~ "annacooks")


def parse(raw: Any) -> Handle | None:
    """The handle in `raw` ("@Anna.Cooks " -> Anna.Cooks / anna.cooks / annacooks), or None if invalid."""
    if not isinstance(raw, str) or len(raw) > _RAW_MAX:
        return None
    text = raw.strip()
    if text.startswith("@"):
        text = text[1:]
    if not _HANDLE_RE.fullmatch(text):
        return None
    key = text.casefold()
    return Handle(text, key, key.replace(".", "").replace("_", ""))


def parse_or_raise(raw: Any) -> Handle:
    """Like parse(), but an invalid handle is InvalidInput `invalid_handle`."""
    handle = parse(raw)
    if handle is None:
        raise InvalidInput(
            _("A handle has 1 to 30 letters, digits, dots or underscores."),
            code="invalid_handle",
            details={"max_length": MAX_HANDLE},
        )
    return handle


def check_platform(platform: Any) -> str:
    """`platform` if Haven knows it ("tiktok", "instagram"); InvalidInput `invalid_platform` otherwise."""
    if platform not in PLATFORMS:
        raise InvalidInput(
            _("Unknown platform."), code="invalid_platform", details={"allowed": list(PLATFORMS)}
        )
    return str(platform)


def platform_label(platform: str) -> str:
    """The platform's name as shown ("TikTok")."""
    return str(dict(Platform.choices).get(platform, platform))
