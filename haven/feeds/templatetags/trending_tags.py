"""Template tags of feeds: the trending topics strip on Discover."""

from __future__ import annotations

from typing import Any

from django import template

from haven.feeds import trending

register = template.Library()
STRIP_SIZE = 8


@register.inclusion_tag("feeds/_trending_strip.html", takes_context=True)
def trending_strip(context: dict[str, Any]) -> dict[str, Any]:
    """Up to STRIP_SIZE trending topics (all languages) as chips; one query."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"topics": trending.trending_topics(viewer, "all", limit=STRIP_SIZE)}
