"""Writes of account security: tracked sign-in sessions (list, revoke, end all) and login history.

Django's sessions cannot be listed per member, so every signed-in session gets a `UserSession` row
(recorded by `SessionTrackingMiddleware` the first time it sees the session, so every way of logging
in is covered). The row keeps the session key sealed; revoking deletes the session from the session
store, so the browser is anonymous on its very next request. The middleware also touches
`last_seen_at` at most once per SESSION_TOUCH_INTERVAL and logs out a session whose row is gone.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts import sealing
from haven.accounts.models import LoginEvent, User, UserSession
from haven.core import ratelimit
from haven.core.errors import NotFound

SESSION_TOUCH_INTERVAL: Final = timedelta(minutes=5)
# The session's own record of its tracking row: [row id, key hash prefix, last touch (epoch seconds)].
SESSION_MARK: Final = "_haven_us"
MAX_USER_AGENT: Final = 300
MAX_LABEL: Final = 60
ERASE_SCAN_BATCH: Final = 500
ERASE_SCAN_MAX: Final = 200_000
LOCKOUT_EVENT_EVERY: Final = 60  # at most one "locked out" row a minute per account


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------------------------
# Where a request comes from


def request_ip(request: HttpRequest) -> str | None:
    """The client address (trusted proxies honoured, ratelimit.client_ip), or None when not an IP."""
    raw = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def request_user_agent(request: HttpRequest) -> str:
    raw = str(request.headers.get("User-Agent", "") or "")[:MAX_USER_AGENT]
    return "".join(ch for ch in raw if ch.isprintable())


_BROWSERS: Final = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("MicroMessenger/", "WeChat"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS: Final = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
_CLIENTS: Final = re.compile(r"^(curl|python-requests|httpie|okhttp|Dart|Haven)[/ ]", re.IGNORECASE)


def device_label(user_agent: str) -> str:
    """A short, human label for a user agent ("Firefox on Android"); "" when nothing is recognised."""
    ua = user_agent or ""
    client = _CLIENTS.match(ua)
    if client:
        return client.group(1)[:MAX_LABEL]
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return (browser or system)[:MAX_LABEL]


# ----------------------------------------------------------------------------------------------
# Tracked sessions


def _mark(row: UserSession, session_key: str, now: datetime) -> list[Any]:
    return [row.pk, key_hash(session_key)[:16], int(now.timestamp())]


def session_record(*, request: HttpRequest, user: User) -> UserSession | None:
    """Track the request's signed-in session (idempotent: an already tracked key is reused).

    Called by the middleware (and right after login by the login views); the session must carry a key.
    Past UserSession.MAX_PER_USER the member's least recently seen sessions are ended.
    """
    session = request.session  # type: ignore[attr-defined]
    key = session.session_key
    if not key:
        return None
    now = timezone.now()
    agent = request_user_agent(request)
    row, _created = UserSession.objects.get_or_create(
        key_hash=key_hash(key),
        defaults={
            "user": user,
            "key_sealed": sealing.seal(key),
            "last_seen_at": now,
            "user_agent": agent,
            "ip_address": request_ip(request),
            "label": device_label(agent)[:MAX_LABEL],
        },
    )
    if row.user_id != user.pk:  # a reused key of someone else (should not happen): start afresh
        row.delete()
        return session_record(request=request, user=user)
    session[SESSION_MARK] = _mark(row, key, now)
    if _created:
        extra = list(
            UserSession.objects.filter(user=user)
            .order_by("-last_seen_at", "-pk")
            .values_list("pk", flat=True)[UserSession.MAX_PER_USER :]
        )
        if extra:
            _end(UserSession.objects.filter(pk__in=extra))
    return row


def session_rekey(*, request: HttpRequest, row_id: int, user: User) -> bool:
    """The session's key changed (login or password change cycles it): point its row at the new key.

    Returns False when the row is gone (the session was revoked).
    """
    session = request.session  # type: ignore[attr-defined]
    key = session.session_key
    if not key:
        return True
    now = timezone.now()
    updated = UserSession.objects.filter(pk=row_id, user=user).update(
        key_hash=key_hash(key), key_sealed=sealing.seal(key), last_seen_at=now
    )
    if updated:
        session[SESSION_MARK] = [row_id, key_hash(key)[:16], int(now.timestamp())]
    return bool(updated)


def session_touch(*, row_id: int, user_id: int) -> bool:
    """Record that a tracked session was used now (one UPDATE); False when its row is gone."""
    return bool(UserSession.objects.filter(pk=row_id, user_id=user_id).update(last_seen_at=timezone.now()))


def current_session_id(request: HttpRequest) -> int | None:
    """The tracked row id of the request's own session, when it has one."""
    session = getattr(request, "session", None)
    mark = session.get(SESSION_MARK) if session is not None else None
    if isinstance(mark, list) and mark and isinstance(mark[0], int):
        return mark[0]
    return None


