"""Reads of notifications: the grouped inbox, the unread badge count and each entry's human text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from haven.accounts.models import User
from haven.accounts.selectors import avatar_url
from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor, invalid_cursor
from haven.notifications import access
from haven.notifications.models import Notification

Verb = Notification.Verb

INBOX_WINDOW = 200  # rows read per inbox page (grouped in Python into at most `limit` entries)
MAX_ACTORS_SHOWN = 3
UNREAD_SCAN = 500  # newest unread rows checked against the visibility filters for the badge
UNREAD_LIMIT = 100  # unread_count never counts past this; show "99+" above 99


@dataclass(frozen=True)
class ActorSummary:
    id: int
    username: str
    display_name: str
    avatar_url: str

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass
class NotificationGroup:
    """One inbox entry: every row sharing a group_key (e.g. all likes of one note)."""

    group_key: str
    verb: str
    note_id: int | None
    comment_id: int | None
    created_at: datetime  # the newest row of the group
    unread: bool
    actor_count: int
    actors: list[ActorSummary] = field(default_factory=list)  # newest first, at most MAX_ACTORS_SHOWN
    target: str = ""  # commerce entries: "order:42:shipped"


CURSOR_SCOPE = "notifications.inbox"


def _decode_position(cursor: str | None) -> tuple[datetime, int] | None:
    data = decode_cursor(cursor, scope=CURSOR_SCOPE)
    if data is None:
        return None
    try:
        return datetime.fromisoformat(str(data["t"])), int(data["i"])
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_cursor() from exc


def _encode_position(row: Notification) -> str:
    return encode_cursor({"t": row.created_at.isoformat(), "i": row.pk}, scope=CURSOR_SCOPE)


def _older_than(at: datetime, pk: int) -> Q:
    return Q(created_at__lt=at) | Q(created_at=at, id__lt=pk)


def inbox(user: User, *, cursor: str | None = None, limit: int = 20) -> Page[NotificationGroup]:
    """The member's notifications grouped by group_key, newest group first, in cursor pages.

    Each page reads one bounded window of rows (newest first, after the cursor), leaving out in SQL
    the groups already shown on earlier pages, runs the visibility filters over the window, and folds
    it into groups in Python; a second query counts actors and unread rows of the page's groups. Query
    count is constant per page. A page may hold fewer than `limit` groups when one very large group
    fills the window: keep following `next_cursor` (None at the end).
    """
    limit = clamp_page_size(limit)
    position = _decode_position(cursor)
    rows_qs = Notification.objects.filter(recipient=user)
    if position is not None:
        shown_keys = (
            Notification.objects.filter(recipient=user).exclude(_older_than(*position)).values("group_key")
        )
        rows_qs = rows_qs.filter(_older_than(*position)).exclude(group_key__in=shown_keys)
    window_size = max(INBOX_WINDOW, limit * 4)
    window = list(rows_qs.select_related("actor").order_by("-created_at", "-id")[:window_size])
    if not window:
        return Page(items=[], next_cursor=None)

    visible_rows = access.visible(user, window)
    by_key: dict[str, list[Notification]] = {}
    for row in visible_rows:
        by_key.setdefault(row.group_key, []).append(row)
    page_keys = list(by_key)[:limit]

    if len(by_key) > limit:
        # Resume right after the newest row of this page's last group; every newer row belongs to a
        # group on this page or an earlier one (or was hidden), and those groups are left out next time.
        next_cursor: str | None = _encode_position(by_key[page_keys[-1]][0])
    elif len(window) == window_size:
        next_cursor = _encode_position(window[-1])
    else:
        next_cursor = None
    if not page_keys:
        return Page(items=[], next_cursor=next_cursor)

    totals: dict[str, dict[str, Any]] = {
        r["group_key"]: dict(r)
        for r in Notification.objects.filter(recipient=user, group_key__in=page_keys)
        .values("group_key")
        .annotate(n=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    }
    kept_ids = {r.pk for r in visible_rows}
    hidden_per_key: dict[str, int] = {}
    for row in window:
        if row.pk not in kept_ids:
            hidden_per_key[row.group_key] = hidden_per_key.get(row.group_key, 0) + 1

    items: list[NotificationGroup] = []
    for key in page_keys:
        rows = by_key[key]
        head = rows[0]
        total = totals.get(key, {"n": len(rows), "unread": 0})
        items.append(
            NotificationGroup(
                group_key=key,
                verb=head.verb,
                note_id=head.note_id,
                target=head.target,
                comment_id=head.comment_id,
                created_at=head.created_at,
                unread=bool(total["unread"]) or any(r.read_at is None for r in rows),
                actor_count=max(len(rows), int(total["n"]) - hidden_per_key.get(key, 0)),
                actors=[] if head.verb == Verb.SAFETY else [_actor(r.actor) for r in rows[:MAX_ACTORS_SHOWN]],
            )
        )
    return Page(items=items, next_cursor=next_cursor)


def _actor(user: User) -> ActorSummary:
    return ActorSummary(
        id=user.pk, username=user.username, display_name=user.display_name, avatar_url=avatar_url(user)
    )


def unread_count(user: User) -> int:
    """How many inbox entries (groups) are unread; at most UNREAD_LIMIT (show "99+" above 99).

    The newest UNREAD_SCAN unread rows go through the visibility filters, so a hidden entry never
    lights the badge; past that many unread rows the count falls back to one bounded DISTINCT query.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    rows = list(unread.order_by("-created_at", "-id")[:UNREAD_SCAN])
    keys = {r.group_key for r in access.visible(user, rows)}
    count = len(keys)
    if len(rows) == UNREAD_SCAN and count < UNREAD_LIMIT:
        distinct = unread.order_by().values("group_key").distinct()[:UNREAD_LIMIT]
        count = max(count, distinct.count())
    return min(count, UNREAD_LIMIT)


