"""The realtime WebSocket (`/ws/`): new messages, typing, read receipts and notification badges.

One connection per open tab or app. It authenticates by the browser session (only when the
handshake's Origin is this site: no cross-site WebSocket hijacking) or by an API token sent as the
subprotocol `haven.bearer.<token>` (native clients, which send no Origin). It joins the member's
group (haven.core.realtime) and relays what arrives there, after loading it through
haven.messaging's access rules for this member *at send time*: an event of a conversation the
member left, was removed from or was blocked in is dropped.

Frames from the client are bounded (MAX_FRAME characters), rate-limited per connection (a token
bucket) and limited to `typing` and `ping`; everything that writes goes through the HTTP API, which
is where sends are idempotent and ordered. Each relayed event carries its id; a client that
reconnects asks `GET /api/v1/dm/events?after=<last id>` for what it missed.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from haven.core.realtime import member_group
from haven.messaging import access, selectors
from haven.messaging.models import Event, Participant

logger = logging.getLogger(__name__)

#: Largest frame a client may send (characters); larger frames close the connection (1009).
MAX_FRAME = 2048
#: Per-connection token bucket: RATE frames per second on average, BURST at once.
RATE = 5.0
BURST = 20
#: A member's typing signal goes out at most once per TYPING_INTERVAL seconds per conversation.
TYPING_INTERVAL = 2.0
SUBPROTOCOL = "haven"
TOKEN_PREFIX = "haven.bearer."  # noqa: S105 (a prefix, not a secret)
CLOSE_UNAUTHENTICATED = 4401
CLOSE_RATE_LIMITED = 4429


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def same_origin(scope: dict[str, Any]) -> bool:
    """The handshake's Origin names this site: its host is the Host header, and an allowed host."""
    origin = _header(scope, b"origin")
    host = _header(scope, b"host")
    if not origin or not host:
        return False
    parsed = urlsplit(origin)
    if not parsed.netloc or parsed.netloc.lower() != host.lower():
        return False
    domain, _port = split_domain_port(host)
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


@database_sync_to_async
def _token_user(raw: str) -> Any:
    from haven.accounts.selectors import active_token

    token = active_token(raw)
    return token.user if token is not None else None


def event_payload_for(user: Any, event_id: int) -> dict[str, Any] | None:
    """What `user` may see of event `event_id` now (None: nothing), through haven.messaging.access."""
    event = Event.objects.select_related("actor").filter(pk=event_id).first()
    if event is None:
        return None
    payloads = selectors.event_payloads(user, [event])
    return payloads[0] if payloads else None


@database_sync_to_async
def _may_type(user: Any, conversation_id: int) -> list[int]:
    """The other current participants to tell, when the member may write in the conversation."""
    try:
        mine = access.participation_or_404(user, conversation_id)
    except Exception:
        return []
    if mine.state != Participant.State.ACTIVE or access.blocked_either_way(mine.conversation, user.pk):
        return []
    return list(
        Participant.objects.filter(conversation_id=conversation_id, state__in=access.VISIBLE_STATES)
        .exclude(user_id=user.pk)
        .values_list("user_id", flat=True)[:200]
    )


@database_sync_to_async
def _still_visible(user: Any, conversation_id: int) -> bool:
    return access.visible_participations(user).filter(conversation_id=conversation_id).exists()


def badge_for(user: Any) -> dict[str, int]:
    from haven.notifications.selectors import unread_count

    summary = selectors.unread_summary(user)
    return {
        "notifications": unread_count(user),
        "messages": summary["unread"],
        "requests": summary["requests"],
    }


_badge = database_sync_to_async(badge_for)


def delivery_for(user: Any, event_id: int) -> tuple[dict[str, Any] | None, dict[str, int] | None]:
    """The event frame for `user` and, when it changes their unread counts, their badge: one hop to
    the database thread per delivery instead of two."""
    payload = event_payload_for(user, event_id)
    if payload is None:
        return None, None
    changes_badge = payload["type"] in (Event.Type.MESSAGE, Event.Type.MEMBERS) or (
        payload["type"] == Event.Type.READ and payload.get("reader") == user.username
    )
    return payload, badge_for(user) if changes_badge else None


_delivery = database_sync_to_async(delivery_for)


class ChatConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """One member's realtime connection."""

    user: Any = None
    group: str = ""

    async def connect(self) -> None:
        subprotocols = [p.strip() for p in self.scope.get("subprotocols", [])]
        token = next((p[len(TOKEN_PREFIX) :] for p in subprotocols if p.startswith(TOKEN_PREFIX)), "")
        user = None
        if token:
            user = await _token_user(token)
        elif same_origin(self.scope):
            scoped = self.scope.get("user")
            if scoped is not None and getattr(scoped, "is_authenticated", False):
                user = scoped
        if user is None or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group = member_group(user.pk)
        self.tokens = float(BURST)
        self.refilled = time.monotonic()
        self.typing_sent: dict[int, float] = {}
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in subprotocols else None)
        await self.send_json({"type": "hello", "user": user.username, **(await _badge(user))})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def _allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(float(BURST), self.tokens + (now - self.refilled) * RATE)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if self.user is None:
            return
        if bytes_data is not None or text_data is None or len(text_data) > MAX_FRAME:
            await self.close(code=1009)
            return
        if not self._allow():
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        await super().receive(text_data=text_data, **kwargs)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        import json

        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "code": "invalid_frame"})
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "typing":
            conversation_id = access.parse_id(content.get("conversation_id"))
            if conversation_id is None:
                await self.send_json({"type": "error", "code": "invalid_frame"})
                return
            now = time.monotonic()
            if now - self.typing_sent.get(conversation_id, 0.0) < TYPING_INTERVAL:
                return
            self.typing_sent[conversation_id] = now
            if len(self.typing_sent) > 100:
                self.typing_sent = {conversation_id: now}
            recipients = await _may_type(self.user, conversation_id)
            for user_id in recipients:
                await self.channel_layer.group_send(
                    member_group(user_id),
                    {"type": "haven.typing", "conversation_id": conversation_id, "user": self.user.username},
                )
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    # ---- events from the channel layer (haven.core.realtime.publish) -----------------------------

    async def haven_event(self, event: dict[str, Any]) -> None:
        event_id = int(event.get("event_id") or 0)
        conversation_id = int(event.get("conversation_id") or 0)
        if event_id == 0:  # the conversation is gone for this member, or they read it elsewhere
            await self.send_json(
                {"type": "conversation", "event": event.get("event"), "conversation_id": conversation_id}
            )
            if event.get("event") == "read_self":
                await self.send_json({"type": "badge", **(await _badge(self.user))})
            return
        payload, badge = await _delivery(self.user, event_id)
        if payload is None:
            return
        await self.send_json({"type": "event", "event": _jsonable(payload)})
        if badge is not None:
            await self.send_json({"type": "badge", **badge})

    async def haven_typing(self, event: dict[str, Any]) -> None:
        if await _still_visible(self.user, int(event["conversation_id"])):
            await self.send_json(
                {"type": "typing", "conversation_id": event["conversation_id"], "user": event["user"]}
            )

    async def haven_notification(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "badge", **(await _badge(self.user))})


def _jsonable(value: Any) -> Any:
    """Datetimes as ISO strings (what the API sends)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
