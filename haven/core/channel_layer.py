"""The scaled profile's channel layer: channels_redis with a bounded pool that waits.

redis-py 8 gives a pool 100 connections by default and, past them, raises "Too many connections" at
once. Every WebSocket adds itself to a group on connect and discards it on disconnect, so a crowd
reconnecting after a restart, or leaving at once, asked for hundreds of connections in the same
moment: the rest failed (their groups lingered, their connects broke). Here the pool holds at most
POOL_CONNECTIONS per process and an operation past them waits up to POOL_WAIT seconds for one (a
Redis operation takes well under a millisecond, so a few dozen connections carry thousands a second).

Opening a connection may take up to CONNECT_TIMEOUT (degrade.channel_layer_config uses it): longer
than the cache's half second, because the layer runs on the server's event loop, which a crowd keeps
busy; a connect that had to wait for the loop longer than that failed although Redis was up. A
Redis that is down still fails fast enough (realtime is best-effort; clients resume through the API).
"""

from __future__ import annotations

from typing import Any, Final

from channels_redis.core import RedisChannelLayer
from redis import asyncio as aioredis

POOL_CONNECTIONS: Final = 32  # per process and Redis host
POOL_WAIT: Final = 10.0  # seconds an operation waits for a free connection
CONNECT_TIMEOUT: Final = 3.0  # seconds to open a connection


class BoundedRedisChannelLayer(RedisChannelLayer):  # type: ignore[misc]
    """RedisChannelLayer whose connection pool blocks instead of failing when it is busy."""

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        address = host.pop("address")
        return aioredis.BlockingConnectionPool.from_url(
            address, max_connections=POOL_CONNECTIONS, timeout=POOL_WAIT, **host
        )
