"""The scaled profile's channel layer survives a quiet socket: a receive that waits longer than one
Redis reply timeout goes on waiting instead of raising (channels_redis blocks in BZPOPMIN for
`brpop_timeout` seconds at a time)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import uuid

import pytest
from channels.layers import get_channel_layer

pytestmark = pytest.mark.skipif(not os.environ.get("HAVEN_REDIS_URL"), reason="the Redis channel layer")


def test_a_quiet_receive_keeps_waiting() -> None:
    async def scenario() -> str:
        layer = get_channel_layer()
        assert layer is not None
        channel = await layer.new_channel()
        with contextlib.suppress(TimeoutError):  # nothing arrives, and the layer does not fail
            await asyncio.wait_for(layer.receive(channel), timeout=2.5)  # more than SOCKET_TIMEOUT
        await layer.send(channel, {"type": "ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=5)
        return str(message["type"])

    # A fresh thread owns its event loop (a browser test may leave one running in this thread).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, scenario()).result() == "ping"


def test_a_burst_of_group_changes_waits_for_a_connection() -> None:
    """A thousand members leaving at once (a restart, a network blip) each discard their group at the
    same moment; redis-py 8 caps a pool at 100 connections and raised "Too many connections" for
    the rest, so their groups lingered. The layer's pool is bounded and makes the rest wait."""

    async def scenario() -> int:
        layer = get_channel_layer()
        assert layer is not None
        channels = [await layer.new_channel() for _ in range(300)]
        groups = [f"burst-{uuid.uuid4().hex}" for _ in channels]
        await asyncio.gather(*(layer.group_add(g, c) for g, c in zip(groups, channels, strict=True)))
        await asyncio.gather(*(layer.group_discard(g, c) for g, c in zip(groups, channels, strict=True)))
        return len(channels)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, scenario()).result() == 300
