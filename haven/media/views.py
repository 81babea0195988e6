"""Routes of media outside the API: renditions, served through the app after an access check."""

from __future__ import annotations

import posixpath
import time
from typing import Literal

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from haven.core.input import MAX_ID
from haven.media import access, regions, serving
from haven.media.models import MediaImage, MediaVideo
from haven.media.states import READY

#: How long browsers and shared caches may keep a rendition of a note anyone may see. Short enough
#: that a note turned non-public drops out of caches within the hour (its URL already 404s here).
PUBLIC_MAX_AGE = 3600
CONTENT_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def _small_int(value: str | None, *, digits: int = 19) -> int | None:
    if not value or len(value) > digits or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _admission(request: HttpRequest, image: MediaImage, name: str) -> Literal["public", "signed"] | None:
    """ "public": a stable URL of an image that a note anyone may see shows; "signed": a signed URL,
    valid now; None: neither (a tampered, expired or revoked URL, or a stable URL of a non-public image).
    """
    provider = access.audience_provider()
    signature = request.GET.get("s")
    if signature is None:
        return "public" if provider is not None and provider.is_public_image(image.pk) else None
    note_id = _small_int(request.GET.get("n"))
    expires = _small_int(request.GET.get("e"), digits=12)
    if note_id is None or expires is None or len(signature) > 100:
        return None
    if note_id == 0:
        key = access.own_key(image)
    else:
        note_key = provider.key_now(image.pk, note_id) if provider is not None else None
        if note_key is None:
            return None
        key = note_key
    valid = access.signature_valid(
        image_id=image.pk, name=name, note_id=note_id, key=key, expires=expires, signature=signature
    )
    return "signed" if valid else None


@require_safe
def rendition(request: HttpRequest, image_id: int, name: str) -> HttpResponseBase:
    """One rendition file, if the URL admits the caller (docs/adr/0004-media-access.md); else 404.

    A stable URL works while a note anyone may see shows the image; a signed URL works until it
    expires and while the note's access state is the one it was minted for. Missing and forbidden
    look the same. Served by `serving.serve_file` (Range, ETag) from the image's region storage.
    """
    if image_id > MAX_ID:
        raise Http404
    image = (
        MediaImage.objects.filter(pk=image_id, state=READY)
        .only("pk", "owner_id", "storage_region", "grid_path", "detail_path")
        .first()
    )
    paths = [p for p in (image.grid_path, image.detail_path) if p] if image else []
    path = next((p for p in paths if posixpath.basename(p) == name), None)
    if image is None or path is None:
        raise Http404
    admission = _admission(request, image, name)
    if admission is None:
        raise Http404
    try:  # from the storage of the region the image was written to (haven.media.regions)
        storage = regions.storages_for(image.storage_region).renditions
    except regions.RegionUnavailable:
        raise Http404 from None
    if admission == "signed":
        expires = int(request.GET["e"])
        cache_control = f"private, max-age={max(0, expires - int(time.time()))}"
    else:
        cache_control = f"public, max-age={PUBLIC_MAX_AGE}"
    extension = posixpath.splitext(name)[1].lower()
    response = serving.serve_file(
        request,
        storage,
        path,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        cache_control=cache_control,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


VIDEO_CONTENT_TYPES = {".mp4": "video/mp4", ".webp": "image/webp"}


def _video_admission(
    request: HttpRequest, video: MediaVideo, name: str
) -> Literal["public", "signed"] | None:
    """_admission for a video's files: stable URLs while a note anyone may see shows the video,
    signed URLs bound to the note's access state (or to the owner, outside a note) otherwise."""
    provider = access.audience_provider()
    signature = request.GET.get("s")
    if signature is None:
        public = (
            provider is not None
            and provider.is_public_video is not None
            and provider.is_public_video(video.pk)
        )
        return "public" if public else None
    note_id = _small_int(request.GET.get("n"))
    expires = _small_int(request.GET.get("e"), digits=12)
    if note_id is None or expires is None or len(signature) > 100:
        return None
    if note_id == 0:
        key = access.own_key(video)
    else:
        note_key = (
            provider.video_key_now(video.pk, note_id)
            if provider is not None and provider.video_key_now is not None
            else None
        )
        if note_key is None:
            return None
        key = note_key
    valid = access.signature_valid(
        image_id=access.video_signed_id(video.pk),
        name=name,
        note_id=note_id,
        key=key,
        expires=expires,
        signature=signature,
    )
    return "signed" if valid else None


@require_safe
def video_rendition(request: HttpRequest, video_id: int, name: str) -> HttpResponseBase:
    """One served file of a ready video (a rendition, the preview or a poster), with HTTP Range
    support for seeking, if the URL admits the caller (the rules of `rendition`); else 404."""
    if video_id > MAX_ID:
        raise Http404
    video = (
        MediaVideo.objects.filter(pk=video_id, state=READY)
        .only(
            "pk",
            "owner_id",
            "storage_region",
            "hd_path",
            "sd_path",
            "preview_path",
            "poster_path",
            "poster_grid_path",
        )
        .first()
    )
    path = (
        next((p for p in video.rendition_paths() if posixpath.basename(p) == name), None) if video else None
    )
    if video is None or path is None:
        raise Http404
    admission = _video_admission(request, video, name)
    if admission is None:
        raise Http404
    try:
        storage = regions.storages_for(video.storage_region).renditions
    except regions.RegionUnavailable:
        raise Http404 from None
    if admission == "signed":
        max_age = max(0, int(request.GET["e"]) - int(time.time()))
        cache_control = f"private, max-age={max_age}"
    else:
        cache_control = f"public, max-age={PUBLIC_MAX_AGE}"
    extension = posixpath.splitext(name)[1].lower()
    response = serving.serve_file(
        request,
        storage,
        path,
        content_type=VIDEO_CONTENT_TYPES.get(extension, "application/octet-stream"),
        cache_control=cache_control,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
