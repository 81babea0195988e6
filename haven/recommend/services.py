"""Writes of recommend: followed topics, interaction events, "not interested" choices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import consent
from haven.core.errors import InvalidInput, NotFound
from haven.core.text import HASHTAG_RE, normalize_tag
from haven.graph.access import can_view_profile
from haven.notes.access import MAX_ID, get_visible_note, parse_id
from haven.recommend import serving
from haven.recommend.events import EventRow, buffer_rows
from haven.recommend.models import EventKind, NotInterested, TopicFollow

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
    if created:
        serving.ranking_invalidate(user.pk)  # the next Discover page is ranked with the topic
    return created


def topic_unfollow(*, user: Any, topic: str) -> bool:
    """Stop following `topic`; True when something was removed (idempotent)."""
    deleted, _rows = TopicFollow.objects.filter(user_id=user.pk, topic=topic_name(topic)).delete()
    if deleted:
        serving.ranking_invalidate(user.pk)
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


# ----------------------------------------------------------------------------------------------
# Interaction events (recommend.events buffers them)

MAX_EVENTS_PER_CALL = 50
MAX_DWELL_MS = 30 * 60 * 1000  # a dwell longer than 30 minutes counts as 30 minutes
MAX_EVENT_VALUE = 100_000  # other values (an impression's position) are capped here
MAX_SOURCE_LENGTH = 16
MAX_MODEL_VERSION_LENGTH = 64
#: What a browser or app may report; likes, saves and comments are read from engagement's own tables.
CLIENT_KINDS = frozenset({EventKind.IMPRESSION, EventKind.OPEN, EventKind.DWELL, EventKind.SHARE})
_KIND_BY_NAME = {kind.label: kind for kind in EventKind}
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_.:+-]*$")


def _invalid_event(index: int, why: str) -> InvalidInput:
    return InvalidInput(
        _("Event %(n)d is not valid: %(why)s") % {"n": index + 1, "why": why},
        code="invalid_event",
        details={"index": index},
    )


def _event_kind(raw: Any) -> EventKind | None:
    if isinstance(raw, EventKind):
        return raw
    if isinstance(raw, str):
        return _KIND_BY_NAME.get(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in EventKind.values:
        return EventKind(raw)
    return None


def _event_text(event: dict[str, Any], key: str, limit: int, index: int) -> str:
    value = event.get(key) or ""
    if not isinstance(value, str) or len(value) > limit or not _TOKEN_RE.match(value):
        raise _invalid_event(
            index, _("%(field)s must be at most %(n)d letters, digits or _.:+-") % {"field": key, "n": limit}
        )
    return value


def _event_row(user_id: int, event: Any, index: int, now: datetime) -> EventRow:
    if not isinstance(event, dict):
        raise _invalid_event(index, _("not an object"))
    kind = _event_kind(event.get("kind"))
    if kind is None:
        raise _invalid_event(index, _("unknown kind"))
    note_id = event.get("note_id")
    if not isinstance(note_id, int) or isinstance(note_id, bool) or not 1 <= note_id <= MAX_ID:
        raise _invalid_event(index, _("note_id must be a note's id"))
    value = event.get("value") or 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid_event(index, _("value must be a whole number, 0 or more"))
    value = min(value, MAX_DWELL_MS if kind == EventKind.DWELL else MAX_EVENT_VALUE)
    source = _event_text(event, "source", MAX_SOURCE_LENGTH, index)
    version = _event_text(event, "model_version", MAX_MODEL_VERSION_LENGTH, index)
    return EventRow(int(user_id), note_id, int(kind), value, source, version, now)


def events_record(*, user_id: int, events: list[dict[str, Any]]) -> int:
    """Validate and record a member's interaction events; returns how many were accepted.

    Each event: {"kind": "impression" | "open" | "dwell" | "share" | ... (an EventKind name or value),
    "note_id": int, "value": int (dwell milliseconds, capped at 30 minutes; else a position),
    "source": str <= 16, "model_version": str <= 64}. At most MAX_EVENTS_PER_CALL per call; one invalid
    event refuses the call (InvalidInput `invalid_event` / `too_many_events`). A member who refused
    consent.PERSONALISED_RECOMMENDATIONS records nothing but explicit NOT_INTERESTED events. Buffered
    in Redis in the scaled profile (recommend.events); events of notes that are gone are dropped when
    written. The note's visibility is not checked here: training reads through notes.access.
    """
    if not isinstance(events, list):
        raise InvalidInput(_("Events must be a list."), code="invalid_event")
    if len(events) > MAX_EVENTS_PER_CALL:
        raise InvalidInput(
            _("Send at most %(n)d events at a time.") % {"n": MAX_EVENTS_PER_CALL}, code="too_many_events"
        )
    now = timezone.now()
    rows = [_event_row(user_id, event, i, now) for i, event in enumerate(events)]
    implicit = any(r.kind != EventKind.NOT_INTERESTED for r in rows)
    if implicit and not consent.consent_granted(int(user_id), consent.PERSONALISED_RECOMMENDATIONS):
        rows = [r for r in rows if r.kind == EventKind.NOT_INTERESTED]
    buffer_rows(rows)
    return len(rows)


# ----------------------------------------------------------------------------------------------
# "Not interested"

MAX_NOT_INTERESTED = 1000  # per member; past it the oldest choice is dropped to make room


def _not_interested_target(
    user: Any, kind: str, note_id: Any, author_id: Any, topic: str | None
) -> dict[str, Any]:
    if kind == NotInterested.Kind.NOTE:
        if note_id is None:
            raise InvalidInput(_("Say which note."), code="invalid_input")
        note = get_visible_note(user, note_id)
        return {"note_id": note.pk}
    if kind == NotInterested.Kind.AUTHOR:
        pk = parse_id(author_id) if author_id is not None else None
        if pk is None:
            raise InvalidInput(_("Say which member."), code="invalid_input")
        if pk == user.pk:
            raise InvalidInput(_("You cannot hide yourself."), code="cannot_target_self")
        author = User.objects.filter(pk=pk).first()
        if author is None or not can_view_profile(user, author):
            raise NotFound(_("No such member."), code="not_found")
        return {"author_id": author.pk}
    if kind == NotInterested.Kind.TOPIC:
        if not topic:
            raise InvalidInput(_("Say which topic."), code="invalid_input")
        return {"topic": topic_name(topic)}
    raise InvalidInput(_("Choose a note, a member or a topic."), code="invalid_input")


def not_interested_add(
    *,
    user: Any,
    kind: str,
    note_id: int | None = None,
    author_id: int | None = None,
    topic: str | None = None,
    source_note_id: int | None = None,
) -> NotInterested:
    """Record that `user` does not want to see this note, this author or this topic (idempotent: the
    existing row is returned). The note must be visible to the member and the author a member they
    may see (NotFound otherwise, missing or hidden alike); oneself is InvalidInput `cannot_target_self`;
    a topic is normalized (services.topic_name). At most MAX_NOT_INTERESTED rows per member: adding
    one more drops the oldest. Also records a NOT_INTERESTED event on the note (or on
    `source_note_id`, the card the choice was made from, for an author or a topic).
    """
    target = _not_interested_target(user, kind, note_id, author_id, topic)
    with transaction.atomic():
        row = NotInterested.objects.filter(user_id=user.pk, kind=kind, **target).first()
        if row is not None:
            return row
        try:
            with transaction.atomic():
                row = NotInterested.objects.create(user_id=user.pk, kind=kind, **target)
        except IntegrityError:  # a concurrent identical choice won
            return NotInterested.objects.get(user_id=user.pk, kind=kind, **target)
        stale = list(
            NotInterested.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[MAX_NOT_INTERESTED : MAX_NOT_INTERESTED + 100]
        )
        if stale:
            NotInterested.objects.filter(pk__in=stale).delete()
    event_note = target.get("note_id") or (parse_id(source_note_id) if source_note_id is not None else None)
    if event_note:
        events_record(
            user_id=user.pk,
            events=[{"kind": EventKind.NOT_INTERESTED, "note_id": event_note, "source": kind}],
        )
    serving.ranking_invalidate(user.pk)  # the next Discover page is ranked again without it
    return row


def not_interested_remove(*, user: Any, item_id: Any) -> None:
    """Take back one of the member's "not interested" choices; NotFound when it is not theirs."""
    pk = parse_id(item_id)
    deleted, _rows = NotInterested.objects.filter(user_id=user.pk, pk=pk).delete() if pk else (0, {})
    if not deleted:
        raise NotFound(_("That choice is not in your list."), code="not_found")
    serving.ranking_invalidate(user.pk)
