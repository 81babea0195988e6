"""The API's JSON renderer: orjson, with the values of ninja's default encoder (NinjaJSONEncoder).

Every value comes out as ninja's json.dumps + NinjaJSONEncoder wrote it, only compact and in UTF-8
rather than with ", "/": " separators and \\uXXXX escapes (the same JSON to any parser):
datetimes, dates and times through Django's encoder (milliseconds, "Z" for UTC), UUIDs, Decimals and
lazy translation strings as strings, pydantic models through model_dump(), enums of str as their
value, integer dict keys as strings. NaN and infinities, which json.dumps writes as invalid JSON,
become null. haven/core/tests/test_renderers.py compares the two encoders value by value.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

# Datetimes go through `default` (Django's format: milliseconds, "Z"); dict keys may be ints.
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_encoder = NinjaJSONEncoder()


def _default(value: Any) -> Any:
    """What NinjaJSONEncoder makes of a value orjson does not take as it is (raises TypeError else)."""
    return _encoder.default(value)


def dumps(data: Any) -> bytes:
    """`data` as compact UTF-8 JSON, with the values NinjaJSONEncoder gives."""
    return orjson.dumps(data, default=_default, option=OPTIONS)


class OrjsonRenderer(BaseRenderer):
    """ninja renderer (NinjaAPI(renderer=...)): same media type and charset as ninja's JSONRenderer."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return dumps(data)
