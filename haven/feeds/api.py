"""JSON API endpoints of feeds (mounted at /api/v1/feeds): Following, Discover, topics, profile notes."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router

from haven.accounts.auth import OptionalAuth
from haven.core.pagination import Page
from haven.feeds import selectors
from haven.feeds.schemas import FeedPageOut, TopicInfoOut
from haven.graph.access import visible_user_or_404
from haven.notes.models import Note

router = Router(tags=["feeds"])

CursorParam = Query(None, max_length=2000, description="`next_cursor` of the previous page")
LimitParam = Query(20, ge=1, le=50)


def _page_out(request: HttpRequest, page: Page[Note]) -> dict[str, Any]:
    return {"items": selectors.card_data(request.auth, page.items), "next_cursor": page.next_cursor}  # type: ignore[attr-defined]


@router.get("/following", response=FeedPageOut, summary="Notes of the people you follow, newest first")
def following(
    request: HttpRequest, cursor: str | None = CursorParam, limit: int = LimitParam
) -> dict[str, Any]:
    page = selectors.following_feed(request.auth, cursor=cursor, limit=limit)  # type: ignore[attr-defined]
    return _page_out(request, page)


@router.get("/discover", auth=OptionalAuth(), response=FeedPageOut, summary="Discover: recommended notes")
def discover(
    request: HttpRequest,
    cursor: str | None = CursorParam,
    limit: int = LimitParam,
    personalized: bool = Query(True, description="false: no language boost and no seen push-down"),
) -> dict[str, Any]:
    page = selectors.discover_feed(
        request.auth,  # type: ignore[attr-defined]
        cursor=cursor,
        limit=limit,
        non_personalized=not personalized,
    )
    return _page_out(request, page)


@router.get("/topics/{tag}", auth=OptionalAuth(), response=FeedPageOut, summary="Notes carrying a hashtag")
def topic(
    request: HttpRequest,
    tag: str = Path(..., max_length=70),
    cursor: str | None = CursorParam,
    limit: int = LimitParam,
    order: Literal["new", "hot"] = Query("new"),
) -> dict[str, Any]:
    page = selectors.topic_feed(request.auth, tag, cursor=cursor, limit=limit, order=order)  # type: ignore[attr-defined]
    return _page_out(request, page)


@router.get(
    "/topics/{tag}/info", auth=OptionalAuth(), response=TopicInfoOut, summary="A hashtag's header facts"
)
def topic_info(request: HttpRequest, tag: str = Path(..., max_length=70)) -> dict[str, Any]:
    return selectors.topic_info(tag)


@router.get("/users/{username}/notes", auth=OptionalAuth(), response=FeedPageOut, summary="A member's notes")
def user_notes(
    request: HttpRequest,
    username: str = Path(..., max_length=30),
    cursor: str | None = CursorParam,
    limit: int = LimitParam,
) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    owner = visible_user_or_404(viewer, username)  # missing, inactive or blocked: 404 "not_found"
    page = selectors.profile_notes(viewer, owner, cursor=cursor, limit=limit)
    return _page_out(request, page)
