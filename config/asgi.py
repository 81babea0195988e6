"""ASGI entry point: HTTP through Django, the realtime WebSocket (/ws/) through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from haven.messaging.consumers import ChatConsumer  # noqa: E402

websocket_routes = [path("ws/", ChatConsumer.as_asgi())]
if settings.HAVEN.bench_endpoints:  # HAVEN_BENCH_ENDPOINTS=1 only: bench/realtime's bare echo baseline
    from bench.realtime.echo import EchoConsumer

    websocket_routes.append(path("ws/echo/", EchoConsumer.as_asgi()))

# The consumer checks the handshake's Origin itself (session auth only for this site's pages; API
# tokens for native clients, which send no Origin): see haven.messaging.consumers.
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AuthMiddlewareStack(URLRouter(websocket_routes)),
    }
)

from config.startup import freeze_startup_objects  # noqa: E402

freeze_startup_objects()
