"""HTML views of feeds: the Following feed, hashtag topics, trending, place pages, Near me and the
vertical video feed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from haven.accounts.models import User
from haven.core import http_cache
from haven.core.errors import HavenError
from haven.feeds import selectors, trending
from haven.graph.selectors import following_among
from haven.notes import places
from haven.notes.models import Place
from haven.recommend import selectors as recommend_selectors

PAGE_SIZE = 20
SUGGESTION_POOL = 40  # Discover notes scanned for people to suggest
MAX_SUGGESTIONS = 8


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_url(request: HttpRequest, cursor: str | None, **params: str) -> str:
    if not cursor:
        return ""
    query = {k: v for k, v in params.items() if v}
    query["cursor"] = cursor
    return f"{request.path}?{urlencode(query)}"


def _feed_response(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The full page, or only the appended cards for an htmx next-page request."""
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "web/_feed.html", {**context, "append": True})
    return render(request, template, context)


def _error(request: HttpRequest, exc: HavenError) -> HttpResponse:
    if exc.status == 404:
        raise Http404(exc.message)
    return render(request, "web/error.html", {"message": exc.message, "code": exc.code}, status=exc.status)


def suggested_people(viewer: User) -> list[dict[str, Any]]:
    """Authors from the viewer's Discover feed they do not follow yet, each with a few note covers."""
    page = selectors.discover_feed(viewer, limit=SUGGESTION_POOL, record_seen=False)
    cards = selectors.card_data(viewer, page.items)
    authors: dict[int, dict[str, Any]] = {}
    for note, card in zip(page.items, cards, strict=True):
        if note.author_id == viewer.pk:
            continue
        entry = authors.setdefault(note.author_id, {"person": note.author, "covers": []})
        cover = card.get("cover")
        if cover and cover.get("grid_url") and len(entry["covers"]) < 3:
            entry["covers"].append({"url": cover["grid_url"], "note_id": card["id"]})
    followed = following_among(viewer, list(authors))
    people = [entry for author_id, entry in authors.items() if author_id not in followed]
    return people[:MAX_SUGGESTIONS]


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """Notes from the people one follows, newest first; suggestions when there is nothing yet."""
    viewer = request.user
    assert isinstance(viewer, User)  # guaranteed by @login_required
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.following_feed(viewer, cursor=cursor, limit=PAGE_SIZE)
    except HavenError as exc:
        return _error(request, exc)
    context: dict[str, Any] = {
        "nav_section": "following",
        "feed_id": "following",
        "cards": selectors.card_data(viewer, page.items),
        "next_url": _next_url(request, page.next_cursor),
    }
    if not page.items and not cursor:
        context["suggestions"] = suggested_people(viewer)
    return _feed_response(request, "feeds/following.html", context)


def _viewer_pk(request: HttpRequest) -> int | None:
    return int(request.user.pk) if request.user.is_authenticated else None


@require_safe
@http_cache.cacheable_page(vary=("HX-Request",))
def topic(request: HttpRequest, tag: str) -> HttpResponse:
    """A hashtag's page: its name and note count, and its notes, New or Hot."""
    order: selectors.TopicOrder = "hot" if request.GET.get("order") == "hot" else "new"
    cursor = request.GET.get("cursor") or None
    try:
        info = selectors.topic_info(tag)
        page = selectors.topic_feed(request.user, info["tag"], cursor=cursor, limit=PAGE_SIZE, order=order)
    except HavenError as exc:
        if exc.code == "invalid_tag":
            raise Http404(_("No such topic.")) from exc
        return _error(request, exc)
    context = {
        "nav_section": "discover",
        "feed_id": "topic",
        "info": info,
        "order": order,
        "topic_followed": recommend_selectors.follows_topic(_viewer_pk(request), info["tag"]),
        "cards": selectors.card_data(request.user, page.items),
        "next_url": _next_url(request, page.next_cursor, order=order if order != "new" else ""),
        "empty_message": _("No notes with this tag yet. Use it in a note to start the topic!"),
    }
    http_cache.share(request)  # an anonymous topic page holds only notes anyone may see
    return _feed_response(request, "feeds/topic.html", context)


# ---------------------------------------------------------------------------------------------
# Trending and places (docs/trending-and-places.md)

TRENDING_PAGE_SIZE = 30
TRENDING_TABS = ("all", "zh", "en")


