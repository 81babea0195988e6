"""Template helpers shared by every page: navigation state, avatars, compact counts, card ratios."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

_AVATAR_COLORS = ["#f97362", "#f59e0b", "#10b981", "#0ea5e9", "#6366f1", "#a855f7", "#ec4899", "#14b8a6"]
_SIZES = {"xs": "avatar-xs", "sm": "", "lg": "avatar-lg", "xl": "avatar-xl"}


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context) -> dict[str, Any]:
    """Which section is current, and the unread notification and message counts of the signed-in member."""
    request = context.get("request")
    section = context.get("nav_section", "")
    unread = messages = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from haven.messaging.selectors import badge_count
        from haven.notifications.selectors import unread_count

        unread = unread_count(user)
        messages = badge_count(user)
    return {
        "section": section,
        "unread": unread,
        "unread_display": "99+" if unread > 99 else str(unread),
        "messages": messages,
        "messages_display": "99+" if messages > 99 else str(messages),
    }


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, "")
    return getattr(obj, name, "")


@register.simple_tag
def avatar(person: Any, size: str = "sm") -> str:
    """An avatar image, or a coloured initial when the member has none. Accepts a User or a dict."""
    username = str(_field(person, "username") or "?")
    name = str(_field(person, "display_name") or username)
    url = _field(person, "avatar_url")
    if not url and not isinstance(person, dict):
        avatar_path = getattr(person, "avatar", "")
        if avatar_path:
            from django.core.files.storage import default_storage

            url = default_storage.url(avatar_path)
    cls = f"avatar {_SIZES.get(size, '')}".strip()
    if url:
        return format_html('<img class="{}" src="{}" alt="" loading="lazy">', cls, url)
    color = _AVATAR_COLORS[int(hashlib.md5(username.encode(), usedforsecurity=False).hexdigest(), 16) % 8]
    return format_html(
        '<span class="{}" style="background:{}" aria-hidden="true">{}</span>', cls, color, name[:1].upper()
    )


@register.filter
def compact(value: Any) -> str:
    """1234 -> 1.2k (English) or 1.2万 above 10,000 (Chinese)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    if (get_language() or "en").startswith("zh"):
        if n >= 100_000_000:
            return f"{n / 100_000_000:.1f}".rstrip("0").rstrip(".") + "亿"
        if n >= 10_000:
            return f"{n / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
        return str(n)
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    if n >= 1_000:
        return f"{n / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    return str(n)


@register.filter
def card_ratio(cover: Any) -> float:
    """Width/height of a feed card's cover, clamped to 3:4 .. 4:3 as RedNote does."""
    w = _field(cover, "width") or 3
    h = _field(cover, "height") or 4
    try:
        r = float(w) / float(h)
    except (TypeError, ValueError, ZeroDivisionError):
        r = 0.75
    return round(min(max(r, 0.75), 4 / 3), 4)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]` in a template ("" when missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.simple_tag(takes_context=True)
def moderation_notice(context: template.Context, kind: str, obj: Any) -> str:
    """What moderation decided about `obj` (a note or comment), for its author only: held for review,
    removed (a tombstone with the reason and a link to appeal), limited or marked sensitive. Costs a
    query only for content moderation touched."""
    request = context.get("request")
    viewer_id = getattr(getattr(request, "user", None), "pk", None)
    state = getattr(obj, "moderation", "ok")
    sensitive = bool(getattr(obj, "sensitive", False))
    if viewer_id is None or viewer_id != getattr(obj, "author_id", None) or (state == "ok" and not sensitive):
        return ""
    from django.template.loader import render_to_string

    from haven.moderation.models import ReportReason

    code = getattr(obj, "moderation_reason", "")
    reason = ReportReason.objects.filter(code=code).first() if code else None
    return render_to_string(
        "moderation/_notice.html",
        {
            "kind": kind,
            "state": state,
            "sensitive": sensitive,
            "reason": reason.label(get_language()) if reason else "",
        },
        request=request,
    )
