"""Bounded ninja schemas of the feeds API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class FeedCoverOut(Schema):
    grid_url: str
    width: int
    height: int
    blurhash: str
    alt_text: str


class CardAuthorOut(Schema):
    username: str
    display_name: str
    avatar_url: str


class FeedCardOut(Schema):
    id: int
    title: str
    cover: FeedCoverOut | None
    author: CardAuthorOut
    like_count: int
    liked: bool
    visibility: str
    language: str
    published_at: datetime | None
    image_count: int
    sensitive: bool = False


class FeedPageOut(Schema):
    items: list[FeedCardOut]
    next_cursor: str | None


class TopicInfoOut(Schema):
    tag: str
    exists: bool
    note_count: int
