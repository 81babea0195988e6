"""Streaming bodies under ASGI: sync iterators (files) handed to the server through an async iterator."""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

# One thread hop reads up to this much, so a file costs a few hops, not one per 4 KiB block.
BATCH_BYTES = 256 * 1024
_END = object()


def _read_batch(iterator: Iterator[Any]) -> bytes | object:
    """The next chunks of `iterator` joined up to BATCH_BYTES, or _END when it is exhausted."""
    parts: list[bytes] = []
    size = 0
    for chunk in iterator:
        part = bytes(chunk) if not isinstance(chunk, bytes) else chunk
        parts.append(part)
        size += len(part)
        if size >= BATCH_BYTES:
            break
    if not parts:
        return _END
    return b"".join(parts)


async def _batches(content: Iterable[Any]) -> AsyncIterator[bytes]:
    iterator = iter(content)
    read = sync_to_async(_read_batch, thread_sensitive=False)
    while True:
        batch = await read(iterator)
        if batch is _END:
            return
        assert isinstance(batch, bytes)
        yield batch


def make_async(response: HttpResponseBase) -> HttpResponseBase:
    """Give a streaming response with a sync iterator an async one reading the same chunks in a thread.

    The response keeps its closers (an open file is still closed by the server). Without this,
    Django warns "StreamingHttpResponse must consume synchronous iterators" and reads the whole
    body into memory before sending the first byte.
    """
    if isinstance(response, StreamingHttpResponse) and not response.is_async:
        content = response.streaming_content
        assert isinstance(content, Iterator)
        response.streaming_content = _batches(content)
    return response


class AsyncStreamingMiddleware:
    """Outermost middleware: under ASGI, makes every sync streaming response async (see make_async),
    and keeps the request's context variables from leaking into the ASGI handler when a client
    disconnects mid-request.

    It runs in sync mode whenever a middleware below it is sync-only (WhiteNoise is), so it tells
    ASGI from WSGI by the request, not by its own mode.

    The leak: under ASGI, Django runs this sync chain in a thread through `sync_to_async`, and the
    first sync-only middleware reaches the async view handler through `async_to_sync`, which sets
    asgiref's "current thread executor" in the thread's context. When the client disconnects,
    Django cancels the request; `sync_to_async` then copies the thread's context back into the
    handler's task *while the thread is still running* (asgiref.sync._restore_context). If the
    thread was inside `async_to_sync` at that moment, the handler's task inherits that executor,
    which is broken once the thread leaves it, and Django's `request_finished.asend` fails with
    "RuntimeError: CurrentThreadExecutor already quit or is broken": the request's database
    connection is then never closed (never handed back to the connection pool). Running the chain
    below in a copy of the context means nothing set below this middleware is copied back.
    """

    sync_capable = True
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        if isinstance(request, ASGIRequest):
            response = contextvars.copy_context().run(self.get_response, request)
            assert isinstance(response, HttpResponseBase)
            return make_async(response)
        response = self.get_response(request)
        assert isinstance(response, HttpResponseBase)
        return response  # WSGI iterates sync bodies natively

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        assert not isinstance(response, HttpResponseBase)
        return make_async(await response)
