"""The API's orjson renderer writes the values ninja's json.dumps + NinjaJSONEncoder wrote."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils.translation import gettext_lazy, override
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from config.api import api
from haven.core.renderers import OrjsonRenderer, dumps


class Colour(models.TextChoices):
    RED = "red", "Red"


class Item(Schema):
    name: str
    at: datetime


def ninja_json(data: Any) -> str:
    return json.dumps(data, cls=NinjaJSONEncoder)


VALUES: list[Any] = [
    datetime(2026, 12, 6, 15, 52, 15, 192345, tzinfo=UTC),
    datetime(2026, 12, 6, 15, 52, 15, tzinfo=UTC),
    datetime(2026, 12, 6, 15, 52, 15, 5, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 12, 6, 15, 52, 15, 999999),  # naive
    date(2026, 12, 6),
    time(7, 5, 3, 120000),
    timedelta(days=1, seconds=5),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    Decimal("12.50"),
    Decimal("1E+3"),
    gettext_lazy("Note not found."),
    Colour.RED,
    '小红书 café \u2028 \x00 "quoted" \\ </script>',
    "",
    0,
    -(2**63) + 1,
    2**63 - 1,
    1.5,
    0.1,
    1e-05,
    1e16,
    True,
    None,
    [1, "a", None],
    {"nested": {"list": [{"a": 1}], "when": datetime(2020, 1, 1, tzinfo=UTC)}},
    {1: "int key", "s": 2},
    Item(name="x", at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_same_json_value_as_ninjas_encoder(value: Any) -> None:
    assert json.loads(dumps(value)) == json.loads(ninja_json(value))
    wrapped = {"v": value, "list": [value]}
    assert json.loads(dumps(wrapped)) == json.loads(ninja_json(wrapped))


def test_datetimes_keep_djangos_format() -> None:
    at = datetime(2026, 12, 6, 15, 52, 15, 192345, tzinfo=UTC)
    assert dumps(at) == b'"2026-12-06T15:52:15.192Z"'
    assert dumps({"d": date(2026, 1, 2)}) == b'{"d":"2026-01-02"}'


def test_lazy_strings_render_in_the_active_language() -> None:
    with override("zh-hans"):
        expected = ninja_json([gettext_lazy("Note not found.")])
        assert json.loads(dumps([gettext_lazy("Note not found.")])) == json.loads(expected)


def test_compact_utf8() -> None:
    assert dumps({"a": [1, 2], "t": "小红书"}) == '{"a":[1,2],"t":"小红书"}'.encode()


def test_nan_becomes_null() -> None:
    assert dumps([float("nan"), float("inf")]) == b"[null,null]"


def test_unknown_types_still_fail() -> None:
    with pytest.raises(TypeError):
        dumps(object())


@pytest.mark.django_db
def test_the_api_renders_with_orjson(client: Client) -> None:
    assert isinstance(api.renderer, OrjsonRenderer)
    response = client.get("/api/v1/notes/1")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.startswith(b'{"code":"not_found"')
