"""Reads of recommend: followed topics, "not interested" filters and lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BigIntegerField, CharField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from haven.core.compiled import CompiledQuery
from haven.core.errors import NotFound
from haven.core.pagination import Page
from haven.graph.models import Block, Follow, Mute
from haven.notes.access import visible_notes
from haven.notes.paging import keyset_page
from haven.recommend.models import NotInterested, TopicFollow


def followed_topics(user_id: int | None) -> list[str]:
    """The topic names member `user_id` follows, newest first (none for anonymous viewers)."""
    if user_id is None:
        return []
    return list(
        TopicFollow.objects.filter(user_id=user_id).order_by("-created_at").values_list("topic", flat=True)
    )


def follows_topic(user_id: int | None, topic: str) -> bool:
    """Whether member `user_id` follows `topic` (a normalized name); False for anonymous viewers."""
    return user_id is not None and TopicFollow.objects.filter(user_id=user_id, topic=topic).exists()


def not_interested_filters(user_id: int | None) -> tuple[set[int], set[int], set[str]]:
    """What member `user_id` asked not to see: (note ids, author ids, topic names), in ONE query.

    Discover's ranking drops these notes, notes by these authors and notes carrying these topics.
    Anonymous viewers (None) have none (no query).
    """
    notes: set[int] = set()
    authors: set[int] = set()
    topics: set[str] = set()
    if user_id is None:
        return notes, authors, topics
    rows = NotInterested.objects.filter(user_id=user_id).values_list("kind", "note_id", "author_id", "topic")
    for kind, note_id, author_id, topic in rows:
        if kind == NotInterested.Kind.NOTE and note_id:
            notes.add(note_id)
        elif kind == NotInterested.Kind.AUTHOR and author_id:
            authors.add(author_id)
        elif kind == NotInterested.Kind.TOPIC and topic:
            topics.add(topic)
    return notes, authors, topics


@dataclass(frozen=True)
class RankingChoices:
    """What a member chose that Discover's ranking reads: followed topics and authors, and what they
    are not interested in."""

    followed_topics: list[str]
    followed_authors: set[int]
    hidden_notes: set[int]
    hidden_authors: set[int]
    hidden_topics: set[str]
    blocked_or_muted: set[int]  # members blocked either way or muted: none of their notes


def _choices_rows(user_id: int) -> QuerySet[Any, tuple[Any, ...]]:
    text = Value("", output_field=CharField())
    none = Value(None, output_field=BigIntegerField())
    hidden = Value("h", output_field=CharField())
    return (
        TopicFollow.objects.filter(user_id=user_id)
        .values_list(Value("t", output_field=CharField()), none, "topic")
        .union(
            Follow.objects.filter(follower_id=user_id).values_list(
                Value("f", output_field=CharField()), "followee_id", text
            ),
            NotInterested.objects.filter(user_id=user_id).values_list(
                "kind", Coalesce("note_id", "author_id"), "topic"
            ),
            Block.objects.filter(blocker_id=user_id).values_list(hidden, "blocked_id", text),
            Block.objects.filter(blocked_id=user_id).values_list(hidden, "blocker_id", text),
            Mute.objects.filter(muter_id=user_id).values_list(hidden, "muted_id", text),
            all=True,
        )
    )


#: Read by every ranking: compiled once per thread (core.compiled, ADR 0013).
_CHOICES = CompiledQuery("recommend.ranking_choices", _choices_rows, scalars=("user_id",))


def ranking_choices(user_id: int) -> RankingChoices:
    """A member's follows, followed topics, "not interested" choices, blocks (either way) and mutes in ONE
    query (a UNION)."""
    rows = _CHOICES.rows(user_id=user_id)
    out = RankingChoices(
        followed_topics=[],
        followed_authors=set(),
        hidden_notes=set(),
        hidden_authors=set(),
        hidden_topics=set(),
        blocked_or_muted=set(),
    )
    for kind, number, name in rows:
        if kind == "t":
            out.followed_topics.append(name)
        elif kind == "f":
            out.followed_authors.add(number)
        elif kind == "h":
            out.blocked_or_muted.add(number)
        elif kind == NotInterested.Kind.NOTE and number:
            out.hidden_notes.add(number)
        elif kind == NotInterested.Kind.AUTHOR and number:
            out.hidden_authors.add(number)
        elif kind == NotInterested.Kind.TOPIC and name:
            out.hidden_topics.add(name)
    return out


@dataclass(frozen=True)
class NotInterestedItem:
    """One row of a member's "not interested" list, as settings and the API show it.

    `note_title` is None when the note is no longer visible to the member (its title is not shown);
    `note_visible` says which.
    """

    id: int
    kind: str
    created_at: datetime
    note_id: int | None
    note_title: str | None
    note_visible: bool
    author_username: str | None
    author_display_name: str | None
    topic: str | None


def _item(row: NotInterested, visible: set[int]) -> NotInterestedItem:
    shown = row.note_id in visible
    author = row.author
    return NotInterestedItem(
        id=row.pk,
        kind=row.kind,
        created_at=row.created_at,
        note_id=row.note_id,
        note_title=(row.note.title if row.note is not None else "") if shown else None,
        note_visible=shown,
        author_username=author.username if author is not None else None,
        author_display_name=(author.display_name or author.username) if author is not None else None,
        topic=row.topic or None,
    )


def _visible_ids(user: Any, note_ids: list[int]) -> set[int]:
    if not note_ids:
        return set()
    return set(visible_notes(user).filter(pk__in=note_ids).values_list("pk", flat=True))


def not_interested_list(user: Any, cursor: str | None, limit: int | None) -> Page[NotInterestedItem]:
    """One page of the member's "not interested" choices, newest first (keyset; two queries: the page
    with its notes and authors, and which of its notes the member may still see)."""
    qs = NotInterested.objects.filter(user_id=user.pk).select_related("note", "author")
    page = keyset_page(qs, order=["-created_at", "-id"], cursor=cursor, limit=limit, scope="not_interested")
    visible = _visible_ids(user, [row.note_id for row in page.items if row.note_id])
    return Page(items=[_item(row, visible) for row in page.items], next_cursor=page.next_cursor)


def not_interested_item(user: Any, item_id: int) -> NotInterestedItem:
    """The member's one choice `item_id` as a list row (after adding it); NotFound when not theirs."""
    row = NotInterested.objects.filter(user_id=user.pk, pk=item_id).select_related("note", "author").first()
    if row is None:
        raise NotFound(_("That choice is not in your list."), code="not_found")
    return _item(row, _visible_ids(user, [row.note_id] if row.note_id else []))
