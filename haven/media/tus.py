"""Resumable video uploads: the tus 1.0.0 protocol (core, creation, termination, expiration).

Mounted by config.urls at /api/v1/media/uploads/ (POST creates, OPTIONS describes) and
/api/v1/media/uploads/<uuid> (HEAD, PATCH, DELETE). Plain Django views, because tus needs HEAD,
PATCH and OPTIONS with its own headers; authentication is the JSON API's (a bearer token, or the
session with Django's CSRF check on unsafe methods), errors are the API's `{code, message}` shape.

The bytes collect in a private local file, `DATA_DIR/uploads/<uuid>.part` (never served, never
under MEDIA_ROOT). One PATCH at a time may write it: it claims a lease on the row by compare-and-set
(offset unchanged, no live lease), truncates whatever a broken earlier write left past the stored
offset, streams the body in, renews the lease while it runs and moves the offset by compare-and-set
on its lease token. When the offset reaches the length, the file becomes a MediaVideo through
`services.video_from_file` and the video's id is sent back in the `Haven-Video-Id` header.

Bounds: the declared length is at most `video_max_mb`; at most MAX_OPEN_UPLOADS open uploads and
CREATES_PER_HOUR creations per member; an upload expires UPLOAD_LIFETIME after creation and
`uploads_cleanup` (a periodic job) deletes it with its file.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import time
import unicodedata
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from haven.accounts.auth import authenticate_request
from haven.accounts.models import User
from haven.core import ratelimit
from haven.core.errors import (
    Conflict,
    HavenError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
    TooLarge,
    UnsupportedMedia,
)
from haven.media import services
from haven.media.models import MediaUpload

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
VIDEO_ID_HEADER = "Haven-Video-Id"

#: Open (unexpired) uploads a member may hold at once.
MAX_OPEN_UPLOADS = 5
#: Upload creations per member per hour.
CREATES_PER_HOUR = 30
#: An upload not finished this long after its creation is deleted with its bytes.
UPLOAD_LIFETIME = timedelta(hours=24)
#: How long a PATCH holds its write lease without renewing it (renewed every third of it).
WRITE_LEASE = timedelta(minutes=5)
#: Bytes read from the request body per step.
READ_CHUNK = 256 * 1024
#: Bounds of the Upload-Metadata header.
METADATA_MAX_CHARS = 4096
METADATA_MAX_PAIRS = 16
FILENAME_MAX_CHARS = 255
CONTENT_TYPE_MAX_CHARS = 100
#: Content types a client may declare (the file itself is sniffed on completion).
DECLARABLE_TYPES = re.compile(r"video/[a-z0-9][a-z0-9.+-]{0,80}|application/octet-stream")

_METADATA_KEY = re.compile(r"[A-Za-z0-9._-]{1,64}")
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_DIGITS = re.compile(r"[0-9]{1,20}")
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class Readable(Protocol):
    """A request body: HttpRequest, or any binary stream."""

    def read(self, size: int = -1, /) -> bytes: ...


__all__ = [
    "upload_append",
    "upload_create",
    "upload_terminate",
    "upload_view",
    "uploads_cleanup",
    "uploads_view",
]


# ---------------------------------------------------------------------------------------------
# Errors with the statuses tus clients act on


def _version_mismatch() -> HavenError:
    return HavenError(
        _("This endpoint speaks tus %(version)s; send the Tus-Resumable header.") % {"version": TUS_VERSION},
        code="tus_version_unsupported",
        status=412,
    )


def _gone(code: str, **details: Any) -> HavenError:
    return HavenError(
        _("This upload has expired or failed; start a new one."), code=code, status=410, details=details
    )


def _locked() -> HavenError:
    return HavenError(
        _("Another request is writing to this upload; try again in a moment."),
        code="upload_locked",
        status=423,
    )


def _offset_mismatch(stored: int) -> Conflict:
    return Conflict(
        _("The upload offset does not match; ask for the current offset and resume from there."),
        code="upload_offset_mismatch",
        details={"offset": stored},
    )


def _past_length(length: int) -> TooLarge:
    return TooLarge(
        _("The data goes past the declared length of the upload."),
        code="upload_exceeds_length",
        details={"length": length},
    )


# ---------------------------------------------------------------------------------------------
# Files


def uploads_dir() -> Path:
    """The private folder of partial uploads (never served)."""
    return Path(settings.DATA_DIR) / "uploads"


def partial_file(upload: MediaUpload) -> Path:
    """The partial file of `upload` (its name is checked: only `<uuid>.part` directly in uploads_dir)."""
    name = upload.partial_path
    if name != f"{upload.id}.part":
        raise _gone("upload_failed")
    return uploads_dir() / name


def video_max_bytes() -> int:
    return int(settings.HAVEN.video_max_mb) * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Writes


def parse_metadata(header: str) -> dict[str, str]:
    """The Upload-Metadata pairs `key base64(value)` (value optional), decoded as UTF-8 text.

    Raises InvalidInput `invalid_upload_metadata` for a header that is too long, has too many or
    duplicate pairs, a bad key, bad base64 or text that is not UTF-8.
    """
    invalid = InvalidInput(_("The Upload-Metadata header could not be read."), code="invalid_upload_metadata")
    header = header.strip()
    if not header:
        return {}
    if len(header) > METADATA_MAX_CHARS:
        raise invalid
    pairs = header.split(",")
    if len(pairs) > METADATA_MAX_PAIRS:
        raise invalid
    result: dict[str, str] = {}
    for pair in pairs:
        parts = pair.strip().split(" ")
        if len(parts) > 2 or not _METADATA_KEY.fullmatch(parts[0]) or parts[0] in result:
            raise invalid
        try:
            value = base64.b64decode(parts[1], validate=True).decode("utf-8") if len(parts) == 2 else ""
        except (binascii.Error, ValueError):
            raise invalid from None
        result[parts[0]] = value
    return result


def clean_filename(name: str) -> str:
    """The last path component of `name`, normalised, without control or direction characters, bounded."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("", name).strip().lstrip(".")
    return name[:FILENAME_MAX_CHARS]


