"""Reads of media: rendition URLs and the processing status shown to the uploader."""

from __future__ import annotations

from typing import Any, Literal

from django.core.files.storage import default_storage

from haven.media.models import MediaImage
from haven.media.states import READY

RenditionKind = Literal["grid", "detail"]


def rendition_url(image: MediaImage, kind: RenditionKind) -> str:
    """Public URL of a rendition ("grid" ~540 px wide for cards, "detail" ~1440 px); "" until ready."""
    if image.state != READY:
        return ""
    path = image.grid_path if kind == "grid" else image.detail_path
    return default_storage.url(path) if path else ""


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
