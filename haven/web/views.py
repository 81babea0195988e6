"""HTML views of the web shell: Discover, member profiles, the PWA manifest and note previews."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from haven.accounts import selectors as account_selectors
from haven.accounts.forms import language_label
from haven.accounts.models import User
from haven.core import http_cache
from haven.core.errors import HavenError
from haven.core.reportables import ModerationState
from haven.engagement import selectors as engagement_selectors
from haven.engagement.services import collection_display_name
from haven.feeds import selectors as feed_selectors
from haven.graph import access as graph_access
from haven.graph import selectors as graph_selectors
from haven.graph.views import follow_state
from haven.media.selectors import rendition_url
from haven.notes import access as note_access
from haven.notes import selectors as note_selectors
from haven.notes.models import Note
from haven.people import selectors as people_selectors

PAGE_SIZE = 20
FEED_MODES = ("foryou", "latest")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_url(request: HttpRequest, cursor: str | None, **params: str) -> str:
    """The current path with `cursor` (and other query params) set, or "" at the end of a list."""
    if not cursor:
        return ""
    query = {k: v for k, v in params.items() if v}
    query["cursor"] = cursor
    return f"{request.path}?{urlencode(query)}"


def render_feed(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    cards: list[dict[str, Any]],
    next_url: str,
    status: int = 200,
) -> HttpResponse:
    """A page holding a masonry feed; htmx next-page requests get only the appended cards."""
    context = {**context, "cards": cards, "next_url": next_url}
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "web/_feed.html", {**context, "append": True}, status=status)
    return render(request, template, context, status=status)


def error_page(request: HttpRequest, exc: HavenError) -> HttpResponse:
    """A friendly page for a refused request (bad cursor, rate limit, ...), with the error's status."""
    if exc.status == 404:
        raise Http404(exc.message)
    return render(request, "web/error.html", {"message": exc.message, "code": exc.code}, status=exc.status)


# ----------------------------------------------------------------------------------------------
# Discover


@require_safe
@http_cache.cacheable_page(vary=("HX-Request",))
def home(request: HttpRequest) -> HttpResponse:
    """Discover: a masonry grid of notes, "For you" (personalised) or "Latest"."""
    mode = request.GET.get("feed", "foryou")
    if mode not in FEED_MODES:
        mode = "foryou"
    cursor = request.GET.get("cursor") or None
    try:
        page = feed_selectors.discover_feed(
            request.user, cursor=cursor, limit=PAGE_SIZE, non_personalized=mode == "latest"
        )
    except HavenError as exc:
        return error_page(request, exc)
    cards = feed_selectors.card_data(request.user, page.items, reasons=page.reasons)
    context = {
        "nav_section": "discover",
        "mode": mode,
        "feed_id": "discover",
        "track": "discover",
        "model_version": page.model_version,
        "empty_message": _("No notes yet. Be the first to share something!"),
    }
    next_url = page_url(request, page.next_cursor, feed=mode if mode != "foryou" else "")
    http_cache.share(request)  # an anonymous Discover holds only notes anyone may see
    return render_feed(request, "web/home.html", context, cards=cards, next_url=next_url)


# ----------------------------------------------------------------------------------------------
# Profiles


def _profile_owner(request: HttpRequest, username: str) -> User:
    """The member behind /@username/, or 404 when missing, inactive or blocked either way."""
    owner = account_selectors.user_by_username(username)
    if owner is None or not graph_access.can_view_profile(request.user, owner):
        raise Http404(_("No such member."))
    return owner


def _likes_and_saves(owner: User) -> int:
    """Likes and saves received on the member's published notes (one aggregate query)."""
    totals = Note.objects.filter(author_id=owner.pk, status=Note.Status.PUBLISHED).aggregate(
        likes=Sum("like_count"), saves=Sum("save_count")
    )
    return int(totals["likes"] or 0) + int(totals["saves"] or 0)


