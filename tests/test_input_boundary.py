"""Input at the boundary: NUL and control characters, ids, JSON bodies, sizes and cursors (issue 7)."""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.test import Client

from haven.accounts.tests.factories import UserFactory, bearer, token_for
from haven.core.errors import InvalidInput
from haven.core.input import MAX_ID, parse_id, parse_ids
from haven.core.middleware import InputGuardMiddleware
from haven.core.pagination import decode_cursor, encode_cursor
from haven.engagement.tests.factories import CollectionFactory
from haven.notes.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> Any:
    return UserFactory(username="demo")


@pytest.fixture
def auth(member: Any) -> dict[str, Any]:
    _token, raw = token_for(member)
    return bearer(raw)


def _code(response: Any) -> str:
    return str(response.json()["code"])


# ----------------------------------------------------------------------------------------------
# NUL and control characters: 400 `invalid_characters`, never a 500


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/graph/users/de%00mo",
        "/api/v1/feeds/users/de%00mo/notes",
        "/api/v1/engagement/users/de%00mo/collections",
        "/api/v1/feeds/topics/fo%00od",
        "/api/v1/feeds/discover?cursor=a%00b",
        "/api/v1/translation/aids/pinyin?text=%E4%B8%AD%00",
        "/api/v1/graph/users/de%01mo",
    ],
)
def test_api_paths_and_queries_with_control_characters_are_refused(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert _code(response) == "invalid_characters"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/accounts/token", {"username_or_email": "de\u0000mo", "password": "x"}),
        ("/api/v1/accounts/token", {"username_or_email": "demo", "password": "x\u0000"}),
        ("/api/v1/translation/aids/vocabulary", {"word": "中\u0000"}),
        ("/api/v1/notes", {"title": "t", "body": "line\u0007bell", "image_ids": [1]}),
        ("/api/v1/notes", {"title": "t", "body": "ok", "image_ids": [1], "extra": {"k\u0000": 1}}),
    ],
)
def test_json_strings_with_nul_are_refused(
    client: Client, auth: dict[str, Any], path: str, body: Any
) -> None:
    response = client.post(path, json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 400
    assert _code(response) == "invalid_characters"


def test_multi_line_text_keeps_tabs_and_newlines(client: Client, auth: dict[str, Any]) -> None:
    response = client.post(
        "/api/v1/translation/aids/vocabulary",
        json.dumps({"word": "中文", "context": "one\ttwo\r\nthree"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201


def test_html_pages_refuse_nul_with_a_400_page(client: Client, member: Any) -> None:
    response = client.get("/@de%00mo/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    client.force_login(member)
    response = client.post("/notes/new/", {"title": "a\x00b", "body": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# ----------------------------------------------------------------------------------------------
# Ids parsed in one place


def test_parse_id_bounds_ids_to_the_signed_64_bit_range() -> None:
    assert parse_id("42") == 42
    assert parse_id(MAX_ID) == MAX_ID
    for junk in ("0", "-1", "9223372036854775808", "1e3", "٣", "", " ", True, 2**63):
        with pytest.raises(InvalidInput) as caught:
            parse_id(junk)
        assert caught.value.code == "invalid_id"
    assert parse_ids(["3", "1", "3"], max_items=5) == [3, 1]


@pytest.mark.parametrize("edit", [False, True])
def test_huge_image_ids_in_the_composer_are_a_4xx(client: Client, member: Any, edit: bool) -> None:
    client.force_login(member)
    url = f"/notes/{NoteFactory(author=member).pk}/edit/" if edit else "/notes/new/"
    response = client.post(url, {"title": "t", "body": "b", "image_ids": ["9223372036854775808"]})
    assert 400 <= response.status_code < 500


# ----------------------------------------------------------------------------------------------
# JSON bodies: objects only, bounded size


@pytest.mark.parametrize("body", ["[null,null]", '"x"', "42", "null"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "/api/v1/accounts/me"),
        ("post", "/api/v1/notifications/read"),
        ("patch", "/api/v1/engagement/collections/{collection}"),
        ("put", "/api/v1/engagement/notes/{note}/save"),
    ],
)
def test_non_object_json_bodies_are_refused(
    client: Client, member: Any, auth: dict[str, Any], method: str, path: str, body: str
) -> None:
    url = path.format(collection=CollectionFactory(owner=member).pk, note=NoteFactory().pk)
    response = getattr(client, method)(url, body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert _code(response) == "invalid_body"


def test_an_oversized_json_body_gets_a_json_413(client: Client, auth: dict[str, Any], settings: Any) -> None:
    body = json.dumps({"display_name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = client.patch("/api/v1/accounts/me", body, content_type="application/json", **auth)
    assert response.status_code == 413
    assert _code(response) == "request_too_large"


def _asgi_request(body: bytes, content_type: str) -> ASGIRequest:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/media/images",
        "query_string": b"",
        "headers": [(b"content-type", content_type.encode()), (b"transfer-encoding", b"chunked")],
    }
    return ASGIRequest(scope, BytesIO(body))


def test_a_chunked_body_without_content_length_is_measured(settings: Any) -> None:
    guard = InputGuardMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]
    big = _asgi_request(
        b"x" * (settings.HAVEN.max_upload_bytes + 70 * 1024), "multipart/form-data; boundary=b"
    )
    response = guard(big)
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "request_too_large"
    small = _asgi_request(b"--b--\r\n", "multipart/form-data; boundary=b")
    assert guard(small) is None
    assert small.META["CONTENT_LENGTH"] == "7"


# ----------------------------------------------------------------------------------------------
# Cursors belong to their list


def test_a_cursor_from_another_list_is_refused() -> None:
    cursor = encode_cursor({"t": "2026-01-01T00:00:00+00:00", "i": 1}, scope="graph.followers")
    assert decode_cursor(cursor, scope="graph.followers") == {"t": "2026-01-01T00:00:00+00:00", "i": 1}
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(cursor, scope="notifications")
    assert caught.value.code == "invalid_cursor"


def test_notifications_refuse_a_cursor_from_another_list(client: Client, auth: dict[str, Any]) -> None:
    cursor = encode_cursor({"t": "2026-01-01T00:00:00+00:00", "i": 1})
    response = client.get(f"/api/v1/notifications?cursor={cursor}", **auth)
    assert response.status_code == 400
    assert _code(response) == "invalid_cursor"


def test_engagement_pages_treat_odd_digits_as_no_id(client: Client, member: Any) -> None:
    client.force_login(member)
    note = NoteFactory()
    response = client.post(f"/engagement/notes/{note.pk}/save/", {"collection_id": "²"})
    assert response.status_code < 500
    response = client.post("/engagement/collections/new/", {"name": "Board", "save_note": "²"})
    assert response.status_code < 500
