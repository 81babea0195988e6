"""JSON API of messaging (mounted by config.api at /api/v1/dm): conversations, messages, events."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Header, Path, Query, Router, Schema, Status

from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.openapi import errors
from haven.graph.access import visible_user_or_404
from haven.messaging import access, selectors, services
from haven.messaging.models import CLIENT_ID_MAX
from haven.messaging.schemas import (
    MAX_ID,
    AdminIn,
    ConversationIn,
    ConversationOut,
    ConversationPageOut,
    ConversationPatch,
    EventPageOut,
    MemberRowOut,
    MembersIn,
    MessageIn,
    MessageOut,
    MessagePageOut,
    ReactionIn,
    ReadIn,
    ReadStateOut,
    SettingsIn,
    SettingsOut,
    TranslationOut,
    UnreadOut,
    conversation_out,
)
from haven.messaging.translate import auto_translations, message_translate, reader_target

router = Router(tags=["messages"])
Id = Path(..., ge=1, le=MAX_ID)


class ListQuery(Schema):
    box: Literal["inbox", "requests"] = "inbox"
    offset: int = NinjaField(0, ge=0, le=100_000)
    limit: int = NinjaField(30, ge=1, le=50)


class MessagesQuery(Schema):
    before: int | None = NinjaField(None, ge=1, le=MAX_ID)
    after: int | None = NinjaField(None, ge=0, le=MAX_ID)
    limit: int = NinjaField(50, ge=1, le=100)


class EventsQuery(Schema):
    after: int = NinjaField(0, ge=0, le=MAX_ID)
    limit: int = NinjaField(100, ge=1, le=200)


class TranslateQuery(Schema):
    target: str | None = NinjaField(None, max_length=16)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _members(viewer: Any, usernames: list[str]) -> list[Any]:
    return [visible_user_or_404(viewer, name) for name in dict.fromkeys(usernames)]


def _member_of(viewer: Any, conversation_id: int, username: str) -> Any:
    """A current member of a conversation the viewer is in, by username (NotFound otherwise)."""
    mine = access.participation_or_404(viewer, conversation_id)
    member = next((p.user for p in selectors.conversation_members(mine) if p.user.username == username), None)
    if member is None:
        raise NotFound()
    return member


def _conversation(viewer: Any, conversation_id: int) -> dict[str, Any]:
    return conversation_out(selectors.conversation_detail(viewer, conversation_id))


# -------------------------------------------------------------------------------------------------
# Conversations


@router.get("/conversations", response=ConversationPageOut, summary="My conversations or message requests")
def list_conversations(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    entries, next_offset = selectors.conversation_list(
        _user(request), box=query.box, offset=query.offset, limit=query.limit
    )
    return {"items": [conversation_out(e) for e in entries], "next_offset": next_offset}


@router.post(
    "/conversations",
    response={200: ConversationOut, 201: ConversationOut, **errors(409, 429)},
    summary="Open a direct conversation (username) or create a group (usernames)",
)
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Status[Any]:
    viewer = _user(request)
    if payload.username and not payload.usernames:
        recipient = visible_user_or_404(viewer, payload.username)
        conversation = services.direct_open(sender=viewer, recipient=recipient)
        return Status(200, _conversation(viewer, conversation.pk))
    if payload.usernames and not payload.username:
        conversation = services.group_create(
            creator=viewer, title=payload.title, members=_members(viewer, payload.usernames)
        )
        return Status(201, _conversation(viewer, conversation.pk))
    raise InvalidInput("Give either a username or a list of usernames.", code="invalid_recipients")


@router.get("/conversations/{conversation_id}", response=ConversationOut, summary="A conversation")
def get_conversation(request: HttpRequest, conversation_id: int = Id) -> dict[str, Any]:
    return _conversation(_user(request), conversation_id)


@router.patch(
    "/conversations/{conversation_id}", response=ConversationOut, summary="Rename, mute, pin, auto-translate"
)
def patch_conversation(
    request: HttpRequest, payload: ConversationPatch, conversation_id: int = Id
) -> dict[str, Any]:
    viewer = _user(request)
    if payload.title is not None or payload.photo_id is not None:
        services.group_update(
            actor=viewer, conversation_id=conversation_id, title=payload.title, avatar_id=payload.photo_id
        )
    services.participation_update(
        user=viewer,
        conversation_id=conversation_id,
        muted=payload.muted,
        pinned=payload.pinned,
        auto_translate=payload.auto_translate,
    )
    return _conversation(viewer, conversation_id)


@router.get("/conversations/{conversation_id}/members", response=list[MemberRowOut], summary="Members")
def list_members(request: HttpRequest, conversation_id: int = Id) -> list[dict[str, Any]]:
    mine = access.participation_or_404(_user(request), conversation_id)
    return [
        {**selectors.member_out(p.user), "role": p.role, "state": p.state}
        for p in selectors.conversation_members(mine)
    ]


@router.post(
    "/conversations/{conversation_id}/members",
    response={200: ConversationOut, **errors(409)},
    summary="Add members to a group (admins)",
)
def add_members(request: HttpRequest, payload: MembersIn, conversation_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    services.group_add(
        actor=viewer, conversation_id=conversation_id, members=_members(viewer, payload.usernames)
    )
    return _conversation(viewer, conversation_id)


@router.delete(
    "/conversations/{conversation_id}/members/{username}",
    response={204: None},
    summary="Remove a member from a group (admins)",
)
def remove_member(
    request: HttpRequest, conversation_id: int = Id, username: str = Path(..., max_length=30)
) -> Status[None]:
    viewer = _user(request)
    member = _member_of(viewer, conversation_id, username)
    services.group_remove(actor=viewer, conversation_id=conversation_id, member=member)
    return Status(204, None)


@router.put(
    "/conversations/{conversation_id}/admins/{username}",
    response={204: None},
    summary="Make a member an admin, or not (admins)",
)
def set_admin(
    request: HttpRequest,
    payload: AdminIn,
    conversation_id: int = Id,
    username: str = Path(..., max_length=30),
) -> Status[None]:
    viewer = _user(request)
    member = _member_of(viewer, conversation_id, username)
    services.group_set_admin(
        actor=viewer, conversation_id=conversation_id, member=member, admin=payload.admin
    )
    return Status(204, None)


@router.post(
    "/conversations/{conversation_id}/accept", response=ConversationOut, summary="Accept a message request"
)
def accept(request: HttpRequest, conversation_id: int = Id) -> dict[str, Any]:
    services.request_accept(user=_user(request), conversation_id=conversation_id)
    return _conversation(_user(request), conversation_id)


@router.post(
    "/conversations/{conversation_id}/decline",
    response={204: None, **errors(409)},
    summary="Decline a message request",
)
def decline(request: HttpRequest, conversation_id: int = Id) -> Status[None]:
    services.request_decline(user=_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.post(
    "/conversations/{conversation_id}/leave", response={204: None}, summary="Leave a group or close a chat"
)
def leave(request: HttpRequest, conversation_id: int = Id) -> Status[None]:
    services.conversation_leave(user=_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.post(
    "/conversations/{conversation_id}/read", response=ReadStateOut, summary="Mark as read (up to seq)"
)
def mark_read(request: HttpRequest, payload: ReadIn, conversation_id: int = Id) -> dict[str, Any]:
    seq = services.read_mark(user=_user(request), conversation_id=conversation_id, seq=payload.seq)
    return {"last_read_seq": seq}


# -------------------------------------------------------------------------------------------------
# Messages


@router.get(
    "/conversations/{conversation_id}/messages",
    response=MessagePageOut,
    summary="Messages: the newest, older than `before`, or newer than `after` (seq)",
)
def list_messages(
    request: HttpRequest, query: Query[MessagesQuery], conversation_id: int = Id
) -> dict[str, Any]:
    viewer = _user(request)
    mine = access.participation_or_404(viewer, conversation_id)
    rows, more = selectors.messages_page(mine, before=query.before, after=query.after, limit=query.limit)
    translations = auto_translations(viewer, mine, rows)
    return {
        "items": selectors.message_payloads(viewer, rows, translations=translations),
        "has_more": more,
        "read": selectors.read_state(mine),
    }


@router.post(
    "/conversations/{conversation_id}/messages",
    response={200: MessageOut, 201: MessageOut, **errors(409, 429)},
    summary="Send a message",
)
def send_message(
    request: HttpRequest,
    payload: MessageIn,
    conversation_id: int = Id,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=CLIENT_ID_MAX),
) -> Status[Any]:
    """Send `Idempotency-Key` (a client message id): a retry with the same key returns the stored
    message (200) instead of sending it twice; the same key with another body is refused (409)."""
    viewer = _user(request)
    shared_user = visible_user_or_404(viewer, payload.member) if payload.member else None
    result = services.message_send(
        sender=viewer,
        conversation_id=conversation_id,
        body=payload.body,
        client_id=idempotency_key,
        reply_to_id=payload.reply_to_id,
        image_id=payload.image_id,
        shared_note_id=payload.note_id,
        shared_user=shared_user,
    )
    message = result.message
    if result.replayed and message.body != payload.body.replace("\r\n", "\n").strip():
        raise Conflict(
            "This Idempotency-Key was already used for a different message.", code="idempotency_key_reused"
        )
    return Status(200 if result.replayed else 201, selectors.message_payload(viewer, message.pk))


@router.post(
    "/items/{message_id}/unsend", response={200: MessageOut, **errors(409)}, summary="Unsend for everyone"
)
def unsend(request: HttpRequest, message_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    message = services.message_unsend(user=viewer, message_id=message_id)
    return selectors.message_payload(viewer, message.pk)


@router.delete("/items/{message_id}", response={204: None}, summary="Delete a message for me")
def hide(request: HttpRequest, message_id: int = Id) -> Status[None]:
    services.message_hide(user=_user(request), message_id=message_id)
    return Status(204, None)


@router.put("/items/{message_id}/reaction", response={204: None, **errors(409)}, summary="React to a message")
def react(request: HttpRequest, payload: ReactionIn, message_id: int = Id) -> Status[None]:
    services.reaction_set(user=_user(request), message_id=message_id, emoji=payload.emoji)
    return Status(204, None)


@router.delete("/items/{message_id}/reaction", response={204: None}, summary="Remove my reaction")
def unreact(request: HttpRequest, message_id: int = Id) -> Status[None]:
    services.reaction_remove(user=_user(request), message_id=message_id)
    return Status(204, None)


@router.post(
    "/items/{message_id}/translate",
    response={200: TranslationOut, **errors(429)},
    summary="Translate a message (into my language by default)",
)
def translate(request: HttpRequest, query: Query[TranslateQuery], message_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    result = message_translate(
        viewer=viewer, message_id=message_id, target=query.target or reader_target(viewer)
    )
    return result.as_dict()


# -------------------------------------------------------------------------------------------------
# Events, badge, settings


@router.get(
    "/events", response=EventPageOut, summary="What happened after event `after` (resume after a reconnect)"
)
def events(request: HttpRequest, query: Query[EventsQuery]) -> dict[str, Any]:
    viewer = _user(request)
    rows, more = selectors.events_after(viewer, after=query.after, limit=query.limit)
    items = selectors.event_payloads(viewer, rows)
    return {"items": items, "has_more": more, "last_id": rows[-1].pk if rows else query.after}


@router.get("/unread", response=UnreadOut, summary="Unread messages and pending requests (the badge)")
def unread(request: HttpRequest) -> dict[str, int]:
    return selectors.unread_summary(_user(request))


@router.get("/settings", response=SettingsOut, summary="Who may message me; read receipts")
def get_settings(request: HttpRequest) -> dict[str, Any]:
    row = selectors.settings_of(_user(request))
    return {"who_can_message": row.who_can_message, "read_receipts": row.read_receipts}


@router.put("/settings", response=SettingsOut, summary="Change who may message me; read receipts")
def put_settings(request: HttpRequest, payload: SettingsIn) -> dict[str, Any]:
    row = services.settings_update(
        user=_user(request), who_can_message=payload.who_can_message, read_receipts=payload.read_receipts
    )
    return {"who_can_message": row.who_can_message, "read_receipts": row.read_receipts}
