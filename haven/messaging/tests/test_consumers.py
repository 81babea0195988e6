"""The realtime WebSocket: authentication and Origin, relays checked at send time, typing, limits."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from config.asgi import application
from haven.accounts.tests.factories import UserFactory, token_for
from haven.messaging import consumers, services
from haven.notes.tests.factories import block, follow

pytestmark = pytest.mark.django_db(transaction=True)

HOST = b"testserver"


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    cache.clear()
    yield
    cache.clear()


def session_headers(user: Any, origin: bytes | None = b"http://testserver") -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"host", HOST), (b"cookie", cookie.encode())]
    if origin is not None:
        headers.append((b"origin", origin))
    return headers


class WebsocketCommunicator(ApplicationCommunicator):  # type: ignore[misc]
    """A WebSocket client for an ASGI application (channels.testing's imports daphne, which Haven
    does not use)."""

    def __init__(
        self, app: Any, path: str, headers: list[tuple[bytes, bytes]], subprotocols: list[str] | None
    ) -> None:
        scope = {
            "type": "websocket",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": headers,
            "subprotocols": subprotocols or [],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        super().__init__(app, scope)

    async def connect(self, timeout: float = 5) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float = 5) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 5) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def run(coro: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(coro)()


async def connect(headers: list[tuple[bytes, bytes]], subprotocols: list[str] | None = None) -> Any:
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers, subprotocols=subprotocols)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def next_of(communicator: Any, kind: str, timeout: float = 5) -> dict[str, Any]:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


def test_session_on_same_origin_only() -> None:
    alice = UserFactory()
    same, evil, bare = (
        session_headers(alice, origin=o) for o in (b"http://testserver", b"https://evil.example", None)
    )

    async def scenario() -> None:
        ws, ok, _ = await connect(same)
        assert ok
        hello = await ws.receive_json_from(timeout=5)
        assert hello["type"] == "hello" and hello["user"] == alice.username
        await ws.disconnect()
        for headers in (evil, bare):
            ws, ok, code = await connect(headers)
            assert not ok and code == consumers.CLOSE_UNAUTHENTICATED
        ws, ok, code = await connect([(b"host", HOST)])
        assert not ok

    run(scenario)


def test_bearer_token_subprotocol() -> None:
    alice = UserFactory()
    _token, raw = token_for(alice)

    async def scenario() -> None:
        ws, ok, _ = await connect([(b"host", HOST)], subprotocols=["haven", f"haven.bearer.{raw}"])
        assert ok
        assert (await ws.receive_json_from(timeout=5))["user"] == alice.username
        await ws.disconnect()
        ws, ok, _ = await connect([(b"host", HOST)], subprotocols=["haven", "haven.bearer.hv_wrong_token"])
        assert not ok

    run(scenario)


def test_message_relayed_live_only_to_current_participants() -> None:
    admin, b, c = UserFactory(), UserFactory(), UserFactory()
    follow(b, admin)
    follow(c, admin)
    group = services.group_create(creator=admin, title="g", members=[b, c])
    hb, hc = session_headers(b), session_headers(c)

    async def scenario() -> None:
        wb, ok, _ = await connect(hb)
        wc, ok2, _ = await connect(hc)
        assert ok and ok2
        await next_of(wb, "hello")
        await next_of(wc, "hello")
        await sync_to_async(services.message_send)(sender=admin, conversation_id=group.pk, body="hello all")
        for ws in (wb, wc):
            frame = await next_of(ws, "event")
            assert frame["event"]["message"]["body"] == "hello all"
            assert frame["event"]["id"] > 0
        await sync_to_async(services.group_remove)(actor=admin, conversation_id=group.pk, member=c)
        gone = await next_of(wc, "conversation")
        assert gone["event"] == "gone"
        await sync_to_async(services.message_send)(sender=admin, conversation_id=group.pk, body="without c")
        frame = await next_of(wb, "event")
        while frame["event"]["message"] is None or frame["event"]["message"]["kind"] != "text":
            frame = await next_of(wb, "event")
        assert frame["event"]["message"]["body"] == "without c"
        # c hears nothing of the group any more (only its own badge may come).
        while not await wc.receive_nothing(timeout=0.5):
            extra = await wc.receive_json_from()
            assert extra["type"] == "badge", extra
        await wb.disconnect()
        await wc.disconnect()

    run(scenario)


def test_blocked_member_gets_nothing_more() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = services.direct_open(sender=alice, recipient=bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="first")
    ha = session_headers(alice)

    async def scenario() -> None:
        wa, ok, _ = await connect(ha)
        assert ok
        await next_of(wa, "hello")
        await sync_to_async(block)(bob, alice)
        # An event recorded before the block, relayed after it: checked at send time, so dropped.
        from haven.messaging.models import Event

        event = await sync_to_async(lambda: Event.objects.filter(conversation=conv).last())()
        from haven.core.realtime import publish

        await sync_to_async(publish)(
            [alice.pk],
            {
                "type": services.REALTIME_TYPE,
                "event_id": event.pk,
                "conversation_id": conv.pk,
                "event": "message",
            },
        )
        assert await wa.receive_nothing(timeout=0.5)
        await wa.disconnect()

    run(scenario)


def test_typing_goes_to_the_others_and_frames_are_bounded() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = services.direct_open(sender=alice, recipient=bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hi")
    ha, hb = session_headers(alice), session_headers(bob)

    async def scenario() -> None:
        wa, _, _ = await connect(ha)
        wb, _, _ = await connect(hb)
        await next_of(wa, "hello")
        await next_of(wb, "hello")
        await wa.send_json_to({"type": "typing", "conversation_id": conv.pk})
        typing = await next_of(wb, "typing")
        assert typing == {"type": "typing", "conversation_id": conv.pk, "user": alice.username}
        await wa.send_json_to({"type": "ping"})
        assert (await next_of(wa, "pong"))["type"] == "pong"
        await wa.send_json_to({"type": "typing", "conversation_id": "x"})
        assert (await next_of(wa, "error"))["code"] == "invalid_frame"
        await wa.send_to(text_data="not json")
        assert (await next_of(wa, "error"))["code"] == "invalid_frame"
        await wa.send_to(text_data="x" * (consumers.MAX_FRAME + 1))
        closed = await wa.receive_output(timeout=5)
        assert closed["type"] == "websocket.close" and closed["code"] == 1009
        await wb.disconnect()

    run(scenario)


def test_flooding_connection_is_closed() -> None:
    alice = UserFactory()
    ha = session_headers(alice)

    async def scenario() -> None:
        ws, _, _ = await connect(ha)
        await next_of(ws, "hello")
        for _ in range(consumers.BURST + 5):
            await ws.send_json_to({"type": "ping"})
        while True:
            output = await ws.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                assert output["code"] == consumers.CLOSE_RATE_LIMITED
                break

    run(scenario)


def test_notification_badge_pushed() -> None:
    alice, bob = UserFactory(), UserFactory()
    hb = session_headers(bob)

    async def scenario() -> None:
        ws, _, _ = await connect(hb)
        hello = await next_of(ws, "hello")
        assert hello["notifications"] == 0
        from haven.graph.services import follow_create

        await sync_to_async(follow_create)(follower=alice, followee=bob)
        badge = await next_of(ws, "badge")
        assert badge["notifications"] == 1
        await ws.disconnect()

    run(scenario)
