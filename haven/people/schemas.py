"""Bounded ninja schemas of the people API: former handles, matches, one-tap follows, contact lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from haven.core.input import MAX_ID
from haven.people.services import MAX_FOLLOW_MATCHES

PlatformName = Literal["tiktok", "instagram"]


class HandleIn(Schema):
    model_config = ConfigDict(extra="forbid")
    platform: PlatformName
    handle: str = Field(..., min_length=1, max_length=31, description="with or without a leading @")
    discoverable: bool = False


class HandlePatchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    discoverable: bool


class HandleOut(Schema):
    id: int
    platform: str
    handle: str
    discoverable: bool
    self_declared: bool = True
    created_at: datetime


class HandlesOut(Schema):
    items: list[HandleOut]


class MatchUserOut(Schema):
    id: int
    username: str
    display_name: str
    avatar_url: str
    is_private: bool


class MatchOut(Schema):
    user: MatchUserOut
    platform: str
    handle: str
    kind: Literal["exact", "likely"]
    contact_platform: str
    contact_handle: str


class MatchesOut(Schema):
    items: list[MatchOut]


class FollowMatchesIn(Schema):
    model_config = ConfigDict(extra="forbid")
    user_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ..., min_length=1, max_length=MAX_FOLLOW_MATCHES, description="members offered by GET /matches"
    )


class FollowMatchesOut(Schema):
    followed: int
    requested: int
    skipped: int


class ContactListOut(Schema):
    platform: str
    count: int
    notify_on_join: bool
    imported_at: datetime
    updated_at: datetime


class ContactListsOut(Schema):
    items: list[ContactListOut]


class ContactNotifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    notify_on_join: bool


class DeletedOut(Schema):
    deleted: int
