"""HTML views of search: the results page and its tabs, suggestions while typing, recent searches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haven.core import searchables
from haven.core.errors import HavenError, NotFound
from haven.feeds import selectors as feeds
from haven.feeds import trending
from haven.search import selectors, services

PAGE_SIZE = 20
SUGGEST_SIZE = 8
RECENT_SHOWN = 10
TRENDING_SHOWN = 10
# The result tabs, in order; a kind shows once an app registers it (products come with commerce).
TABS = (
    ("note", gettext_lazy("Notes")),
    ("member", gettext_lazy("People")),
    ("topic", gettext_lazy("Topics")),
    ("product", gettext_lazy("Products")),
)
LANGUAGES = (("", gettext_lazy("Any language")), ("zh", "中文"), ("en", "English"))
SINCE = (
    ("", gettext_lazy("Any time")),
    ("day", gettext_lazy("Past day")),
    ("week", gettext_lazy("Past week")),
    ("month", gettext_lazy("Past month")),
    ("year", gettext_lazy("Past year")),
)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _url(**params: str) -> str:
    query = {k: v for k, v in params.items() if v}
    return f"?{urlencode(query)}" if query else "?"


def _choice(value: str | None, choices: tuple[tuple[str, Any], ...]) -> str:
    value = (value or "")[:16]
    return value if value in {code for code, _label in choices} else ""


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Results for `q` in one tab (notes as masonry, people, topics, products), with filters; without a
    query, the member's recent searches and what is trending."""
    q = services.trim_query(request.GET.get("q", ""))
    tabs = [(code, label) for code, label in TABS if searchables.get(code) is not None]
    kind = _choice(request.GET.get("type"), tuple(tabs)) or "note"
    language = _choice(request.GET.get("lang"), LANGUAGES) if kind == "note" else ""
    since = _choice(request.GET.get("since"), SINCE) if kind == "note" else ""
    cursor = request.GET.get("cursor") or None
    context: dict[str, Any] = {
        "nav_section": "search",
        "q": q,
        "kind": kind,
        "language": language,
        "since": since,
        "tabs": [(code, label, _url(q=q, type=code)) for code, label in tabs],
        "languages": [
            (code, label, _url(q=q, type=kind, lang=code, since=since)) for code, label in LANGUAGES
        ],
        "sinces": [(code, label, _url(q=q, type=kind, lang=language, since=code)) for code, label in SINCE],
    }
    if not q:
        user = request.user
        context["recent"] = selectors.history(user, limit=RECENT_SHOWN) if user.is_authenticated else []
        context["trending"] = trending.trending_topics(user, "all", limit=TRENDING_SHOWN)
        return render(request, "search/search.html", context)
    try:
        page = selectors.search(
            request.user,
            q,
            kind=kind,
            language=language or None,
            since=since or None,
            cursor=cursor,
            limit=PAGE_SIZE,
        )
    except HavenError as exc:
        context["error"] = exc.message
        return render(request, "search/search.html", context, status=exc.status)
    if cursor is None and request.user.is_authenticated:
        services.history_record(user=request.user, query=q, kind=kind)
    next_url = ""
    if page.next_cursor:
        next_url = (
            request.path
            + _url(q=q, type=kind, lang=language, since=since)
            + "&"
            + urlencode({"cursor": page.next_cursor})
        )
    context.update(
        {
            "hits": page.items,
            "corrections": sorted({w for words in page.corrections.values() for w in words})[:5],
            "relaxed_notice": selectors.relaxed_notice() if page.relaxed else "",
            "next_url": next_url,
            "feed_id": "search-results",
            "empty_message": _("Nothing found. Try other words, or search in the other language."),
        }
    )
    if kind == "note":
        context["cards"] = feeds.card_data(request.user, [hit.object for hit in page.items])
        if _is_htmx(request) and cursor:
            return render(request, "web/_feed.html", {**context, "append": True})
    elif _is_htmx(request) and cursor:
        return render(request, "search/_rows.html", {**context, "append": True})
    return render(request, "search/search.html", context)


@require_GET
def suggest_view(request: HttpRequest) -> HttpResponse:
    """People and topics whose name starts with what was typed (an htmx fragment for the search box)."""
    prefix = services.trim_query(request.GET.get("q", ""))
    items: list[selectors.Suggestion] = []
    if prefix:
        try:
            items = selectors.suggest(request.user, prefix, limit=SUGGEST_SIZE)
        except HavenError:
            items = []
    return render(request, "search/_suggest.html", {"q": prefix, "items": items})


@login_required
@require_POST
def history_delete_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        services.history_delete(user=request.user, entry_id=entry_id)
    except NotFound:
        raise Http404 from None
    if _is_htmx(request):
        return HttpResponse("")
    return redirect("search:search")


@login_required
@require_POST
def history_clear_view(request: HttpRequest) -> HttpResponse:
    services.history_clear(user=request.user)
    return redirect("search:search")
