"""Schemas of the messaging API: every field bounded (lengths, list sizes, id ranges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from haven.messaging.models import BODY_MAX, TITLE_MAX
from haven.messaging.selectors import ConversationEntry, group_photo_url, member_out

MAX_ID = 2**63 - 1
USERNAME_MAX = 30
ADD_MAX = 50


class MemberOut(Schema):
    username: str
    display_name: str
    avatar_url: str | None = None


class ConversationIn(Schema):
    """A direct conversation (`username`) or a group (`usernames`, optional `title`)."""

    username: str | None = Field(None, max_length=USERNAME_MAX)
    usernames: list[str] | None = Field(None, max_length=ADD_MAX)
    title: str = Field("", max_length=TITLE_MAX)


class ConversationPatch(Schema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    photo_id: int | None = Field(
        None, ge=0, le=MAX_ID, description="A group's photo: an image of yours from /media (0 removes it)"
    )
    muted: bool | None = None
    pinned: bool | None = None
    auto_translate: bool | None = None


class MembersIn(Schema):
    usernames: list[str] = Field(..., min_length=1, max_length=ADD_MAX)


class AdminIn(Schema):
    admin: bool


class ConversationOut(Schema):
    id: int
    kind: Literal["direct", "group"]
    title: str
    state: str
    role: str
    members: list[MemberOut]
    member_count: int
    unread: int
    last_seq: int
    last_read_seq: int
    last_message_at: datetime | None = None
    last_message_excerpt: str = ""
    muted: bool
    pinned: bool
    auto_translate: bool
    closed: bool
    photo_url: str | None = None


class ConversationPageOut(Schema):
    items: list[ConversationOut]
    next_offset: int | None = None


class MessageIn(Schema):
    """Text, or one of: an image id (uploaded through /api/v1/media/images), a note id, a username."""

    body: str = Field("", max_length=BODY_MAX)
    reply_to_id: int | None = Field(None, ge=1, le=MAX_ID)
    image_id: int | None = Field(None, ge=1, le=MAX_ID)
    note_id: int | None = Field(None, ge=1, le=MAX_ID)
    member: str | None = Field(None, max_length=USERNAME_MAX)


class MessageReplyOut(Schema):
    id: int
    seq: int
    sender: str | None = None
    excerpt: str


class MessageImageOut(Schema):
    id: int
    state: str
    width: int
    height: int
    blurhash: str
    grid_url: str | None = None
    detail_url: str | None = None


class SharedNoteOut(Schema):
    available: bool
    id: int | None = None
    title: str | None = None
    author: MemberOut | None = None
    cover_url: str | None = None


class SharedMemberOut(Schema):
    available: bool
    username: str | None = None
    display_name: str | None = None
    avatar_url: str | None = None


class SystemOut(Schema):
    event: str
    member: MemberOut | None = None


class ReactionOut(Schema):
    emoji: str
    count: int
    mine: bool


class TranslationOut(Schema):
    text: str
    source_language: str
    target_language: str
    provider: str
    not_needed: bool


class MessageOut(Schema):
    id: int
    seq: int
    conversation_id: int
    kind: str
    state: Literal["ok", "unsent", "held", "removed"]
    sender: MemberOut | None = None
    mine: bool
    body: str
    language: str
    created_at: datetime
    reply_to: MessageReplyOut | None = None
    image: MessageImageOut | None = None
    shared_note: SharedNoteOut | None = None
    shared_member: SharedMemberOut | None = None
    system: SystemOut | None = None
    reactions: list[ReactionOut]
    translation: TranslationOut | None = None


class ReadOut(Schema):
    username: str
    seq: int


class MessagePageOut(Schema):
    items: list[MessageOut]
    has_more: bool
    read: list[ReadOut]


class ReadIn(Schema):
    seq: int | None = Field(None, ge=0, le=MAX_ID)


class ReadStateOut(Schema):
    last_read_seq: int


class ReactionIn(Schema):
    emoji: str = Field(..., min_length=1, max_length=16)


class EventOut(Schema):
    id: int
    type: str
    conversation_id: int
    seq: int
    created_at: datetime
    message: MessageOut | None = None
    reader: str | None = None


class EventPageOut(Schema):
    items: list[EventOut]
    has_more: bool
    last_id: int


class SettingsOut(Schema):
    who_can_message: Literal["everyone", "following", "nobody"]
    read_receipts: bool


class SettingsIn(Schema):
    who_can_message: Literal["everyone", "following", "nobody"] | None = None
    read_receipts: bool | None = None


class UnreadOut(Schema):
    unread: int
    conversations: int
    requests: int


class MemberRowOut(Schema):
    username: str
    display_name: str
    avatar_url: str | None = None
    role: str
    state: str


def conversation_out(entry: ConversationEntry) -> dict[str, Any]:
    p = entry.participation
    conversation = entry.conversation
    last = entry.last_message
    excerpt = ""
    if last is not None and last.unsent_at is None and last.moderation == "ok":
        excerpt = last.body[:120]
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "title": entry.title,
        "state": p.state,
        "role": p.role,
        "members": [member_out(m) for m in entry.members],
        "member_count": entry.member_count,
        "unread": entry.unread,
        "last_seq": conversation.last_seq,
        "last_read_seq": p.last_read_seq,
        "last_message_at": conversation.last_message_at,
        "last_message_excerpt": excerpt,
        "muted": p.muted,
        "pinned": p.pinned_at is not None,
        "auto_translate": p.auto_translate,
        "closed": entry.closed,
        "photo_url": group_photo_url(conversation) or None,
    }
