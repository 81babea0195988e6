"""Template filters of video notes in feeds: a video's length as a card badge shows it."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def duration(milliseconds: Any) -> str:
    """A length in milliseconds as m:ss (h:mm:ss from an hour): 61500 -> "1:01"; "" when unknown."""
    try:
        total = int(milliseconds) // 1000
    except (TypeError, ValueError):
        return ""
    if total < 0:
        return ""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
