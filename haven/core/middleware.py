"""The input guard: refuses NUL and control characters, non-object and oversized JSON bodies, once.

Runs before every view, HTML and API alike: the URL path, the query string, url-encoded form fields
and JSON bodies (every decoded string, keys included) are checked here, so no view, form, schema or
database ever sees a NUL byte (PostgreSQL cannot store one) or a lone surrogate. API requests get the
JSON error shape `{code, message}`; pages get the 400 page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haven.core.errors import HavenError, InvalidInput, TooLarge
from haven.core.input import has_bad_json, has_bad_path, has_bad_text, invalid_characters

API_PREFIX = "/api/"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Room for multipart framing around an upload of the largest allowed size.
MULTIPART_SLACK = 64 * 1024


def body_too_large(limit: int) -> TooLarge:
    return TooLarge(
        _("The request body is too large (at most %(size)d KB).") % {"size": limit // 1024},
        code="request_too_large",
    )


def _buffered_size(request: HttpRequest) -> int | None:
    """The size of a body the server already buffered (ASGI), or None where it is a live stream."""
    stream: Any = getattr(request, "_stream", None)
    if stream is None or not hasattr(stream, "seekable") or not stream.seekable():
        return None
    position = stream.tell()
    size = int(stream.seek(0, os.SEEK_END))
    stream.seek(position)
    return size


#: Resumable uploads (the tus protocol, haven.media.tus) send raw bytes in PATCH bodies of this type.
RESUMABLE_PREFIX = "/api/v1/media/uploads/"
RESUMABLE_CONTENT_TYPE = "application/offset+octet-stream"


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self.check(request)
        except HavenError as exc:
            return self.refuse(request, exc)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, exc: HavenError) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(exc.as_dict(), status=exc.status)
        return render(request, "400.html", {"message": exc.message}, status=exc.status)

    def check(self, request: HttpRequest) -> None:
        if has_bad_path(request.path_info):
            raise invalid_characters()
        for key, values in request.GET.lists():
            if has_bad_text(key) or any(has_bad_text(v) for v in values):
                raise invalid_characters()
        if request.method not in BODY_METHODS:
            return
        content_type = request.content_type or ""
        if content_type == RESUMABLE_CONTENT_TYPE and request.path_info.startswith(RESUMABLE_PREFIX):
            return  # raw video bytes of a resumable upload: haven.media.tus bounds and streams them
        if "CONTENT_LENGTH" not in request.META or not request.META["CONTENT_LENGTH"]:
            self._measure_unannounced_body(request, content_type)
        if content_type == "application/x-www-form-urlencoded":
            for key, values in request.POST.lists():
                if has_bad_text(key) or any(has_bad_text(v) for v in values):
                    raise invalid_characters()
        elif request.path_info.startswith(API_PREFIX) and content_type != "multipart/form-data":
            self._check_json(request)

    @staticmethod
    def _measure_unannounced_body(request: HttpRequest, content_type: str) -> None:
        """A chunked body without Content-Length: ASGI buffered it, so its size is known. Refuse it
        when too large, else announce its length so that Django's parsers read it."""
        size = _buffered_size(request)
        if not size:
            return
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if content_type == "multipart/form-data":
            limit = settings.HAVEN.max_upload_bytes + MULTIPART_SLACK
        if size > limit:
            raise body_too_large(limit)
        request.META["CONTENT_LENGTH"] = str(size)

    @staticmethod
    def _check_json(request: HttpRequest) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise body_too_large(limit)
        try:
            raw = request.body
        except RequestDataTooBig as exc:
            raise body_too_large(limit) from exc
        if not raw.strip():
            return
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            if b"\x00" in raw:
                raise invalid_characters() from None
            return  # not JSON: the API's own parser answers 400 with its message
        if not isinstance(data, dict):
            raise InvalidInput(_("The request body must be a JSON object."), code="invalid_body")
        if has_bad_json(data):
            raise invalid_characters()
