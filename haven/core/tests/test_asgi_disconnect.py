"""A client that disconnects mid-request under ASGI: the request still finishes cleanly.

Django runs Haven's sync middleware chain in a thread; the first sync-only middleware reaches the
async view handler through asgiref's `async_to_sync`, which names a "current thread executor" in
the thread's context while it runs. When the client disconnects, Django cancels the request, and
`sync_to_async` copies the thread's context back into the ASGI handler's task although the thread
is still running. If the thread was inside `async_to_sync` at that moment, the handler inherited an
executor that had quit, and `request_finished` failed with "RuntimeError: CurrentThreadExecutor
already quit or is broken" (seen in the bench server's log at the end of every load run), so
`close_old_connections` never ran. haven.core.streaming.AsyncStreamingMiddleware runs the chain
below it in a copy of the context, so nothing leaks back.

The test holds the request's thread in that window deterministically: a middleware below leaves
the context as `async_to_sync` leaves it for a moment (its executor has quit, the context variable
still names it) until the handler has dealt with the disconnect (a chain of loop callbacks queued
behind the handler's wake-up), then restores it and carries on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import Callable
from typing import Any

from asgiref.current_thread_executor import CurrentThreadExecutor
from asgiref.sync import AsyncToSync
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

MARK: contextvars.ContextVar[str] = contextvars.ContextVar("haven_test_mark")
WAIT = 30  # seconds: only a guard against a hung test, never reached when things work


class _State:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.in_window = threading.Event()
        self.disconnected = threading.Event()
        self.view_ran = threading.Event()


STATE = _State()


def _view(request: HttpRequest) -> HttpResponse:
    STATE.view_ran.set()
    return JsonResponse({"ok": True})


urlpatterns = [path("slow", _view)]


def _after_the_loop_catches_up(loop: asyncio.AbstractEventLoop, hops: int = 12) -> None:
    """Block until `hops` callbacks, each queued behind the previous, have run on `loop`: the ready
    queue is first in, first out, so the handler's wake-up after the disconnect runs before them."""
    done = threading.Event()

    def hop(left: int) -> None:
        if left == 0:
            done.set()
        else:
            loop.call_soon(hop, left - 1)

    loop.call_soon_threadsafe(hop, hops)
    assert done.wait(WAIT)


class HoldsAQuitExecutor:
    """Sync-only (like WhiteNoise and Haven's own middleware): Django reaches the view below it
    through async_to_sync. Until the disconnect has been handled it leaves the thread's context as
    async_to_sync does in its last moment: the executor has quit, the variable still names it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        executor = CurrentThreadExecutor(None)
        finished: concurrent.futures.Future[None] = concurrent.futures.Future()
        finished.set_result(None)
        executor.run_until_future(finished)  # it has quit: it accepts no more work
        AsyncToSync.executors.current = executor
        MARK.set("set below AsyncStreamingMiddleware")
        STATE.in_window.set()
        assert STATE.disconnected.wait(WAIT)
        assert STATE.loop is not None
        _after_the_loop_catches_up(STATE.loop)
        AsyncToSync.executors.current = None  # what async_to_sync's own `finally` does
        return self.get_response(request)


def _request_then_disconnect() -> tuple[BaseException | None, list[dict[str, Any]]]:
    from django.core.handlers.asgi import ASGIHandler

    finished: list[dict[str, Any]] = []

    def on_finished(**_kwargs: Any) -> None:
        finished.append({"mark": MARK.get(None), "thread": threading.current_thread().name})

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/slow",
        "raw_path": b"/slow",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    bodies = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if bodies:
            return bodies.pop()
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, STATE.in_window.wait, WAIT)
        STATE.disconnected.set()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        pass

    async def main() -> None:
        STATE.loop = asyncio.get_running_loop()
        await ASGIHandler()(scope, receive, send)  # type: ignore[arg-type]

    request_finished.connect(on_finished, weak=False)
    error: BaseException | None = None
    try:
        # asyncio.run in its own thread: a browser test in the same worker may hold a running loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            try:
                pool.submit(asyncio.run, main()).result(timeout=WAIT * 2)
            except BaseException as exc:  # the test asserts there was none
                error = exc
    finally:
        request_finished.disconnect(on_finished)
        STATE.disconnected.set()  # never leave the request's thread waiting
    return error, finished


def test_a_disconnect_mid_request_finishes_the_request_cleanly(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = [
        "haven.core.streaming.AsyncStreamingMiddleware",
        f"{__name__}.HoldsAQuitExecutor",
    ]
    error, finished = _request_then_disconnect()
    assert error is None, repr(error)  # was RuntimeError: CurrentThreadExecutor already quit or is broken
    assert len(finished) == 1  # request_finished ran (close_old_connections with it) ...
    assert finished[0]["mark"] is None  # ... without the request thread's context leaking into it
    assert STATE.view_ran.is_set()  # the request's thread carried on to the view and returned
