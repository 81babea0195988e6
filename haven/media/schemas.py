"""ninja schemas of the media API."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from haven.core.openapi import ErrorOut

__all__ = ["ErrorOut", "ImageOut"]


class ImageOut(Schema):
    """An uploaded image and its processing status; the URLs are empty until `state` is "ready"."""

    id: int
    state: Literal["uploaded", "processing", "ready", "failed"]
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    blurhash: str = Field(max_length=64)
    grid_url: str = Field(max_length=512)
    detail_url: str = Field(max_length=512)
    error_code: str = Field(max_length=40)
