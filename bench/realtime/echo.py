"""A bare Channels echo consumer: the baseline that bench/realtime compares Haven's realtime path to.

Routed at `/ws/echo/` only when HAVEN_BENCH_ENDPOINTS=1 (config.asgi); never in a normal deployment. It
authenticates nobody and touches no database: a client connects as `/ws/echo/?me=<n>`, joins the
group `echo.<n>`, and sends frames `{"to": [n, ...], "m": <anything>}`; the consumer sends `m` to each
named group through the channel layer (one `group_send` per recipient, as
haven.core.realtime.publish does) and every connection relays what reaches its group. So the
same clients, recipients and channel layer as Haven's `/ws/`, without the HTTP request, the database
write, the event row or the access check at send time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer

#: Bounds: a frame's size (characters) and its recipients.
MAX_FRAME = 4096
MAX_TO = 200


class EchoConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group = ""

    async def connect(self) -> None:
        me = parse_qs(self.scope.get("query_string", b"").decode()).get("me", [""])[0]
        if not me.isdigit() or len(me) > 12:
            await self.close(code=4400)
            return
        self.group = f"echo.{int(me)}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.close(code=1009)
            return
        await super().receive(text_data=text_data, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("to"), list):
            return
        for n in content["to"][:MAX_TO]:
            if isinstance(n, int) and n >= 0:
                await self.channel_layer.group_send(
                    f"echo.{n}", {"type": "echo.frame", "m": content.get("m")}
                )

    async def echo_frame(self, event: dict[str, Any]) -> None:
        await self.send_json({"m": event["m"]})