def _end(rows: Any) -> int:
    """Delete tracked rows and their sessions from the session store; returns how many rows went."""
    ended = 0
    for row in list(rows[: UserSession.MAX_PER_USER * 4]):
        key = sealing.unseal(row.key_sealed)
        if key:
            _store(key).delete(key)
        ended += 1
        row.delete()
    return ended


def session_revoke(*, user: User, session_id: int) -> None:
    """End one of the member's sessions: it is signed out on its next request (someone else's: NotFound)."""
    with transaction.atomic():
        rows = UserSession.objects.filter(user=user, pk=session_id)
        if not _end(rows):
            raise NotFound(_("No such session."), code="not_found")


def sessions_end_all(*, user: User, keep_session_key: str | None = None) -> int:
    """End every tracked session of the member but the one with `keep_session_key`; returns how many.

    Called for "log out everywhere", after a password change (keeping the current session) and by
    account deletion (keeping none).
    """
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(key_hash=key_hash(keep_session_key))
    total = 0
    while True:
        ended = _end(rows.order_by("pk"))
        total += ended
        if ended < UserSession.MAX_PER_USER * 4:
            return total


def session_forget(*, row_id: int | None) -> None:
    """Drop the tracking row of a session that is logging out (the session itself is flushed by Django)."""
    if row_id is not None:
        UserSession.objects.filter(pk=row_id).delete()


def user_sessions_prune_stale(*, older_than: datetime | None = None) -> int:
    """Delete tracked sessions not seen since `older_than` (default: SESSION_COOKIE_AGE ago).

    Their sessions have expired (or were never going to be used again); the store's own cleanup
    (`clearsessions`) removes the session rows. Returns how many tracking rows went.
    """
    cutoff = older_than or timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    stale = UserSession.objects.filter(last_seen_at__lt=cutoff)
    total = 0
    while True:
        ids = list(stale.values_list("pk", flat=True)[:1000])
        if not ids:
            return total
        for row in UserSession.objects.filter(pk__in=ids):
            key = sealing.unseal(row.key_sealed)
            if key:
                _store(key).delete(key)
        total += UserSession.objects.filter(pk__in=ids).delete()[0]


def sessions_erase(user: User) -> int:
    """Personal-data eraser of `sessions.Session`: every session of the member, tracked or not.

    Tracked sessions go through their rows; with the database session store, any session still
    carrying the member's id is found by a bounded, batched scan of unexpired sessions.
    """
    count = sessions_end_all(user=user)
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return count
    from django.contrib.sessions.models import Session

    wanted = str(user.pk)
    last = ""
    scanned = 0
    store = _store()
    while scanned < ERASE_SCAN_MAX:
        batch = list(
            Session.objects.filter(session_key__gt=last, expire_date__gt=timezone.now())
            .order_by("session_key")
            .values_list("session_key", "session_data")[:ERASE_SCAN_BATCH]
        )
        if not batch:
            break
        scanned += len(batch)
        last = batch[-1][0]
        doomed = [key for key, data in batch if str(store.decode(data).get(SESSION_KEY, "")) == wanted]
        for key in doomed:
            _store(key).delete(key)
        count += len(doomed)
    return count


# ----------------------------------------------------------------------------------------------
# Login history


def login_event_record(
    *, request: HttpRequest | None, user: User | int, outcome: str, method: str
) -> LoginEvent | None:
    """Append one row to the member's login history.

    "Locked out" is recorded at most once a minute per account, so an attack cannot flood the history.
    """
    user_id = user if isinstance(user, int) else user.pk
    if outcome == LoginEvent.Outcome.LOCKED_OUT and not cache.add(
        f"accounts:lockout_event:{user_id}", 1, LOCKOUT_EVENT_EVERY
    ):
        return None
    return LoginEvent.objects.create(
        user_id=user_id,
        at=timezone.now(),
        ip_address=request_ip(request) if request is not None else None,
        user_agent=request_user_agent(request) if request is not None else "",
        outcome=outcome,
        method=method,
    )


def login_events_prune(*, older_than: datetime) -> int:
    """Delete login history older than `older_than` (in batches); returns how many rows went."""
    total = 0
    while True:
        ids = list(LoginEvent.objects.filter(at__lt=older_than).values_list("pk", flat=True)[:5000])
        if not ids:
            return total
        total += LoginEvent.objects.filter(pk__in=ids).delete()[0]


# ----------------------------------------------------------------------------------------------
# Completing a sign-in


MODEL_BACKEND: Final = "django.contrib.auth.backends.ModelBackend"


def login_complete(*, request: HttpRequest, user: User, method: str) -> None:
    """Sign the browser session in (after every factor passed), track it and record the login."""
    from django.contrib.auth import login

    from haven.accounts.twofactor import pending_login_clear

    pending_login_clear(request)
    login(request, user, backend=MODEL_BACKEND)  # the user_logged_in receiver tracks the session
    login_event_record(request=request, user=user, outcome=LoginEvent.Outcome.SUCCESS, method=method)