@require_GET
def trending_page(request: HttpRequest) -> HttpResponse:
    """Trending topics, all languages or only Chinese or English notes; each links to its topic page."""
    language = request.GET.get("lang", "all")
    if language not in TRENDING_TABS:
        language = "all"
    topics = trending.trending_topics(request.user, language, limit=TRENDING_PAGE_SIZE)
    context = {"nav_section": "discover", "language": language, "topics": topics}
    return render(request, "feeds/trending.html", context)


@require_GET
def place(request: HttpRequest, place_id: int) -> HttpResponse:
    """A place's page: its name and note count, a city's venues, and the notes there (newest first)."""
    cursor = request.GET.get("cursor") or None
    try:
        info = selectors.place_info(request.user, place_id)
        page = selectors.place_feed(request.user, info["place"], cursor=cursor, limit=PAGE_SIZE)
    except HavenError as exc:
        return _error(request, exc)
    context = {
        "nav_section": "discover",
        "feed_id": "place",
        "info": info,
        "is_home_city": _is_home_city(request, info["place"]),
        "cards": selectors.card_data(request.user, page.items),
        "next_url": _next_url(request, page.next_cursor),
        "empty_message": _("No notes here that you can see yet."),
    }
    return _feed_response(request, "feeds/place.html", context)


def _is_home_city(request: HttpRequest, place: Place) -> bool:
    if not request.user.is_authenticated or place.kind != Place.Kind.CITY:
        return False
    home = places.home_city_of(request.user)
    return home is not None and home.pk == place.pk


def _city_results(request: HttpRequest) -> tuple[str, list[Place], str]:
    """(query, cities found, error message) for the city picker; bounded by notes.places."""
    query = request.GET.get("q", "")
    try:
        return query, places.search_cities(query, limit=10), ""
    except HavenError as exc:
        return query[: places.QUERY_MAX], [], exc.message


@require_http_methods(["GET", "POST"])
def near(request: HttpRequest) -> HttpResponse:
    """Near me: notes from the city the member chose; without one, a picker over cities with notes.

    POST (signed in): `place_id` chooses a city, `clear` forgets it. The city is only ever chosen by
    the member, never read from photos (Haven strips their GPS data).
    """
    if request.method == "POST":
        return _near_choose(request)
    query, results, error = _city_results(request)
    if _is_htmx(request) and request.GET.get("picker"):
        return render(
            request, "feeds/_city_results.html", {"results": results, "query": query, "error": error}
        )
    cursor = request.GET.get("cursor") or None
    choosing = bool(request.GET.get("change")) or "q" in request.GET
    try:
        city, page = selectors.near_feed(request.user, cursor=cursor, limit=PAGE_SIZE)
    except HavenError as exc:
        return _error(request, exc)
    context: dict[str, Any] = {
        "nav_section": "discover",
        "feed_id": "near",
        "city": city,
        "choosing": choosing or city is None,
        "query": query,
        "results": results,
        "error": error,
        "cards": selectors.card_data(request.user, page.items),
        "next_url": _next_url(request, page.next_cursor),
        "empty_message": _("No notes from this city yet."),
    }
    return _feed_response(request, "feeds/near.html", context)


def _near_choose(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        if request.POST.get("clear"):
            places.home_city_clear(user=request.user)
            messages.success(request, _("Your city was forgotten."))
        else:
            city = places.home_city_set(user=request.user, place_id=request.POST.get("place_id", "")[:24])
            messages.success(request, _("Showing notes from %(city)s.") % {"city": city.name})
    except HavenError as exc:
        messages.error(request, exc.message)
    return redirect("feeds:near")


# ---------------------------------------------------------------------------------------------
# The vertical video feed (/videos/)

VIDEO_PAGE_SIZE = 6


@require_safe
def videos(request: HttpRequest) -> HttpResponse:
    """The vertical video feed: one video per screen, the next one preloaded, more pages fetched as
    the viewer nears the end (the slides alone for those requests). `?start=<note id>` comes first."""
    cursor = request.GET.get("cursor") or None
    start = request.GET.get("start", "")[:24] or None
    try:
        page = selectors.video_feed(request.user, cursor=cursor, limit=VIDEO_PAGE_SIZE, start=start)
    except HavenError as exc:
        return _error(request, exc)
    context = {
        "nav_section": "videos",
        "slides": selectors.video_slides(request.user, page.items),
        "next_url": _next_url(request, page.next_cursor),
    }
    if _is_htmx(request) and cursor:
        return render(request, "feeds/_video_slides.html", context)
    return render(request, "feeds/videos.html", context)
