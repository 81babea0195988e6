"""JSON API endpoints of media (mounted by config.api at /api/v1/media)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from haven.core import ratelimit
from haven.core.errors import HavenError, InvalidInput
from haven.core.images import file_too_large
from haven.media import access, selectors, services
from haven.media.schemas import CaptionOut, ErrorOut, ImageOut, PosterIn, VideoOut

router = Router(tags=["media"])

#: Room for the multipart framing (boundaries, part headers) around the file itself.
MULTIPART_SLACK = 64 * 1024
#: Uploads per member per minute (processing is CPU-heavy; the pending quota bounds storage).
UPLOADS_PER_MINUTE = 30
#: Cover changes per member per minute (each extracts and re-encodes a frame).
POSTERS_PER_MINUTE = 10
#: Caption uploads per member per minute, and the bytes read of one (the parser refuses larger files).
CAPTIONS_PER_MINUTE = 30
CAPTION_READ_LIMIT = 1024 * 1024

_UPLOAD_ERRORS: dict[int, Any] = {400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut}


class _LimitedUploadHandler(FileUploadHandler):
    """Aborts a multipart upload as soon as a file passes the byte limit, before it fills the disk."""

    def __init__(self, limit: int, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise file_too_large(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def _error(exc: HavenError) -> HttpResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def _bounded_upload(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an oversized request body with a clean 413 `file_too_large` (never a 500 or a 400).

    Runs before ninja parses the request: checks Content-Length, caps the bytes the multipart parser
    accepts per file, and parses the body here so that Django's own limits map to our error codes.
    """

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.HAVEN.max_upload_bytes
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_SLACK:
            return _error(file_too_large(limit))
        try:
            request.upload_handlers.insert(0, _LimitedUploadHandler(limit, request))
            request.FILES  # noqa: B018 - parse now, under the limits above
        except HavenError as exc:
            return _error(exc)
        except RequestDataTooBig:
            return _error(file_too_large(limit))
        except (MultiPartParserError, BadRequest, SuspiciousOperation):
            return _error(InvalidInput(_("The upload could not be read."), code="bad_upload"))
        return run(request, *args, **kwargs)

    return wrapper


@router.post("/images", response={201: ImageOut, **_UPLOAD_ERRORS}, summary="Upload an image")
@decorate_view(_bounded_upload)
def upload_image(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Upload a JPEG, PNG, WebP or HEIC photo. It is validated at once; renditions follow shortly
    (poll `GET /images/{id}` until `state` is "ready" or "failed")."""
    ratelimit.hit("media_upload", str(request.auth.pk), limit=UPLOADS_PER_MINUTE, window_seconds=60)  # type: ignore[attr-defined]
    image = services.image_upload(owner=request.auth, file=file)  # type: ignore[attr-defined]
    image.refresh_from_db()  # processing may already have run (inline task backends)
    return Status(201, selectors.image_status(image))


@router.get("/images/{image_id}", response={200: ImageOut, 404: ErrorOut}, summary="Image status")
def get_image(request: HttpRequest, image_id: int) -> dict[str, Any]:
    """Your own image and its processing status; other members' images are 404."""
    image = access.owned_image_or_404(request.auth, image_id)  # type: ignore[attr-defined]
    return selectors.image_status(image)


@router.delete(
    "/images/{image_id}", response={204: None, 404: ErrorOut, 409: ErrorOut}, summary="Delete an image"
)
def delete_image(request: HttpRequest, image_id: int) -> Status[None]:
    """Delete one of your uploads; refused (409 `image_in_use`) while a note shows it."""
    services.image_delete(owner=request.auth, image_id=image_id)  # type: ignore[attr-defined]
    return Status(204, None)


# --- Videos (uploaded through the resumable upload endpoint /api/v1/media/uploads/, haven.media.tus) ----


@router.get("/videos/{video_id}", response={200: VideoOut, 404: ErrorOut}, summary="Video status")
def get_video(request: HttpRequest, video_id: int) -> dict[str, Any]:
    """Your own video and its processing status (`state`, `progress` in percent, `error`); other
    members' videos are 404. Poll it every few seconds until `state` is "ready", "failed" or "rejected"."""
    video = access.owned_video_or_404(request.auth, video_id)  # type: ignore[attr-defined]
    return selectors.video_status(video)


@router.delete(
    "/videos/{video_id}", response={204: None, 404: ErrorOut, 409: ErrorOut}, summary="Delete a video"
)
def delete_video(request: HttpRequest, video_id: int) -> Status[None]:
    """Delete one of your videos and its files; refused (409 `video_in_use`) while a note shows it."""
    services.video_delete(owner=request.auth, video_id=video_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.put(
    "/videos/{video_id}/poster",
    response={202: VideoOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Choose the cover frame",
)
def set_video_poster(request: HttpRequest, video_id: int, payload: PosterIn) -> Status[dict[str, Any]]:
    """Show the frame at `at_ms` as the video's cover (the video must be ready). Accepted at once; the
    worker takes the frame, and `poster_at_ms` and `poster_url` change when it is done (poll the status)."""
    ratelimit.hit("media_poster", str(request.auth.pk), limit=POSTERS_PER_MINUTE, window_seconds=60)  # type: ignore[attr-defined]
    video = services.video_set_poster(owner=request.auth, video_id=video_id, at_ms=payload.at_ms)  # type: ignore[attr-defined]
    video.refresh_from_db()  # inline task backends have already rendered it
    return Status(202, selectors.video_status(video))


@router.get(
    "/videos/{video_id}/captions", response={200: list[CaptionOut], 404: ErrorOut}, summary="Caption tracks"
)
def list_captions(request: HttpRequest, video_id: int) -> list[Any]:
    """The caption tracks of your video, by language."""
    video = access.owned_video_or_404(request.auth, video_id)  # type: ignore[attr-defined]
    return list(services.captions_of(video.pk))


@router.post(
    "/videos/{video_id}/captions/{language}",
    response={200: CaptionOut, **_UPLOAD_ERRORS, 404: ErrorOut, 409: ErrorOut},
    summary="Add or replace a caption track",
)
@decorate_view(_bounded_upload)
def put_captions(request: HttpRequest, video_id: int, language: str, file: File[UploadedFile]) -> Any:
    """Upload a WebVTT or SRT file as the captions of your video in `language` (BCP 47, e.g. "en",
    "zh-Hans"). It is validated and sanitised (plain text cues); a track in that language is replaced."""
    ratelimit.hit("media_captions", str(request.auth.pk), limit=CAPTIONS_PER_MINUTE, window_seconds=60)  # type: ignore[attr-defined]
    data = file.read(CAPTION_READ_LIMIT + 1)
    return services.caption_set(
        owner=request.auth,  # type: ignore[attr-defined]
        video_id=video_id,
        language=language,
        data=data,
        filename=file.name or "",
    )


@router.delete(
    "/videos/{video_id}/captions/{language}",
    response={204: None, 400: ErrorOut, 404: ErrorOut},
    summary="Delete a caption track",
)
def delete_captions(request: HttpRequest, video_id: int, language: str) -> Status[None]:
    services.caption_delete(owner=request.auth, video_id=video_id, language=language)  # type: ignore[attr-defined]
    return Status(204, None)