_texts: dict[str, Any] = {}


def register_text(verb: str, text: Any) -> None:
    """Let a higher app word the entries of `verb` it sends: text(group) -> str (already translated)."""
    _texts[verb] = text


def group_text(group: NotificationGroup) -> str:
    """The entry's sentence in the active language, e.g. "Ann and 11 others liked your note".

    Placeholders: {name} (newest actor), {count} (the others), {total} (everyone) — translators pick,
    e.g. zh-Hans "{name} 等 {total} 人赞了你的笔记".
    """
    name = group.actors[0].name if group.actors else gettext("Someone")
    total = max(group.actor_count, 1)
    others = total - 1
    verb = group.verb
    if verb in _texts:
        return str(_texts[verb](group)).format(name=name, count=others, total=total)
    if verb == Verb.LIKE_NOTE:
        if others:
            text = ngettext(
                "{name} and {count} other liked your note",
                "{name} and {count} others liked your note",
                others,
            )
        else:
            text = gettext("{name} liked your note")
    elif verb == Verb.LIKE_COMMENT:
        if others:
            text = ngettext(
                "{name} and {count} other liked your comment",
                "{name} and {count} others liked your comment",
                others,
            )
        else:
            text = gettext("{name} liked your comment")
    elif verb == Verb.FOLLOW:
        if others:
            text = ngettext(
                "{name} and {count} other started following you",
                "{name} and {count} others started following you",
                others,
            )
        else:
            text = gettext("{name} started following you")
    elif verb == Verb.COMMENT:
        text = gettext("{name} commented on your note")
    elif verb == Verb.REPLY:
        text = gettext("{name} replied to your comment")
    elif verb == Verb.MENTION:
        text = gettext("{name} mentioned you")
    elif verb == Verb.FOLLOW_REQUEST:
        text = gettext("{name} asked to follow you")
    elif verb == Verb.FOLLOW_ACCEPTED:
        text = gettext("{name} accepted your follow request")
    elif verb == Verb.SAFETY:
        text = gettext("Haven Safety: there is news about a report you made or about your content")
    else:
        text = gettext("{name} sent you a notification")
    return text.format(name=name, count=others, total=total)
