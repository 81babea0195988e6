"""JSON API of recommend (mounted at /api/v1/recommend): events, "not interested", followed topics."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from haven.core import ratelimit
from haven.core.openapi import errors
from haven.graph.access import visible_user_or_404
from haven.notes.access import MAX_ID
from haven.recommend import selectors, services
from haven.recommend.schemas import (
    EventsAcceptedOut,
    EventsIn,
    FollowedTopicsOut,
    NotInterestedAuthorIn,
    NotInterestedIn,
    NotInterestedOut,
    NotInterestedPageOut,
    NotInterestedTopicIn,
    TopicFollowOut,
)
from haven.recommend.selectors import NotInterestedItem

router = Router(tags=["recommend"])

EVENT_POSTS_PER_MINUTE = 120  # a browser sends a batch every few seconds at most
CHOICES_PER_MINUTE = 60


def item_out(item: NotInterestedItem) -> dict[str, Any]:
    """The API shape of one "not interested" row."""
    return {
        "id": item.id,
        "kind": item.kind,
        "created_at": item.created_at,
        "note": {"id": item.note_id, "title": item.note_title} if item.note_id else None,
        "author": (
            {"username": item.author_username, "display_name": item.author_display_name or ""}
            if item.author_username
            else None
        ),
        "topic": item.topic,
    }


@router.post(
    "/events",
    response={202: EventsAcceptedOut, **errors(429)},
    summary="Report what you were shown, opened, read or shared (max 50 events)",
)
def events(request: HttpRequest, payload: EventsIn) -> Status[dict[str, int]]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("recommend.events", str(user.pk), limit=EVENT_POSTS_PER_MINUTE, window_seconds=60)
    accepted = services.events_record(user_id=user.pk, events=[e.model_dump() for e in payload.events])
    return Status(202, {"accepted": accepted})


@router.post(
    "/not-interested",
    response={201: NotInterestedOut, **errors(404, 429)},
    summary="Not interested in a note, an author or a topic (idempotent)",
)
def not_interested_add(request: HttpRequest, payload: NotInterestedIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("recommend.not_interested", str(user.pk), limit=CHOICES_PER_MINUTE, window_seconds=60)
    if isinstance(payload, NotInterestedAuthorIn):
        author = visible_user_or_404(user, payload.author)
        row = services.not_interested_add(
            user=user, kind="author", author_id=author.pk, source_note_id=payload.source_note_id
        )
    elif isinstance(payload, NotInterestedTopicIn):
        row = services.not_interested_add(
            user=user, kind="topic", topic=payload.topic, source_note_id=payload.source_note_id
        )
    else:
        row = services.not_interested_add(user=user, kind="note", note_id=payload.note_id)
    return Status(201, item_out(selectors.not_interested_item(user, row.pk)))


@router.get("/not-interested", response=NotInterestedPageOut, summary='Your "not interested" choices')
def not_interested_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=2000, description="`next_cursor` of the previous page"),
    limit: int = Query(20, ge=1, le=50),
) -> dict[str, Any]:
    page = selectors.not_interested_list(request.auth, cursor, limit)  # type: ignore[attr-defined]
    return {"items": [item_out(i) for i in page.items], "next_cursor": page.next_cursor}


@router.delete("/not-interested/{item_id}", response={204: None}, summary='Take back a "not interested"')
def not_interested_remove(request: HttpRequest, item_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[None]:
    services.not_interested_remove(user=request.auth, item_id=item_id)  # type: ignore[attr-defined]
    return Status(204, None)


TopicParam = Path(..., max_length=70, description="a hashtag, with or without '#'")


@router.get("/topics", response=FollowedTopicsOut, summary="The topics you follow")
def topics(request: HttpRequest) -> dict[str, Any]:
    return {"items": selectors.followed_topics(request.auth.pk)}  # type: ignore[attr-defined]


@router.put(
    "/topics/{tag}", response={200: TopicFollowOut, **errors(429)}, summary="Follow a topic (idempotent)"
)
def topic_follow(request: HttpRequest, tag: str = TopicParam) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("recommend.topics", str(user.pk), limit=CHOICES_PER_MINUTE, window_seconds=60)
    services.topic_follow(user=user, topic=tag)
    return {"topic": services.topic_name(tag), "following": True}


@router.delete("/topics/{tag}", response={204: None}, summary="Stop following a topic (idempotent)")
def topic_unfollow(request: HttpRequest, tag: str = TopicParam) -> Status[None]:
    services.topic_unfollow(user=request.auth, topic=tag)  # type: ignore[attr-defined]
    return Status(204, None)