def clean_content_type(value: str) -> str:
    """The declared type without parameters, lower case; "" where it is not a well-formed type.

    Raises UnsupportedMedia `upload_not_video` for a well-formed type that is not a video.
    """
    value = value.split(";", 1)[0].strip().lower()[:CONTENT_TYPE_MAX_CHARS]
    if not _MIME.fullmatch(value):
        return ""
    if not DECLARABLE_TYPES.fullmatch(value):
        raise UnsupportedMedia(_("Only video files can be uploaded here."), code="upload_not_video")
    return value


def upload_create(
    *, owner: User, length: int, filename: str = "", content_type: str = "", now: datetime | None = None
) -> MediaUpload:
    """Open a resumable upload of `length` bytes for `owner`, with an empty private partial file."""
    now = now or timezone.now()
    if length < 1:
        raise InvalidInput(_("An empty file cannot be uploaded."), code="upload_empty")
    limit = video_max_bytes()
    if length > limit:
        raise TooLarge(
            _("The video is too large (at most %(size)d MB).") % {"size": limit // (1024 * 1024)},
            code="upload_too_large",
            details={"max_bytes": limit},
        )
    ratelimit.hit("tus-create", str(owner.pk), limit=CREATES_PER_HOUR, window_seconds=3600)
    services.video_upload_check(owner=owner)  # the pending-video quota, before any byte is sent
    open_count = MediaUpload.objects.filter(
        owner=owner, state=MediaUpload.State.OPEN, expires_at__gt=now
    ).count()
    if open_count >= MAX_OPEN_UPLOADS:
        raise RateLimited(
            _("You have too many uploads in progress. Finish or cancel one first."),
            code="too_many_open_uploads",
            details={"limit": MAX_OPEN_UPLOADS},
        )
    upload_id = uuid.uuid4()
    folder = uploads_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{upload_id}.part"
    os.close(os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        return MediaUpload.objects.create(
            id=upload_id,
            owner=owner,
            length=length,
            filename=clean_filename(filename),
            content_type=content_type[:CONTENT_TYPE_MAX_CHARS],
            partial_path=name,
            expires_at=now + UPLOAD_LIFETIME,
        )
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise


def _claim(upload: MediaUpload, *, offset: int) -> str:
    """Take the write lease of `upload` at `offset`; its token, or Conflict / 423 when that fails."""
    token = secrets.token_hex(16)
    now = timezone.now()
    claimed = (
        MediaUpload.objects.filter(pk=upload.pk, state=MediaUpload.State.OPEN, offset=offset)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(lock_token=token, locked_until=now + WRITE_LEASE, updated_at=now)
    )
    if claimed:
        return token
    current = MediaUpload.objects.filter(pk=upload.pk).values_list("state", "offset").first()
    if current is None:
        raise NotFound()
    if current[0] != MediaUpload.State.OPEN:
        raise _gone("upload_failed")
    if current[1] != offset:
        raise _offset_mismatch(current[1])
    raise _locked()


def _renew(upload: MediaUpload, token: str) -> bool:
    now = timezone.now()
    return bool(
        MediaUpload.objects.filter(pk=upload.pk, lock_token=token).update(locked_until=now + WRITE_LEASE)
    )


def _release(upload: MediaUpload, token: str, **updates: Any) -> bool:
    return bool(
        MediaUpload.objects.filter(pk=upload.pk, lock_token=token).update(
            lock_token="", locked_until=None, updated_at=timezone.now(), **updates
        )
    )


def upload_append(
    *, upload: MediaUpload, offset: int, body: Readable, declared_length: int | None = None
) -> MediaUpload:
    """Append `body` to `upload` at `offset` (which must be its stored offset); finish it at its length.

    A body that stops early (the client went away) keeps what arrived: the offset moves by the bytes
    written, so the client resumes from there. A body that would go past the upload's length is
    refused whole (413) and the offset stays. Returns the upload as stored afterwards.
    """
    if upload.state == MediaUpload.State.COMPLETE:
        if offset != upload.length:
            raise _offset_mismatch(upload.length)
        if declared_length:
            raise _past_length(upload.length)
        return upload
    if offset != upload.offset:
        raise _offset_mismatch(upload.offset)
    remaining = upload.length - offset
    if declared_length is not None and declared_length > remaining:
        raise _past_length(upload.length)
    path = partial_file(upload)
    token = _claim(upload, offset=offset)
    try:
        written = _write(upload, token, path, offset=offset, remaining=remaining, body=body)
    except BaseException:
        _release(upload, token)
        raise
    if offset + written < upload.length:
        if not _release(upload, token, offset=offset + written):
            raise _locked()  # the lease was taken over (this request stalled past it)
        upload.offset = offset + written
        return upload
    if not MediaUpload.objects.filter(pk=upload.pk, lock_token=token).update(offset=upload.length):
        raise _locked()
    upload.offset = upload.length
    return _complete(upload, token, path)


def _write(
    upload: MediaUpload, token: str, path: Path, *, offset: int, remaining: int, body: Readable
) -> int:
    """Stream `body` into `path` at `offset` under the lease `token`; the number of bytes written."""
    renew_every = WRITE_LEASE.total_seconds() / 3
    written = 0
    try:
        fh = path.open("r+b")
    except FileNotFoundError:
        raise _gone("upload_failed") from None
    with fh:
        fh.seek(offset)
        fh.truncate()  # bytes past the stored offset are from a write that never committed
        renewed = time.monotonic()
        while True:
            try:
                data = body.read(min(READ_CHUNK, remaining - written + 1))
            except (OSError, UnreadablePostError):
                break  # the client went away: keep what arrived
            if not data:
                break
            if written + len(data) > remaining:
                fh.truncate(offset)
                raise _past_length(upload.length)
            if time.monotonic() - renewed > renew_every:
                if not _renew(upload, token):
                    raise _locked()
                renewed = time.monotonic()
            fh.write(data)
            written += len(data)
        fh.flush()
        os.fsync(fh.fileno())
    return written


def _complete(upload: MediaUpload, token: str, path: Path) -> MediaUpload:
    """Hand the finished file to `services.video_from_file` (which consumes it) and record the outcome."""
    try:
        video = services.video_from_file(owner=upload.owner, path=path, filename=upload.filename)
    except HavenError as exc:
        path.unlink(missing_ok=True)
        _release(upload, token, state=MediaUpload.State.FAILED, error_code=exc.code[:40], partial_path="")
        upload.state, upload.error_code = MediaUpload.State.FAILED, exc.code[:40]
        raise
    except BaseException:
        if not path.exists():  # consumed without a verdict: nothing left to retry with
            _release(upload, token, state=MediaUpload.State.FAILED, error_code="upload_lost", partial_path="")
        else:
            _release(upload, token)  # an empty PATCH at the full offset retries the completion
        raise
    _release(upload, token, state=MediaUpload.State.COMPLETE, video=video, partial_path="")
    upload.state, upload.video, upload.partial_path = MediaUpload.State.COMPLETE, video, ""
    return upload


def upload_terminate(*, upload: MediaUpload) -> None:
    """Delete `upload` and its partial file (tus termination); a finished upload's video stays."""
    name = upload.partial_path
    MediaUpload.objects.filter(pk=upload.pk).delete()
    if name == f"{upload.id}.part":
        (uploads_dir() / name).unlink(missing_ok=True)


def uploads_cleanup(now: datetime | None = None) -> int:
    """Delete expired uploads with their partial files, and partial files no upload owns any more
    (older than UPLOAD_LIFETIME). Returns the number of uploads deleted. Idempotent."""
    now = now or timezone.now()
    deleted = 0
    expired = MediaUpload.objects.filter(expires_at__lte=now)
    for upload in expired.only("id", "partial_path", "expires_at").iterator(chunk_size=500):
        if MediaUpload.objects.filter(pk=upload.pk, expires_at__lte=now).delete()[0]:
            deleted += 1
        if upload.partial_path == f"{upload.id}.part":
            (uploads_dir() / upload.partial_path).unlink(missing_ok=True)
    folder = uploads_dir()
    if folder.is_dir():
        cutoff = (now - UPLOAD_LIFETIME).timestamp()
        for entry in os.scandir(folder):
            stem = entry.name.removesuffix(".part")
            try:
                upload_id = uuid.UUID(stem)
            except ValueError:
                continue  # not ours
            if (
                entry.is_file()
                and entry.stat().st_mtime < cutoff
                and not MediaUpload.objects.filter(pk=upload_id).exists()
            ):
                Path(entry.path).unlink(missing_ok=True)
    return deleted


# ---------------------------------------------------------------------------------------------
# The protocol


def _respond(status: int, **headers: str) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(request: HttpRequest, exc: HavenError) -> HttpResponse:
    if request.method == "HEAD":
        response = HttpResponse(status=exc.status)
    else:
        response = JsonResponse(exc.as_dict(), status=exc.status)
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    if exc.status == 412:
        response["Tus-Version"] = TUS_VERSION
    if exc.code == "rate_limited" and "retry_after_seconds" in exc.details:
        response["Retry-After"] = str(exc.details["retry_after_seconds"])
    return response


def _options() -> HttpResponse:
    return _respond(
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension=TUS_EXTENSIONS,
        Tus_Max_Size=str(video_max_bytes()),
        Allow="OPTIONS, POST, HEAD, PATCH, DELETE",
    )


def _not_allowed(allowed: str) -> HavenError:
    return HavenError(
        _("This method is not allowed here."),
        code="method_not_allowed",
        status=405,
        details={"allow": allowed},
    )


def _member(request: HttpRequest) -> User:
    """The member making a tus request (checked like the JSON API's ApiAuth); 412/401/403 otherwise."""
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise _version_mismatch()
    user = authenticate_request(request)  # raises Forbidden `csrf_failed` for a session without CSRF
    if user is None:
        raise NotAuthenticated(_("Sign in to upload."))
    return user


def _int_header(request: HttpRequest, name: str) -> int:
    value = request.headers.get(name, "").strip()
    if not _DIGITS.fullmatch(value):
        raise InvalidInput(
            _("The %(header)s header must be a non-negative integer.") % {"header": name},
            code="invalid_upload_header",
            details={"header": name},
        )
    return int(value)


def _expires(upload: MediaUpload) -> str:
    return http_date(upload.expires_at.timestamp())


def _status_headers(upload: MediaUpload) -> dict[str, str]:
    headers = {"Upload_Offset": str(upload.offset), "Upload_Length": str(upload.length)}
    if upload.state == MediaUpload.State.OPEN:
        headers["Upload_Expires"] = _expires(upload)
    elif upload.video_id is not None:
        headers["Haven_Video_Id"] = str(upload.video_id)
    return headers


def _own_upload(owner: User, upload_id: uuid.UUID, *, usable: bool = True) -> MediaUpload:
    """The member's upload (someone else's looks missing); 410 when it expired or failed and `usable`."""
    upload = MediaUpload.objects.filter(pk=upload_id, owner=owner).first()
    if upload is None:
        raise NotFound(_("This upload does not exist."), code="upload_not_found")
    if not usable:
        return upload
    if upload.state == MediaUpload.State.FAILED:
        raise _gone("upload_failed", error_code=upload.error_code)
    if upload.state == MediaUpload.State.OPEN and upload.expires_at <= timezone.now():
        raise _gone("upload_expired")
    return upload


@csrf_exempt  # CSRF is checked for session requests by authenticate_request (as in the JSON API)
def uploads_view(request: HttpRequest) -> HttpResponse:
    """/api/v1/media/uploads/: OPTIONS (what the server supports), POST (create an upload)."""
    try:
        if request.method == "OPTIONS":
            return _options()
        if request.method != "POST":
            raise _not_allowed("OPTIONS, POST")
        owner = _member(request)
        if "Upload-Length" not in request.headers:
            raise InvalidInput(_("Send the Upload-Length header."), code="upload_length_required")
        length = _int_header(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = upload_create(
            owner=owner,
            length=length,
            filename=metadata.get("filename", "") or metadata.get("name", ""),
            content_type=clean_content_type(metadata.get("filetype", "")),
        )
    except HavenError as exc:
        return _error(request, exc)
    location = reverse("media-upload", kwargs={"upload_id": upload.id})
    return _respond(201, Location=location, Upload_Expires=_expires(upload), Upload_Offset="0")


@csrf_exempt  # CSRF is checked for session requests by authenticate_request (as in the JSON API)
def upload_view(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """/api/v1/media/uploads/<uuid>: HEAD (offset), PATCH (append), DELETE (terminate), OPTIONS."""
    try:
        if request.method == "OPTIONS":
            return _options()
        if request.method not in {"HEAD", "PATCH", "DELETE"}:
            raise _not_allowed("OPTIONS, HEAD, PATCH, DELETE")
        owner = _member(request)
        if request.method == "DELETE":  # expired and failed uploads too
            upload_terminate(upload=_own_upload(owner, upload_id, usable=False))
            return _respond(204)
        upload = _own_upload(owner, upload_id)
        if request.method == "HEAD":
            return _respond(200, **_status_headers(upload))
        if request.content_type != OFFSET_CONTENT_TYPE:
            raise UnsupportedMedia(
                _("Send the data as %(type)s.") % {"type": OFFSET_CONTENT_TYPE},
                code="upload_bad_content_type",
            )
        offset = _int_header(request, "Upload-Offset")
        declared = _int_header(request, "Content-Length") if request.headers.get("Content-Length") else None
        upload = upload_append(upload=upload, offset=offset, body=request, declared_length=declared)
    except HavenError as exc:
        return _error(request, exc)
    return _respond(204, **_status_headers(upload))