def _profile_context(request: HttpRequest, owner: User, tab: str) -> dict[str, Any]:
    """The profile header: who it is, counts, and how the viewer relates to them."""
    viewer = request.user
    is_self = bool(viewer.is_authenticated and viewer.pk == owner.pk)
    relation = graph_selectors.relationship(viewer, owner)
    state = follow_state(viewer, owner, relation)
    followers, following = graph_selectors.follow_counts(owner)
    context: dict[str, Any] = {
        "owner": owner,
        "tab": tab,
        "is_self": is_self,
        "follow_state": state,
        "muted": relation["muting"],
        "follows_you": relation["followed_by"],
        "locked": owner.is_private and not is_self and state != "following",
        "languages": [language_label(code) for code in owner.languages or []],
        "follower_count": followers,
        "following_count": following,
        "likes_and_saves": _likes_and_saves(owner),
        "can_view_connections": graph_access.can_view_connections(viewer, owner),
        "nav_section": "me" if is_self else "",
        # Self-declared former handles: the discoverable ones, all of them to the owner (people.access).
        "former_handles": people_selectors.handles_of(owner, viewer),
    }
    if is_self:
        context["pending_requests"] = graph_selectors.pending_requests(owner).count()
    return context


@require_safe
@http_cache.cacheable_page(vary=("HX-Request",))
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's profile with their notes (a private account shows its header only to strangers)."""
    owner = _profile_owner(request, username)
    context = _profile_context(request, owner, "notes")
    cards: list[dict[str, Any]] = []
    next_url = ""
    limited = False
    if not context["locked"]:
        try:
            page = feed_selectors.profile_notes(
                request.user, owner, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
            )
        except HavenError as exc:
            return error_page(request, exc)
        cards = feed_selectors.card_data(request.user, page.items)
        next_url = page_url(request, page.next_cursor)
        limited = any(item.moderation != ModerationState.OK for item in page.items)
    # A private account's header is shown to strangers, and a limited note to anyone who opens the
    # profile, but neither is handed to shared caches.
    http_cache.share(request, public=not owner.is_private and not limited)
    context["feed_id"] = "profile-notes"
    context["empty_message"] = (
        _("You have not posted anything yet.") if context["is_self"] else _("No notes yet.")
    )
    return render_feed(request, "web/profile.html", context, cards=cards, next_url=next_url)


@require_GET
def profile_collections(request: HttpRequest, username: str) -> HttpResponse:
    """The public collections of a member (all of them, for the owner), each with a cover."""
    owner = _profile_owner(request, username)
    context = _profile_context(request, owner, "collections")
    collections: list[dict[str, Any]] = []
    if not context["locked"]:
        for card in engagement_selectors.collection_cards(request.user, owner):
            collection, cover = card["collection"], card["cover"]
            collections.append(
                {
                    "id": collection.pk,
                    "name": collection_display_name(collection),
                    "is_public": collection.is_public,
                    "note_count": card["note_count"],
                    "cover_url": rendition_url(cover.image, "grid", note=cover.note) if cover else "",
                }
            )
    context["collections"] = collections
    return render(request, "web/profile.html", context)


# ----------------------------------------------------------------------------------------------
# Notification previews (registered with notifications.views: web may read every app)


def note_previews(viewer: Any, note_ids: list[int]) -> dict[int, dict[str, str]]:
    """Thumbnail URL and title of each note in `note_ids` that `viewer` may see (2 queries)."""
    if not note_ids:
        return {}
    notes = note_selectors.with_card_data(note_access.visible_notes(viewer).filter(pk__in=note_ids))
    previews: dict[int, dict[str, str]] = {}
    for note in notes:
        cover = note_selectors.cover_image(note)
        previews[note.pk] = {
            "url": reverse("notes:detail", args=[note.pk]),
            "thumb": rendition_url(cover.image, "grid", note=note) if cover else "",
            "title": note.title,
        }
    return previews


# ----------------------------------------------------------------------------------------------
# PWA


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the visitor's language."""
    name = settings.HAVEN.site_name
    data = {
        "name": name,
        "short_name": name,
        "description": _("Share daily life, discover ideas, and talk across languages."),
        "lang": getattr(request, "LANGUAGE_CODE", "en"),
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#ff2442",
        "icons": [{"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
        "shortcuts": [
            {"name": _("Post a note"), "url": reverse("notes:compose")},
            {"name": _("Notifications"), "url": reverse("notifications:inbox")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
