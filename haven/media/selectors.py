"""Reads of media: rendition URLs, the processing status shown to the uploader, screening holds."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote, urlencode

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

from haven.media import access
from haven.media.models import MediaImage, MediaVideo
from haven.media.states import READY

RenditionKind = Literal["grid", "detail"]
VideoKind = Literal["hd", "sd", "preview", "poster", "poster_grid"]
_VIDEO_FIELDS: dict[str, str] = {
    "hd": "hd_path",
    "sd": "sd_path",
    "preview": "preview_path",
    "poster": "poster_path",
    "poster_grid": "poster_grid_path",
}


# A feed page shows twenty covers: resolving the URLconf for each was a tenth of a Discover request.
# The route's path is resolved once (per script prefix and language) with sentinels, then filled in.
_ROUTES: dict[tuple[str, str, str], tuple[str, str, str]] = {}
_ID_SENTINEL, _NAME_SENTINEL = 918273645, "hv-name-sentinel"


def _media_path(route: str, id_kwarg: str, pk: int, name: str) -> str:
    """reverse(route, kwargs={id_kwarg: pk, "name": name}), quoted as reverse quotes it."""
    if not name or "/" in name:  # not a file name: reverse says so (NoReverseMatch), as before
        return reverse(route, kwargs={id_kwarg: pk, "name": name})
    key = (route, get_script_prefix(), get_language() or "")
    parts = _ROUTES.get(key)
    if parts is None:
        url = reverse(route, kwargs={id_kwarg: _ID_SENTINEL, "name": _NAME_SENTINEL})
        head, _, rest = url.partition(str(_ID_SENTINEL))
        middle, _, tail = rest.partition(_NAME_SENTINEL)
        parts = _ROUTES[key] = (head, middle, tail)
    head, middle, tail = parts
    return f"{head}{int(pk)}{middle}{quote(name, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"


def rendition_url(
    image: MediaImage, kind: RenditionKind, *, note: Any = None, now: float | None = None
) -> str:
    """URL of a rendition ("grid" ~540 px wide for cards, "detail" ~1440 px); "" until ready.

    Pass the `note` that shows the image (loaded with its author, as card and detail selectors do):
    a note anyone may see gets a stable, cacheable URL; any other note, and an image shown outside a
    note (the uploader's composer), gets a URL signed for about an hour and bound to the note's access
    state (docs/adr/0004-media-access.md). No queries.
    """
    if image.state != READY:
        return ""
    path = image.grid_path if kind == "grid" else image.detail_path
    if not path:
        return ""
    name = posixpath.basename(path)
    url = _media_path("media:rendition", "image_id", image.pk, name)
    provider = access.audience_provider()
    if note is not None and provider is not None:
        public, key = provider.of_note(note)
        if public:
            return url
        note_id = int(note.pk)
    else:
        note_id, key = 0, access.own_key(image)
    expires = access.signed_expiry(now)
    signature = access.sign_rendition(image_id=image.pk, name=name, note_id=note_id, key=key, expires=expires)
    return f"{url}?{urlencode({'n': note_id, 'e': expires, 's': signature})}"


def image_status(image: MediaImage) -> dict[str, Any]:
    """What the uploader sees while an image is processed (also the API's ImageOut)."""
    return {
        "id": image.pk,
        "state": image.state,
        "width": image.width,
        "height": image.height,
        "blurhash": image.blurhash,
        "grid_url": rendition_url(image, "grid"),
        "detail_url": rendition_url(image, "detail"),
        "error_code": image.error_code,
    }


def held_image_ids(image_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Of `image_ids`, those a screener held (haven.media.screening), each with all its verdicts
    (dicts with "screener", "hold", "category", "score", "detail"). One query; unknown ids and images
    not screened yet are left out. Moderation calls this when a note is published, to hold the note."""
    ids = {int(pk) for pk in image_ids}
    if not ids:
        return {}
    rows = MediaImage.objects.filter(pk__in=ids, screen_state=MediaImage.ScreenState.HELD).values_list(
        "pk", "screen_detail"
    )
    return {pk: list((detail or {}).get("verdicts", [])) for pk, detail in rows}


def video_url(video: Any, kind: VideoKind, *, note: Any = None, now: float | None = None) -> str:
    """URL of one of a ready video's served files ("hd" 720p, "sd" 480p, "preview", "poster",
    "poster_grid"); "" until ready or when that file does not exist ("hd" for small sources).

    `video` is a MediaVideo or any object with the same columns (a card's CardVideo). Same rules as
    rendition_url: a note anyone may see gets a stable URL, anything else a signed one. No queries.
    """
    if video.state != READY:
        return ""
    path = getattr(video, _VIDEO_FIELDS[kind], "")
    if not path:
        return ""
    name = posixpath.basename(path)
    url = _media_path("media:video_rendition", "video_id", video.pk, name)
    provider = access.audience_provider()
    if note is not None and provider is not None:
        public, key = provider.of_note(note)
        if public:
            return url
        note_id = int(note.pk)
    else:
        note_id, key = 0, f"own:{video.owner_id}"
    expires = access.signed_expiry(now)
    signature = access.sign_rendition(
        image_id=access.video_signed_id(video.pk), name=name, note_id=note_id, key=key, expires=expires
    )
    return f"{url}?{urlencode({'n': note_id, 'e': expires, 's': signature})}"


def video_status(video: MediaVideo) -> dict[str, Any]:
    """What the uploader sees while a video is processed (also the API's VideoOut)."""
    from haven.media.errors import video_error_message

    return {
        "id": video.pk,
        "state": video.state,
        "progress": video.progress,
        "error_code": video.error_code,
        "error": video_error_message(video.error_code) if video.error_code else "",
        "duration_ms": video.duration_ms,
        "width": video.width,
        "height": video.height,
        "blurhash": video.blurhash,
        "poster_at_ms": video.poster_at_ms,
        "poster_url": video_url(video, "poster"),
        "video_url": video_url(video, "sd"),
    }


def held_video_ids(video_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Like held_image_ids, for videos (their poster frame is screened)."""
    ids = {int(pk) for pk in video_ids}
    if not ids:
        return {}
    rows = MediaVideo.objects.filter(pk__in=ids, screen_state=MediaImage.ScreenState.HELD).values_list(
        "pk", "screen_detail"
    )
    return {pk: list((detail or {}).get("verdicts", [])) for pk, detail in rows}
