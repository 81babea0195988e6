"""Bounded ninja schemas of the recommend API: interaction events and "not interested" choices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from haven.core.openapi import TEXT_PATTERN
from haven.notes.access import MAX_ID
from haven.recommend.services import (
    MAX_EVENTS_PER_CALL,
    MAX_MODEL_VERSION_LENGTH,
    MAX_SOURCE_LENGTH,
)

CODE_PATTERN = r"^[A-Za-z0-9_.:+-]*$"


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["impression", "open", "dwell", "share"]
    note_id: int = Field(..., ge=1, le=MAX_ID)
    value: int = Field(
        0, ge=0, le=86_400_000, description="dwell: milliseconds (capped at 30 min); impression: position"
    )
    source: str = Field(
        "", max_length=MAX_SOURCE_LENGTH, pattern=CODE_PATTERN, description="the card's reason code"
    )
    model_version: str = Field("", max_length=MAX_MODEL_VERSION_LENGTH, pattern=CODE_PATTERN)


class EventsIn(Schema):
    events: list[EventIn] = Field(..., max_length=MAX_EVENTS_PER_CALL)


class EventsAcceptedOut(Schema):
    accepted: int


#: A hashtag name as services.topic_name takes it ("coffee", "#咖啡#"): a letter or digit, then up to 63
#: word characters.
TOPIC_PATTERN = r"^#?[^\W_]\w{0,63}#?$"
SOURCE_NOTE = Field(None, ge=1, le=MAX_ID, description="the card the choice was made from")


class NotInterestedNoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["note"]
    note_id: int = Field(..., ge=1, le=MAX_ID)
    source_note_id: int | None = SOURCE_NOTE


class NotInterestedAuthorIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["author"]
    author: str = Field(..., min_length=1, max_length=150, pattern=TEXT_PATTERN, description="a username")
    source_note_id: int | None = SOURCE_NOTE


class NotInterestedTopicIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["topic"]
    topic: str = Field(..., min_length=1, max_length=70, pattern=TOPIC_PATTERN, description="a hashtag name")
    source_note_id: int | None = SOURCE_NOTE


NotInterestedIn = Annotated[
    NotInterestedNoteIn | NotInterestedAuthorIn | NotInterestedTopicIn, Field(discriminator="kind")
]


class NotInterestedNoteOut(Schema):
    id: int
    title: str | None = Field(None, description="null when you can no longer see the note")


class NotInterestedAuthorOut(Schema):
    username: str
    display_name: str


class NotInterestedOut(Schema):
    id: int
    kind: str
    created_at: datetime
    note: NotInterestedNoteOut | None
    author: NotInterestedAuthorOut | None
    topic: str | None


class NotInterestedPageOut(Schema):
    items: list[NotInterestedOut]
    next_cursor: str | None


class FollowedTopicsOut(Schema):
    items: list[str]  # topic names, newest first (at most services.MAX_FOLLOWED_TOPICS)


class TopicFollowOut(Schema):
    topic: str
    following: bool
