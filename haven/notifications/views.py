"""HTML views of notifications: the grouped inbox, marked read once it has been shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.notifications import selectors, services
from haven.notifications.models import Notification
from haven.notifications.selectors import NotificationGroup

PAGE_SIZE = 20
Verb = Notification.Verb

# note ids -> {"url", "thumb", "title"} for the notes the viewer may see. notifications sits below
# notes, so the web shell (which may read every app) registers the resolver; without one, entries
# simply show no thumbnail.
NotePreviews = Callable[[User, list[int]], dict[int, dict[str, str]]]
_note_previews: list[NotePreviews] = []

_NOTE_VERBS = frozenset({Verb.LIKE_NOTE, Verb.COMMENT, Verb.MENTION, Verb.REPLY, Verb.LIKE_COMMENT})


def register_note_previews(fn: NotePreviews) -> NotePreviews:
    """Set the function that resolves note thumbnails for the inbox (idempotent; the last one wins)."""
    _note_previews[:] = [fn]
    return fn


def _previews(user: User, groups: list[NotificationGroup]) -> dict[int, dict[str, str]]:
    note_ids = sorted({g.note_id for g in groups if g.note_id})
    if not note_ids or not _note_previews:
        return {}
    return _note_previews[0](user, note_ids)


def _sentence(group: NotificationGroup) -> SafeString:
    """The entry's translated sentence with the newest actor's name in bold (escaped)."""
    text = str(escape(selectors.group_text(group)))
    if group.actors:
        name = str(escape(group.actors[0].name))
        text = text.replace(name, f"<strong>{name}</strong>", 1)
    return mark_safe(text)  # every part was escaped above


_links: dict[str, Callable[[NotificationGroup], str]] = {}


def register_link(verb: str, link: Callable[[NotificationGroup], str]) -> None:
    """Let a higher app say where entries of `verb` lead (moderation: the member's safety page)."""
    _links[verb] = link


def _entry(group: NotificationGroup, previews: dict[int, dict[str, str]]) -> dict[str, Any]:
    preview = previews.get(group.note_id) if group.note_id else None
    first = group.actors[0] if group.actors else None
    if group.verb in _links:
        link = _links[group.verb](group)
    elif group.verb == Verb.FOLLOW_REQUEST:
        link = reverse("graph:requests")
    elif preview:
        link = preview["url"]
        if group.verb in (Verb.COMMENT, Verb.REPLY, Verb.LIKE_COMMENT) and group.comment_id:
            link += f"#comment-{group.comment_id}"
    elif first is not None:
        link = reverse("web:profile", args=[first.username])
    else:
        link = ""
    icons: dict[str, str] = {
        Verb.LIKE_NOTE: "heart",
        Verb.LIKE_COMMENT: "heart",
        Verb.COMMENT: "comment",
        Verb.REPLY: "comment",
        Verb.MENTION: "comment",
        Verb.FOLLOW: "users",
        Verb.FOLLOW_REQUEST: "lock",
        Verb.FOLLOW_ACCEPTED: "users",
        Verb.SAFETY: "shield",
        Verb.ORDER: "bag",
        Verb.SHOP: "bag",
        Verb.PEOPLE_JOINED: "users",
    }
    icon = icons.get(group.verb, "bell")
    return {
        "group": group,
        "text": _sentence(group),
        "link": link,
        "icon": icon,
        "preview": preview,
        "is_request": group.verb == Verb.FOLLOW_REQUEST,
    }


@login_required
@never_cache
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The grouped inbox, newest first; the entries shown are marked read once rendered."""
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.inbox(user, cursor=cursor, limit=PAGE_SIZE)
    except HavenError as exc:
        return render(
            request,
            "notifications/inbox.html",
            {"error": exc.message, "nav_section": "notifications"},
            status=exc.status,
        )
    previews = _previews(user, page.items)
    entries = [_entry(g, previews) for g in page.items]
    next_url = f"{request.path}?cursor={page.next_cursor}" if page.next_cursor else ""
    context = {
        "entries": entries,
        "next_url": next_url,
        "nav_section": "notifications",
        "has_requests": user.is_private or any(e["is_request"] for e in entries),
    }
    if request.headers.get("HX-Request") == "true" and cursor:
        response = render(request, "notifications/_entries.html", {**context, "append": True})
    else:
        response = render(request, "notifications/inbox.html", context)
    keys = [g.group_key for g in page.items if g.unread]
    if keys:
        services.mark_read(user=user, group_keys=keys)
    return response
