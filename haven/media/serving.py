"""Serving a stored media file over HTTP: GET/HEAD, single byte ranges (seeking), ETag and 304s.

`serve_file` answers from any Django storage in chunks, never holding a whole file in memory:
- an S3 storage (django-storages' S3Storage, haven.media.regions) is read with one HEAD for the
  object's size, ETag and date, then a ranged GET whose body is streamed (a plain GET without Range
  or preconditions is one GET; a HEAD, a 304 or a 416 reads no body);
- any other storage (FileSystemStorage) is opened and seeked.

Ranges (RFC 9110 section 14): one range, `bytes=a-b`, `bytes=a-` or `bytes=-n`, is answered 206 with
Content-Range; a range that starts past the end (or `bytes=-0`, or any range of an empty file) is 416
with `Content-Range: bytes */<size>`; a malformed header, another unit or several ranges are ignored
(200 with the whole file), as the RFC allows. `If-Range` is honoured: the range is served only when
it carries the current ETag (strong comparison) or the exact Last-Modified date; otherwise the whole
file. `If-None-Match` / `If-Modified-Since` answer 304 and `If-Match` / `If-Unmodified-Since` 412
(django.utils.cache.get_conditional_response).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.core.files.storage import Storage, default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from haven.core.errors import ServiceUnavailable

#: Bytes read from the storage (and handed to the server) at a time.
CHUNK_BYTES = 64 * 1024
#: The longest Range / If-Range header looked at; longer ones are ignored (served whole).
MAX_HEADER_CHARS = 200

#: Avatars are written once under a random name (accounts.services.avatar_set): browsers keep them a day.
AVATAR_MAX_AGE = 86_400
_AVATAR_NAME = re.compile(r"avatars/\d{1,19}/[A-Za-z0-9_-]{1,64}\.webp")
_PRECONDITIONS = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since")
_RANGE = re.compile(r"\s*bytes\s*=\s*(\d{0,19})\s*-\s*(\d{0,19})\s*", re.IGNORECASE)


class StorageUnavailable(ServiceUnavailable):
    code = "storage_unavailable"


@dataclass(frozen=True)
class _Meta:
    size: int
    etag: str  # quoted, strong; "" when the storage offers none
    modified: datetime | None


class Unsatisfiable(Exception):
    """The Range header is well formed but selects no byte of the file (416)."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of the one range `header` asks for, clamped to `size`; None to serve the whole
    file (no header, malformed, another unit, several ranges). Raises Unsatisfiable for a 416."""
    if not header or len(header) > MAX_HEADER_CHARS:
        return None
    match = _RANGE.fullmatch(header)
    if match is None:  # several ranges, another unit or bad syntax: the RFC lets us ignore it
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # bytes=-n: the last n bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None  # invalid range-spec: ignored
    if first >= size:
        raise Unsatisfiable
    return first, min(last, size - 1)


def _if_range_matches(request: HttpRequest, meta: _Meta) -> bool:
    """Whether a Range may be honoured under the request's If-Range (true when there is none)."""
    value = request.headers.get("If-Range", "").strip()
    if not value:
        return True
    if len(value) > MAX_HEADER_CHARS:
        return False
    if value.startswith(('"', "W/")):
        return bool(meta.etag) and not value.startswith("W/") and value == meta.etag
    when = parse_http_date_safe(value)
    return when is not None and meta.modified is not None and int(meta.modified.timestamp()) == when


def _conditional(request: HttpRequest) -> bool:
    """Whether the request carries a precondition (answered from the object's metadata alone)."""
    return any(name in request.headers for name in _PRECONDITIONS)


# --- Storages ---------------------------------------------------------------------------------------


def _s3_target(storage: Storage) -> tuple[Any, str] | None:
    """(S3 client, bucket) when `storage` is django-storages' S3Storage, else None."""
    try:
        from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]
    except ImportError:  # django-storages[s3] missing: no S3 storage can exist either
        return None
    if not isinstance(storage, S3Storage):
        return None
    return storage.connection.meta.client, storage.bucket_name


def _s3_key(storage: Any, name: str) -> str:
    from storages.utils import clean_name  # type: ignore[import-untyped]

    return str(storage._normalize_name(clean_name(name)))


def _s3_error(exc: Exception) -> Exception:
    """Http404 for a missing object (or key), StorageUnavailable for anything else."""
    response = getattr(exc, "response", None) or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = str(response.get("Error", {}).get("Code", ""))
    if status == 404 or code in {"404", "NoSuchKey", "NotFound"}:
        return Http404()
    return StorageUnavailable(_("Media storage is not available right now."))


