"""JSON API endpoints of feeds (mounted at /api/v1/feeds): Following, Discover, topics, trending, places,
profile notes, the vertical video feed and its view counts."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from haven.accounts.auth import OptionalAuth
from haven.core import ratelimit
from haven.core.errors import NotFound
from haven.core.pagination import Page
from haven.feeds import selectors, trending
from haven.feeds.schemas import (
    DiscoverPageOut,
    FeedPageOut,
    HomeCityIn,
    NearOut,
    PlaceInfoOut,
    PlaceOut,
    TopicInfoOut,
    TrendingOut,
    VideoFeedPageOut,
)
from haven.graph.access import visible_user_or_404
from haven.media.services import video_view_add
from haven.media.states import READY
from haven.notes import places
from haven.notes.access import MAX_ID, visible_notes
from haven.notes.models import Note, Place
from haven.notes.selectors import NoteCard

router = Router(tags=["feeds"])

CursorParam = Query(None, max_length=2000, description="`next_cursor` of the previous page")
LimitParam = Query(20, ge=1, le=50)


def _page_out(request: HttpRequest, page: Page[NoteCard]) -> dict[str, Any]:
    return {"items": selectors.card_data(request.auth, page.items), "next_cursor": page.next_cursor}  # type: ignore[attr-defined]


@router.get("/following", response=FeedPageOut, summary="Notes of the people you follow, newest first")
def following(
    request: HttpRequest, cursor: str | None = CursorParam, limit: int = LimitParam
) -> dict[str, Any]:
    page = selectors.following_feed(request.auth, cursor=cursor, limit=limit)  # type: ignore[attr-defined]
    return _page_out(request, page)


@router.get("/discover", auth=OptionalAuth(), response=DiscoverPageOut, summary="Discover: recommended notes")
def discover(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = CursorParam,
    limit: int = LimitParam,
    personalized: bool = Query(
        True, description="false: no personal ranking (no history, topics, languages or seen push-down)"
    ),
) -> dict[str, Any]:
    page = selectors.discover_feed(
        request.auth,  # type: ignore[attr-defined]
        cursor=cursor,
        limit=limit,
        non_personalized=not personalized,
    )
    items = selectors.card_data(request.auth, page.items, reasons=page.reasons)  # type: ignore[attr-defined]
    if cursor is None:  # where a first page's ranking was made, for operators and bench/recs
        response["X-Haven-Ranking"] = "ahead" if page.prepared else "request"
    return {"items": items, "next_cursor": page.next_cursor, "model_version": page.model_version}


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


# ---------------------------------------------------------------------------------------------
# Trending and places (docs/trending-and-places.md)

PlaceIdParam = Path(..., ge=1, le=MAX_ID)


def _place_ref(place: Place | None) -> dict[str, Any] | None:
    return None if place is None else {"id": place.pk, "kind": place.kind, "name": place.name}


def _place_out(place: Place) -> dict[str, Any]:
    parent = place.parent if place.parent_id and Place.parent.is_cached(place) else None
    return {**_place_ref(place), "city": _place_ref(parent), "note_count": place.note_count}  # type: ignore[dict-item]


@router.get("/trending", auth=OptionalAuth(), response=TrendingOut, summary="Trending topics")
def trending_topics(
    request: HttpRequest,
    lang: Literal["all", "zh", "en", "zh-Hans", "zh-Hant"] | None = Query(
        None, description="all (default), zh (zh-Hans and zh-Hant notes alike) or en"
    ),
    limit: int = Query(10, ge=1, le=trending.LIMIT_MAX),
) -> dict[str, Any]:
    language = trending.normalize_language(lang)
    items = trending.trending_topics(request.auth, language, limit=limit)  # type: ignore[attr-defined]
    return {"language": language, "items": items}


@router.get("/places", auth=OptionalAuth(), response=list[PlaceOut], summary="Find cities by name")
def place_search(
    request: HttpRequest,
    q: str = Query("", max_length=places.QUERY_MAX),
    limit: int = Query(10, ge=1, le=places.SEARCH_LIMIT_MAX),
) -> list[dict[str, Any]]:
    return [_place_out(p) for p in places.search_cities(q, limit=limit)]


@router.get(
    "/places/{place_id}", auth=OptionalAuth(), response=PlaceInfoOut, summary="A place's header facts"
)
def place_info(request: HttpRequest, place_id: int = PlaceIdParam) -> dict[str, Any]:
    info = selectors.place_info(request.auth, place_id)  # type: ignore[attr-defined]
    place = info["place"]
    return {
        **_place_ref(place),  # type: ignore[dict-item]
        "city": _place_ref(info["city"]),
        "note_count": info["note_count"],
        "venues": [_place_out(v) for v in info["venues"]],
    }


@router.get("/places/{place_id}/notes", auth=OptionalAuth(), response=FeedPageOut, summary="Notes at a place")
def place_notes(
    request: HttpRequest,
    place_id: int = PlaceIdParam,
    cursor: str | None = CursorParam,
    limit: int = LimitParam,
) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    place = selectors.place_info(viewer, place_id, venues=0)["place"]
    return _page_out(request, selectors.place_feed(viewer, place, cursor=cursor, limit=limit))


@router.get("/near", response=NearOut, summary="Notes from the city you chose")
def near(request: HttpRequest, cursor: str | None = CursorParam, limit: int = LimitParam) -> dict[str, Any]:
    city, page = selectors.near_feed(request.auth, cursor=cursor, limit=limit)  # type: ignore[attr-defined]
    return {"city": None if city is None else _place_out(city), **_page_out(request, page)}


@router.put("/near/city", response=PlaceOut, summary="Choose your city for Near me")
def near_city_set(request: HttpRequest, payload: HomeCityIn) -> dict[str, Any]:
    return _place_out(places.home_city_set(user=request.auth, place_id=payload.place_id))  # type: ignore[attr-defined]


@router.delete("/near/city", response={204: None}, summary="Forget your city for Near me")
def near_city_clear(request: HttpRequest) -> Status[None]:
    places.home_city_clear(user=request.auth)  # type: ignore[attr-defined]
    return Status(204, None)


# ---------------------------------------------------------------------------------------------
# The vertical video feed and its view counts.

VIEW_WINDOW_SECONDS = 600  # a viewer's views of one video count once per window
VIEWS_PER_HOUR = 600  # view reports one viewer may send in an hour (beyond: 429 rate_limited)


@router.get(
    "/videos",
    auth=OptionalAuth(),
    response=VideoFeedPageOut,
    summary="The vertical video feed: video notes, newest first, each with its player",
)
def videos(
    request: HttpRequest,
    cursor: str | None = CursorParam,
    limit: int = Query(8, ge=1, le=selectors.VIDEO_PAGE_MAX),
    start: int | None = Query(None, ge=1, le=MAX_ID, description="a note to show first (first page only)"),
) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    page = selectors.video_feed(viewer, cursor=cursor, limit=limit, start=start)
    return {"items": selectors.video_slides(viewer, page.items), "next_cursor": page.next_cursor}


def _viewer_key(request: HttpRequest) -> str:
    """Who counts as one viewer: the member, else the browser session, else the client's address."""
    viewer = request.auth  # type: ignore[attr-defined]
    if getattr(viewer, "is_authenticated", False):
        return f"u{viewer.pk}"
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    return f"s{key}" if key else f"a{ratelimit.client_ip(request)}"


@router.post(
    "/videos/{note_id}/view",
    auth=OptionalAuth(),
    response={204: None},
    url_name="feeds_video_view",
    summary="Count a view of a video note (sent after 2 s of playback)",
)
def video_view(request: HttpRequest, note_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[None]:
    who = _viewer_key(request)
    ratelimit.hit("feeds.video_views", who, limit=VIEWS_PER_HOUR, window_seconds=3600)
    video_id = (
        visible_notes(request.auth)  # type: ignore[attr-defined]
        .filter(pk=note_id, status=Note.Status.PUBLISHED, video__state=READY)
        .values_list("video_id", flat=True)
        .first()
    )
    if video_id is None:
        raise NotFound(_("Note not found."))
    if ratelimit.count(f"feeds:video_view:{who}:{note_id}", timeout=VIEW_WINDOW_SECONDS) == 1:
        video_view_add(video_id=video_id)
    return Status(204, None)
