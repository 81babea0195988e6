"""Reads of accounts: members by handle, API tokens, avatar URLs, sessions, login history, passkeys."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from haven.accounts.models import ApiToken, LoginEvent, Passkey, User, UserSession

MAX_LOOKUP_NAMES = 100
LOGIN_HISTORY_LIMIT = 50


def user_by_username(username: str) -> User | None:
    """The active member with this handle (case-insensitive), or None."""
    name = (username or "").strip().lower()
    if not name or len(name) > 30:
        return None
    return User.objects.filter(username=name, is_active=True).first()


def users_by_usernames(names: Iterable[str]) -> list[User]:
    """Active members among `names` (case-insensitive, at most MAX_LOOKUP_NAMES), in the given order."""
    wanted: list[str] = []
    for raw in names:
        name = (raw or "").strip().lower()
        if name and len(name) <= 30 and name not in wanted:
            wanted.append(name)
        if len(wanted) >= MAX_LOOKUP_NAMES:
            break
    if not wanted:
        return []
    found = {u.username: u for u in User.objects.filter(username__in=wanted, is_active=True)}
    return [found[n] for n in wanted if n in found]


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The member's active (not revoked) API tokens, newest first (at most ApiToken.MAX_PER_USER)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


def avatar_url(user: User) -> str:
    """Public URL of the member's avatar rendition, or "" when they have none."""
    return avatar_path_url(user.avatar)


def avatar_path_url(path: str) -> str:
    """Public URL of an avatar rendition stored at `path` (User.avatar), or "" for none."""
    return default_storage.url(path) if path else ""


def active_token(raw: str) -> ApiToken | None:
    """The live token whose secret is `raw` (`hv_<prefix>_<secret>`), with its active user, or None.

    One query on the unique token_hash index joined to the user, read on every request (no cache, so
    a revoked token or a suspended member is refused at once); no ORDER BY, the hash being unique.
    """
    if not raw.startswith("hv_") or len(raw) > 200:
        return None
    rows = ApiToken.objects.select_related("user").filter(
        token_hash=ApiToken.hash_secret(raw), revoked_at__isnull=True, user__is_active=True
    )[:1]
    return next(iter(rows), None)


def sessions_for(user: User) -> QuerySet[UserSession]:
    """The member's signed-in sessions, most recently used first (at most UserSession.MAX_PER_USER)."""
    return UserSession.objects.filter(user=user).order_by("-last_seen_at", "-pk")[: UserSession.MAX_PER_USER]


def login_history_for(user: User, *, limit: int = LOGIN_HISTORY_LIMIT) -> QuerySet[LoginEvent]:
    """The member's latest sign-in attempts, newest first (at most LOGIN_HISTORY_LIMIT)."""
    return LoginEvent.objects.filter(user=user).order_by("-at", "-pk")[
        : max(1, min(limit, LOGIN_HISTORY_LIMIT))
    ]


def passkeys_for(user: User) -> QuerySet[Passkey]:
    """The member's passkeys, oldest first (at most Passkey.MAX_PER_USER)."""
    return Passkey.objects.filter(user=user).order_by("created_at", "pk")[: Passkey.MAX_PER_USER]