def _s3_meta(head: dict[str, Any]) -> _Meta:
    etag = str(head.get("ETag") or "")
    modified = head.get("LastModified")
    return _Meta(
        size=int(head.get("ContentLength") or 0),
        etag=etag if etag.startswith('"') else (f'"{etag}"' if etag else ""),
        modified=modified if isinstance(modified, datetime) else None,
    )


def _s3_stream(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()


def _file_stream(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _file_meta(storage: Storage, name: str) -> _Meta:
    try:
        size = storage.size(name)
        try:
            modified: datetime | None = storage.get_modified_time(name)
        except NotImplementedError:
            modified = None
    except (FileNotFoundError, NotADirectoryError):
        raise Http404 from None
    except OSError as exc:
        raise StorageUnavailable(_("Media storage is not available right now.")) from exc
    stamp = int(modified.timestamp() * 1_000_000) if modified else 0
    # Renditions are written once under random names, so size and date identify the bytes.
    return _Meta(size=size, etag=f'"{stamp:x}-{size:x}"' if modified else "", modified=modified)


# --- The response -----------------------------------------------------------------------------------


def serve_file(
    request: HttpRequest, storage: Storage, name: str, *, content_type: str, cache_control: str
) -> HttpResponseBase:
    """GET or HEAD of the file `name` in `storage`, with single-range support (see the module's
    docstring). Http404 when the file is missing; StorageUnavailable (503) when the storage fails.
    The caller has already decided that the requester may see the file.
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    s3 = _s3_target(storage)
    header = request.headers.get("Range", "")
    body: Any = None
    if s3 is not None:
        client, bucket = s3
        key = _s3_key(storage, name)
        try:
            if request.method == "GET" and not header and not _conditional(request):  # one request
                answer = client.get_object(Bucket=bucket, Key=key)
                body = answer["Body"]
                meta = _s3_meta(answer)
            else:
                meta = _s3_meta(client.head_object(Bucket=bucket, Key=key))
        except Exception as exc:
            raise _s3_error(exc) from exc
    else:
        meta = _file_meta(storage, name)

    try:
        response = _respond(request, storage, name, meta, header, body, content_type)
    except BaseException:
        if body is not None:
            body.close()
        raise
    if meta.etag:
        response["ETag"] = meta.etag
    if meta.modified is not None:
        response["Last-Modified"] = http_date(meta.modified.astimezone(UTC).timestamp())
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache_control
    return response


def _respond(
    request: HttpRequest,
    storage: Storage,
    name: str,
    meta: _Meta,
    header: str,
    body: Any,
    content_type: str,
) -> HttpResponseBase:
    last_modified = int(meta.modified.timestamp()) if meta.modified is not None else None
    conditional = get_conditional_response(request, etag=meta.etag or None, last_modified=last_modified)
    if conditional is not None:  # 304 Not Modified or 412 Precondition Failed
        if body is not None:
            body.close()
        return conditional
    try:
        selected = parse_range(header, meta.size) if _if_range_matches(request, meta) else None
    except Unsatisfiable:
        if body is not None:
            body.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{meta.size}"
        return refused
    first, last = selected if selected is not None else (0, meta.size - 1)
    length = max(0, last - first + 1)
    status = 206 if selected is not None else 200
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        stream = _open_stream(storage, name, first, length, meta, body)
        response = StreamingHttpResponse(stream, status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    if selected is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{meta.size}"
    return response


def _open_stream(
    storage: Storage, name: str, first: int, length: int, meta: _Meta, body: Any
) -> Iterator[bytes]:
    """The chunks of bytes first..first+length-1 of the file."""
    s3 = _s3_target(storage)
    if s3 is not None:
        if body is not None and first == 0 and length == meta.size:
            return _s3_stream(body)
        if body is not None:
            body.close()
        if length == 0:
            return iter(())
        client, bucket = s3
        try:
            answer = client.get_object(
                Bucket=bucket,
                Key=_s3_key(storage, name),
                Range=f"bytes={first}-{first + length - 1}",
            )
        except Exception as exc:
            raise _s3_error(exc) from exc
        return _s3_stream(answer["Body"])
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, NotADirectoryError):
        raise Http404 from None
    except OSError as exc:
        raise StorageUnavailable(_("Media storage is not available right now.")) from exc
    return _file_stream(handle, first, length)


@require_safe
def serve_avatar(request: HttpRequest, name: str) -> HttpResponseBase:
    """/media/avatars/...: a member's avatar (public, like the profile it shows on) from the default
    storage, mounted by config/urls.py when HAVEN_STORAGE_URL is set (the folder is served directly
    otherwise)."""
    if not _AVATAR_NAME.fullmatch(name):
        raise Http404
    response = serve_file(
        request,
        default_storage,
        name,
        content_type="image/webp",
        cache_control=f"public, max-age={AVATAR_MAX_AGE}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
