"""Reads of recommend: followed topics (more below: "not interested" lists)."""

from __future__ import annotations

from haven.recommend.models import TopicFollow


def followed_topics(user_id: int | None) -> list[str]:
    """The topic names member `user_id` follows, newest first (none for anonymous viewers)."""
    if user_id is None:
        return []
    return list(
        TopicFollow.objects.filter(user_id=user_id).order_by("-created_at").values_list("topic", flat=True)
    )
