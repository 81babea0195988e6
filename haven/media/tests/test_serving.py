"""haven.media.serving on local files: byte ranges, conditional requests, HEAD, chunked streaming."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from django.utils.http import http_date

from haven.core.compression import MediaAwareGZipMiddleware
from haven.media import serving
from haven.media.serving import CHUNK_BYTES, Unsatisfiable, parse_range, serve_file

DATA = bytes(range(256)) * 4  # 1024 bytes, every offset distinguishable modulo 256


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=2-5", (2, 5)),
        ("bytes=1000-", (1000, 1023)),
        ("bytes=1000-5000", (1000, 1023)),  # the end is clamped to the file
        ("bytes=-24", (1000, 1023)),
        ("bytes=-5000", (0, 1023)),  # a suffix longer than the file: all of it
        ("BYTES = 3 - 4", (3, 4)),  # the unit is case-insensitive; spaces are tolerated
        ("", None),
        ("bytes=5-2", None),  # invalid (last before first): ignored
        ("bytes=0-1,4-5", None),  # several ranges: served whole
        ("items=0-5", None),
        ("bytes=-", None),
        ("bytes=abc", None),
        ("bytes=" + "1" * 20 + "-", None),  # more digits than any size
        ("bytes=0-" + " " * 300, None),  # overlong header
    ],
)
def test_parse_range(header: str, expected: tuple[int, int] | None) -> None:
    assert parse_range(header, len(DATA)) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=1024-", 1024), ("bytes=5000-6000", 1024), ("bytes=-0", 1024)]
)
def test_parse_range_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)


def test_any_range_of_an_empty_file_is_unsatisfiable() -> None:
    for header in ("bytes=0-", "bytes=-1", "bytes=0-0"):
        with pytest.raises(Unsatisfiable):
            parse_range(header, 0)


@pytest.fixture
def stored(tmp_path: Path) -> FileSystemStorage:
    storage = FileSystemStorage(location=tmp_path)
    (tmp_path / "clip.bin").write_bytes(DATA)
    return storage


def get(storage: FileSystemStorage, method: str = "GET", name: str = "clip.bin", **headers: str):  # type: ignore[no-untyped-def]
    request = getattr(RequestFactory(), method.lower())("/media/x", headers=headers)
    return serve_file(request, storage, name, content_type="video/mp4", cache_control="private, max-age=60")


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_whole_file_with_validators(stored: FileSystemStorage) -> None:
    response = get(stored)
    assert response.status_code == 200 and body(response) == DATA
    assert response["Content-Length"] == "1024" and response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes" and response["Cache-Control"] == "private, max-age=60"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert not response.has_header("Content-Range")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=2-5", 2, 5), ("bytes=1000-", 1000, 1023), ("bytes=-10", 1014, 1023), ("bytes=0-99999", 0, 1023)],
)
def test_a_range_is_206_with_exactly_its_bytes(
    stored: FileSystemStorage, header: str, first: int, last: int
) -> None:
    response = get(stored, Range=header)
    assert response.status_code == 206
    assert body(response) == DATA[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)


def test_an_unsatisfiable_range_is_416(stored: FileSystemStorage) -> None:
    response = get(stored, Range="bytes=2000-")
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"
    assert response.content == b""


def test_several_ranges_are_served_whole(stored: FileSystemStorage) -> None:
    response = get(stored, Range="bytes=0-1,5-6")
    assert response.status_code == 200 and body(response) == DATA


def test_if_range_serves_the_range_only_for_the_current_version(stored: FileSystemStorage) -> None:
    first = get(stored)
    etag, modified = first["ETag"], first["Last-Modified"]
    body(first)
    assert get(stored, Range="bytes=0-1", **{"If-Range": etag}).status_code == 206
    assert get(stored, Range="bytes=0-1", **{"If-Range": modified}).status_code == 206
    stale = get(stored, Range="bytes=0-1", **{"If-Range": '"another-version"'})
    assert stale.status_code == 200 and body(stale) == DATA
    assert get(stored, Range="bytes=0-1", **{"If-Range": http_date(0)}).status_code == 200
    assert get(stored, Range="bytes=0-1", **{"If-Range": "W/" + etag}).status_code == 200  # weak: never


def test_conditional_get_is_304_without_a_body(stored: FileSystemStorage) -> None:
    etag = get(stored)["ETag"]
    response = get(stored, **{"If-None-Match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"] == "private, max-age=60"
    assert get(stored, **{"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_file(stored: FileSystemStorage, tmp_path: Path) -> None:
    before = get(stored)["ETag"]
    (tmp_path / "clip.bin").write_bytes(DATA + b"more")
    stamp = os.stat(tmp_path / "clip.bin").st_mtime + 5
    os.utime(tmp_path / "clip.bin", (stamp, stamp))
    assert get(stored)["ETag"] != before


def test_head_has_the_headers_and_no_body(stored: FileSystemStorage) -> None:
    whole = get(stored, "HEAD")
    assert whole.status_code == 200 and whole.content == b"" and whole["Content-Length"] == "1024"
    part = get(stored, "HEAD", Range="bytes=10-19")
    assert part.status_code == 206 and part.content == b""
    assert part["Content-Length"] == "10" and part["Content-Range"] == "bytes 10-19/1024"


def test_other_methods_are_refused(stored: FileSystemStorage) -> None:
    assert get(stored, "POST").status_code == 405


def test_a_missing_file_is_404(stored: FileSystemStorage) -> None:
    with pytest.raises(Http404):
        get(stored, name="nothing.bin")
    with pytest.raises(Http404):
        get(stored, name="nothing.bin", Range="bytes=0-1")


def test_large_files_stream_in_bounded_chunks(tmp_path: Path) -> None:
    big = os.urandom(3 * CHUNK_BYTES + 5)
    (tmp_path / "big.bin").write_bytes(big)
    storage = FileSystemStorage(location=tmp_path)
    response = get(storage, name="big.bin", Range="bytes=1-")
    chunks = list(response.streaming_content)
    assert len(chunks) == 4 and max(len(c) for c in chunks) <= CHUNK_BYTES
    assert b"".join(chunks) == big[1:]


def test_a_storage_failure_is_503_not_500(stored: FileSystemStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> int:
        raise PermissionError("disk says no")

    monkeypatch.setattr(stored, "size", broken)
    with pytest.raises(serving.StorageUnavailable) as caught:
        get(stored)
    assert caught.value.status == 503 and caught.value.code == "storage_unavailable"


def test_ranges_and_media_are_not_gzipped(stored):  # type: ignore[no-untyped-def]
    """GZip would make Content-Range and Content-Length describe bytes that are never sent."""
    request = RequestFactory().get("/media/x", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    middleware = MediaAwareGZipMiddleware(lambda r: get(stored, Range="bytes=0-99"))
    ranged = middleware(request)
    assert ranged.status_code == 206 and not ranged.has_header("Content-Encoding")
    assert body(ranged) == DATA[:100]
    whole = MediaAwareGZipMiddleware(lambda r: get(stored))(
        RequestFactory().get("/", headers={"Accept-Encoding": "gzip"})
    )
    assert not whole.has_header("Content-Encoding") and whole["Content-Length"] == "1024"


@pytest.mark.parametrize(
    ("route", "kwarg"), [("media:rendition", "image_id"), ("media:video_rendition", "video_id")]
)
@pytest.mark.parametrize("name", ["a1b2.webp", "grid 540.webp", "封面-1.jpg", "x%20y&z=1.webp", "~@:!.png"])
def test_media_paths_are_what_reverse_gives(route: str, kwarg: str, name: str) -> None:
    """Rendition URLs are filled into the route's path resolved once; each is what reverse() gives."""
    from django.urls import reverse, set_script_prefix
    from django.utils import translation

    from haven.media.selectors import _media_path

    for prefix, language in (("/", "en"), ("/haven/", "zh-hans")):
        set_script_prefix(prefix)
        try:
            with translation.override(language):
                expected = reverse(route, kwargs={kwarg: 12345, "name": name})
                assert _media_path(route, kwarg, 12345, name) == expected
        finally:
            set_script_prefix("/")
