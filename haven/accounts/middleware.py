"""Middleware: activate the signed-in member's interface language; keep their session's tracking row."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeGuard

from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from haven.accounts import sessions
from haven.accounts.models import User


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a member's saved interface language wins.

    Anonymous visitors keep LocaleMiddleware's choice (the django_language cookie set by
    /i18n/setlang/, then Accept-Language). Bearer-token API calls are handled in accounts.auth.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "interface_language", "")
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionTrackingMiddleware:
    """After AuthenticationMiddleware: keep the signed-in session's `UserSession` row in step.

    Costs no query on an ordinary request: the session's own mark (SESSION_MARK, loaded with the
    session) says which row it is and when it was last touched. At most once per
    SESSION_TOUCH_INTERVAL it updates `last_seen_at`; when that finds no row, the session was revoked
    and is flushed at once. A session seen without a mark (just logged in, by any path) is recorded
    after the view; a session that logged out during the request loses its row.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        mark_id = self._before(request)
        response = self.get_response(request)
        self._after(request, mark_id)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated or not isinstance(user, User):
            return None
        if getattr(request, "api_token", None) is not None or session.get(SESSION_KEY) != str(user.pk):
            return None
        return user

    def _before(self, request: HttpRequest) -> int | None:
        user = self._signed_in(request)
        if user is None:
            return None
        session = request.session
        mark = session.get(sessions.SESSION_MARK)
        if not _valid_mark(mark):
            return None
        alive = True
        key = session.session_key or ""
        if sessions.key_hash(key)[:16] != mark[1]:
            alive = sessions.session_rekey(request=request, row_id=mark[0], user=user)
        elif time.time() - mark[2] >= sessions.SESSION_TOUCH_INTERVAL.total_seconds():
            alive = sessions.session_touch(row_id=mark[0], user_id=user.pk)
            if alive:
                session[sessions.SESSION_MARK] = [mark[0], mark[1], int(time.time())]
        if not alive:  # revoked: this request and every later one are anonymous
            logout(request)
            return None
        return int(mark[0])

    def _after(self, request: HttpRequest, mark_id: int | None) -> None:
        user = self._signed_in(request)
        session = getattr(request, "session", None)
        if user is None:
            if mark_id is not None:  # logged out during this request
                sessions.session_forget(row_id=mark_id)
            return
        mark = session.get(sessions.SESSION_MARK) if session is not None else None
        if not _valid_mark(mark):
            sessions.session_record(request=request, user=user)
        elif sessions.key_hash(request.session.session_key or "")[:16] != mark[
            1
        ] and not sessions.session_rekey(request=request, row_id=mark[0], user=user):
            # The key was cycled during the request (password change) and its row is gone: forget
            # the stale mark so that the next request records the session afresh.
            del request.session[sessions.SESSION_MARK]


def _valid_mark(mark: object) -> TypeGuard[list[Any]]:
    return (
        isinstance(mark, list)
        and len(mark) == 3
        and isinstance(mark[0], int)
        and isinstance(mark[1], str)
        and isinstance(mark[2], int)
    )
