"""Bounded ninja schemas of the feeds API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import BaseModel

# The card schemas are plain pydantic models, not ninja Schemas: they are filled from dicts
# (feeds.selectors.card_data), so they need no ninja attribute getter, and validating a page of cards
# stays inside pydantic-core. The OpenAPI schema is the same (ninja builds both alike; no docstrings
# here, which would become descriptions).


class FeedCoverOut(BaseModel):
    grid_url: str
    width: int
    height: int
    blurhash: str
    alt_text: str


class CardVideoOut(BaseModel):
    duration_ms: int
    preview_url: str


class CardAuthorOut(BaseModel):
    username: str
    display_name: str
    avatar_url: str


class CardReasonOut(BaseModel):
    code: str
    text: str
    topic: str | None


class FeedCardOut(BaseModel):
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
    video: CardVideoOut | None = None  # a video note: its length and a short muted preview


class FeedPageOut(BaseModel):
    items: list[FeedCardOut]
    next_cursor: str | None


class DiscoverCardOut(FeedCardOut):
    reason: CardReasonOut | None = None  # why the note is there (personalised Discover)
    topics: list[str] = []  # up to 3 of its topics, for "not interested in #topic"


class DiscoverPageOut(BaseModel):
    items: list[DiscoverCardOut]
    next_cursor: str | None
    model_version: str  # what ranked the page: a trained model's version, "prior-1" or "v0"


class TopicInfoOut(Schema):
    tag: str
    exists: bool
    note_count: int


class TrendingTopicOut(Schema):
    tag: str
    position: int
    recent_count: int
    baseline_count: int
    score: float
    computed_at: datetime


class TrendingOut(Schema):
    language: str
    items: list[TrendingTopicOut]


class PlaceRefOut(Schema):
    id: int
    kind: str
    name: str


class PlaceOut(Schema):
    id: int
    kind: str
    name: str
    city: PlaceRefOut | None
    note_count: int  # public notes at the place (refreshed periodically)


class PlaceInfoOut(Schema):
    id: int
    kind: str
    name: str
    city: PlaceRefOut | None
    note_count: int  # notes at the place that the viewer may see
    venues: list[PlaceOut]


class NearOut(Schema):
    city: PlaceOut | None
    items: list[FeedCardOut]
    next_cursor: str | None


class HomeCityIn(Schema):
    place_id: int = Field(..., ge=1, le=2**63 - 1)


# The vertical video feed: each card with its player.


class VideoSourceOut(BaseModel):
    url: str
    height: int  # 720 or 480


class VideoCaptionOut(BaseModel):
    language: str
    label: str
    source: str  # "upload" | "translation"
    url: str


class BilingualTrackOut(BaseModel):
    url: str
    source: str  # the caption track translated
    target: str  # the reader's interface language


class VideoPlayerOut(BaseModel):
    ready: bool
    poster: str = ""
    sources: list[VideoSourceOut] = Field(default=[], max_length=2)
    captions: list[VideoCaptionOut] = Field(default=[], max_length=16)
    duration_ms: int = 0
    width: int = 0
    height: int = 0
    default_caption: str = ""  # the track in the reader's interface language, "" when none
    bilingual: BilingualTrackOut | None = None


class VideoCardOut(FeedCardOut):
    player: VideoPlayerOut


class VideoFeedPageOut(BaseModel):
    items: list[VideoCardOut]
    next_cursor: str | None
