"""Bounded ninja schemas of the imports API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict


class ImportOut(Schema):
    id: int
    state: str = Field(description="uploaded, parsing, review, importing, done, failed, cancelled or expired")
    source: str = Field(description='"tiktok" or "instagram" once read; "" before')
    layout: str
    file: str = Field(description="The uploaded file's name, cleaned")
    byte_size: int
    progress: int = Field(ge=0, le=100, description="Percent of the current step (parsing or importing)")
    error_code: str = Field(description="Why it failed (import_too_large, import_corrupt...); else empty")
    error_message: str
    counts: dict[str, int] = Field(description="What the export holds, once read")
    result: dict[str, int] = Field(description="What the import created or skipped, once done")
    created_at: datetime
    parsed_at: datetime | None
    finished_at: datetime | None


class ImportProfileOut(Schema):
    username: str | None
    display_name: str | None
    bio: str | None
    has_avatar: bool = Field(default=False, description="The export holds a profile photo (choice: avatar)")


class ImportPostOut(Schema):
    caption: str
    hashtags: list[str]
    posted_at: datetime | None
    visibility: str = Field(description="everyone, friends, only_you or unknown, as the export says")
    has_link: bool
    media: int


class ImportSkipOut(Schema):
    section: str
    reason: str
    count: int


class ImportReviewOut(Schema):
    id: int
    source: str
    profile: ImportProfileOut
    counts: dict[str, int] = Field(description="posts, hashtags, liked, favourites, following")
    posts: list[ImportPostOut] = Field(description="The first posts (at most 50), newest first")
    hashtags: list[str] = Field(description="Hashtags used and favourited (at most 500)")
    never_imported: list[str] = Field(
        description="Private categories the export holds that Haven never reads (messages, login_history...)"
    )
    skipped: list[ImportSkipOut] = Field(description="What was left out, by section and reason (at most 100)")


class ImportChoicesIn(Schema):
    """What to create; everything not chosen is left out."""

    model_config = ConfigDict(extra="forbid")

    display_name: bool = False
    bio: bool = False
    posts: bool = Field(default=False, description="Every post becomes a draft (nothing is published)")
    hashtags: bool = Field(
        default=False,
        description="Followed as topics (up to the follow cap) and kept as an interest signal",
    )
    likes: bool = Field(default=False, description="Liked and favourite videos, as an interest signal")
    avatar: bool = Field(default=False, description="The profile photo of the export (when it holds one)")
    following: bool = Field(
        default=False,
        description="The accounts followed there are kept and matched against members' former handles",
    )
    notify_on_join: bool = Field(
        default=False, description="With following: tell me when one of them joins Haven later"
    )
