"""Writes of recommend: followed topics (more below: interaction events, "not interested")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput
from haven.core.text import HASHTAG_RE, normalize_tag
from haven.recommend.models import TopicFollow

MAX_FOLLOWED_TOPICS = 200


def topic_name(raw: str) -> str:
    """The normalized hashtag name of `raw` ("#Coffee" -> "coffee"); InvalidInput `invalid_tag` if none."""
    text = (raw or "").strip()
    if len(text) > 70:
        raise InvalidInput(_("That topic name is too long."), code="invalid_tag")
    name = normalize_tag(text.lstrip("#").rstrip("#"))
    match = HASHTAG_RE.fullmatch(f"#{name}")
    if not name or match is None or match.group(1) != name:
        raise InvalidInput(_("That is not a valid topic."), code="invalid_tag")
    return name


def topic_follow(*, user: Any, topic: str, source: str = TopicFollow.Source.TOPIC_PAGE) -> bool:
    """Follow `topic` (idempotent); True when newly followed. InvalidInput `too_many_topics` past the cap."""
    name = topic_name(topic)
    if source not in TopicFollow.Source.values:
        raise InvalidInput(_("Unknown source."), code="invalid_source")
    with transaction.atomic():
        if TopicFollow.objects.filter(user_id=user.pk, topic=name).exists():
            return False
        if TopicFollow.objects.filter(user_id=user.pk).count() >= MAX_FOLLOWED_TOPICS:
            raise InvalidInput(
                _("You follow as many topics as you can (%(n)d).") % {"n": MAX_FOLLOWED_TOPICS},
                code="too_many_topics",
            )
        _row, created = TopicFollow.objects.get_or_create(
            user_id=user.pk, topic=name, defaults={"source": source}
        )
    return created


def topic_unfollow(*, user: Any, topic: str) -> bool:
    """Stop following `topic`; True when something was removed (idempotent)."""
    deleted, _rows = TopicFollow.objects.filter(user_id=user.pk, topic=topic_name(topic)).delete()
    return deleted > 0


def topic_follows_set(*, user: Any, topics: Iterable[str], source: str) -> list[str]:
    """Follow each of `topics` (bounded by the cap; invalid names skipped); returns the names now followed
    from this call, in order (onboarding and imports use it)."""
    added: list[str] = []
    for raw in list(topics)[:MAX_FOLLOWED_TOPICS]:
        try:
            name = topic_name(raw)
            if topic_follow(user=user, topic=name, source=source):
                added.append(name)
        except InvalidInput as exc:
            if exc.code == "too_many_topics":
                break
    return added
