"""Bounded ninja schemas of the notifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from haven.notifications.services import MAX_MARK_READ_KEYS

GroupKey = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class ActorOut(Schema):
    username: str
    display_name: str
    avatar_url: str


class NotificationGroupOut(Schema):
    group_key: str
    verb: str
    text: str
    note_id: int | None
    comment_id: int | None
    created_at: datetime
    unread: bool
    actor_count: int
    actors: list[ActorOut]


class NotificationPageOut(Schema):
    items: list[NotificationGroupOut]
    next_cursor: str | None


class UnreadCountOut(Schema):
    count: int = Field(description="Unread inbox entries, at most 100 (show 99+ above 99)")


class MarkReadIn(Schema):
    group_keys: list[GroupKey] | None = Field(
        None, max_length=MAX_MARK_READ_KEYS, description="Entries to mark read; leave out to mark all"
    )


class MarkReadOut(Schema):
    marked: int
