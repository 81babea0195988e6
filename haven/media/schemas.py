"""ninja schemas of the media API."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from haven.core.openapi import ErrorOut

__all__ = ["CaptionOut", "ErrorOut", "ImageOut", "PosterIn", "VideoOut"]


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


class VideoOut(Schema):
    """An uploaded video and its processing status; the URLs are empty until `state` is "ready"."""

    id: int
    state: Literal["uploaded", "probing", "transcoding", "ready", "failed", "rejected"]
    progress: int = Field(ge=0, le=100)
    error_code: str = Field(max_length=40)
    error: str = Field(max_length=300)
    duration_ms: int = Field(ge=0)
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    blurhash: str = Field(max_length=64)
    poster_at_ms: int = Field(ge=0)
    poster_url: str = Field(max_length=512)
    video_url: str = Field(max_length=512)


class PosterIn(Schema):
    """The moment of the video to show as its cover, in milliseconds from the start."""

    at_ms: int = Field(ge=0, le=7_200_000)


class CaptionOut(Schema):
    language: str = Field(max_length=16)
    source: Literal["upload", "translation"]
    translated_from: str = Field(max_length=16)
    cue_count: int = Field(ge=0)
