"""HTML views of recommend: "not interested" from a Discover card (htmx), and "Your recommendations"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.core import consent
from haven.core.errors import HavenError, InvalidInput
from haven.core.input import parse_id
from haven.graph.access import visible_user_or_404
from haven.recommend import selectors, services

PAGE_SIZE = 30


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, default: str) -> str:
    """A same-site `next` from the form, else `default`."""
    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def _field(request: HttpRequest, name: str, limit: int) -> str:
    value = (request.POST.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(_("That value is too long."), code="invalid_input")
    return value


def _id(request: HttpRequest, name: str) -> int | None:
    value = _field(request, name, 20)
    return parse_id(value) if value else None


@login_required
@require_POST
def not_interested(request: HttpRequest) -> HttpResponse:
    """ "Not interested" in a card's note, its author or a topic. htmx: a notice laid over the card,
    with Undo; without script: back to where the member was, with a message."""
    user = request.user
    try:
        kind = _field(request, "kind", 8)
        author = _field(request, "author", 150)
        author_id = visible_user_or_404(user, author).pk if kind == "author" and author else None
        row = services.not_interested_add(
            user=user,
            kind=kind,
            note_id=_id(request, "note_id"),
            author_id=author_id,
            topic=_field(request, "topic", 70) or None,
            source_note_id=_id(request, "source_note_id"),
        )
    except HavenError as exc:
        if _is_htmx(request):
            # htmx swaps only 2xx answers: the refusal is shown in place of the notice.
            return render(request, "recommend/_dismissed.html", {"error": exc.message})
        messages.error(request, exc.message)
        return redirect(_back(request, reverse("web:home")))
    if _is_htmx(request):
        return render(request, "recommend/_dismissed.html", {"item": row})
    messages.success(request, _("Got it: you will see less of this."))
    return redirect(_back(request, reverse("web:home")))


@login_required
@require_POST
def not_interested_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    """Undo a "not interested" (the card's notice, or a row of the settings page)."""
    try:
        services.not_interested_remove(user=request.user, item_id=item_id)
    except HavenError as exc:
        if not _is_htmx(request):
            messages.error(request, exc.message)
            return redirect(_back(request, reverse("recommend:settings")))
    if _is_htmx(request):
        return HttpResponse("")  # the notice or the row goes; the card shows again
    return redirect(_back(request, reverse("recommend:settings")))


@login_required
@require_POST
def topic_unfollow(request: HttpRequest) -> HttpResponse:
    """Stop following a topic from the settings page."""
    try:
        services.topic_unfollow(user=request.user, topic=_field(request, "topic", 70))
    except HavenError as exc:
        if not _is_htmx(request):
            messages.error(request, exc.message)
    if _is_htmx(request):
        return HttpResponse("")
    return redirect("recommend:settings")


@login_required
@require_POST
def topic_follow_toggle(request: HttpRequest, tag: str) -> HttpResponse:
    """Follow or stop following a topic from its page. htmx: the button again; otherwise back to the page."""
    user: Any = request.user
    try:
        name = services.topic_name(tag)
        if selectors.follows_topic(user.pk, name):
            services.topic_unfollow(user=user, topic=name)
        else:
            services.topic_follow(user=user, topic=name)
    except HavenError as exc:
        if _is_htmx(request):
            return HttpResponse(exc.message, status=exc.status)
        messages.error(request, exc.message)
        return redirect("web:home")
    if _is_htmx(request):
        context = {"tag": name, "following": selectors.follows_topic(user.pk, name)}
        return render(request, "recommend/_topic_follow.html", context)
    return redirect("feeds:topic", name)


@login_required
@require_GET
def recommend_settings(request: HttpRequest) -> HttpResponse:
    """ "Your recommendations": what the member asked not to see, the topics they follow, and whether
    Discover may be personalised (changed on the privacy consents page)."""
    user: Any = request.user
    context: dict[str, Any] = {
        "nav_section": "settings",
        "settings_tab": "recommend",
        "topics": selectors.followed_topics(user.pk),
        "personalised": consent.consent_granted(user.pk, consent.PERSONALISED_RECOMMENDATIONS),
    }
    try:
        page = selectors.not_interested_list(user, request.GET.get("cursor"), PAGE_SIZE)
    except HavenError as exc:
        context["error"] = exc.message
        return render(request, "recommend/settings.html", context, status=exc.status)
    context["items"] = page.items
    context["next_url"] = f"{request.path}?cursor={page.next_cursor}" if page.next_cursor else ""
    return render(request, "recommend/settings.html", context)
