"""Input at the boundary: characters that never belong in text, and ids parsed in one place."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput

#: The largest id a client may send: the 64-bit signed range of the database's id columns.
MAX_ID = 2**63 - 1

#: Control characters (NUL above all) and lone surrogates; tab, line feed and carriage return stay
#: allowed in text, since multi-line fields need them.
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: In a URL path every control character is refused.
_BAD_IN_PATH = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def invalid_characters() -> InvalidInput:
    """The one error for text carrying NUL, other control characters, or broken Unicode."""
    return InvalidInput(
        _("The request contains characters that are not allowed (such as NUL or control characters)."),
        code="invalid_characters",
    )


def has_bad_text(value: str) -> bool:
    return _BAD_IN_TEXT.search(value) is not None


def has_bad_path(value: str) -> bool:
    return _BAD_IN_PATH.search(value) is not None


def has_bad_json(value: Any, depth: int = 0) -> bool:
    """Whether a decoded JSON value holds a bad string anywhere (keys included)."""
    if isinstance(value, str):
        return has_bad_text(value)
    if depth > 64:
        return False  # json.loads caps nesting anyway; deeper data is refused by the schemas
    if isinstance(value, dict):
        return any(has_bad_text(k) or has_bad_json(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(has_bad_json(v, depth + 1) for v in value)
    return False


def invalid_id() -> InvalidInput:
    return InvalidInput(_("That is not a valid id."), code="invalid_id")


def parse_id(value: Any) -> int:
    """A client-sent id (str or int) as an int in 1..MAX_ID; anything else is 400 `invalid_id`."""
    if isinstance(value, bool):
        raise invalid_id()
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            raise invalid_id()
        number = int(text)
    if not 1 <= number <= MAX_ID:
        raise invalid_id()
    return number


def parse_ids(values: Iterable[Any], *, max_items: int) -> list[int]:
    """Client-sent ids, in order and without duplicates; more than `max_items` is `invalid_id`."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)
        if number not in ids:
            ids.append(number)
        if len(ids) > max_items:
            raise InvalidInput(_("Too many ids."), code="too_many_ids")
    return ids
