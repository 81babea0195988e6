"""Bounded ninja schemas of the graph API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema


class RelationshipOut(Schema):
    following: bool
    requested: bool
    followed_by: bool
    blocking: bool
    muting: bool


class ProfileOut(Schema):
    username: str
    display_name: str
    bio: str
    avatar_url: str
    avatar_blurhash: str
    languages: list[str]
    region: str
    is_private: bool
    follower_count: int
    following_count: int
    relationship: RelationshipOut


class UserCardOut(Schema):
    username: str
    display_name: str
    avatar_url: str
    avatar_blurhash: str
    is_private: bool
    following: bool  # whether the caller follows this member
    since: datetime  # when the edge (follow, request, block, mute) was made


class UserPageOut(Schema):
    items: list[UserCardOut]
    next_cursor: str | None


class FollowStateOut(Schema):
    state: Literal["followed", "requested"]
