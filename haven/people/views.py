"""HTML views of people: "find your people" with one-tap follows, and the former-handles settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from haven.core.errors import HavenError, InvalidInput
from haven.core.input import parse_ids
from haven.core.ratelimit import hit
from haven.people import selectors, services
from haven.people.handles import PLATFORMS, check_platform, platform_label
from haven.people.selectors import EXACT, MAX_MATCHES

FOLLOW_TAPS_PER_HOUR = 30


def _platform_filter(request: HttpRequest) -> str | None:
    value = request.GET.get("platform") or ""
    return value if value in PLATFORMS else None


@login_required
@never_cache
@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """People you followed on TikTok/Instagram who are here: exact matches (Follow all), then likely
    ones to confirm one by one; an empty state that points to the import page."""
    platform = _platform_filter(request)
    found = selectors.matches_for(request.user, platform=platform, limit=MAX_MATCHES)
    exact = [m for m in found if m.kind == EXACT]
    likely = [m for m in found if m.kind != EXACT]
    context: dict[str, Any] = {
        "exact": exact,
        "likely": likely,
        "lists": selectors.contact_lists(request.user),
        "platform": platform,
        "platforms": [(p, platform_label(p)) for p in PLATFORMS],
        "nav_section": "me",
    }
    return render(request, "people/find.html", context)


@login_required
@require_POST
def follow_all(request: HttpRequest) -> HttpResponse:
    """One tap: follow the members posted (only those offered as matches are followed)."""
    back = reverse("people:find")
    try:
        hit("people.follow_matches", str(request.user.pk), limit=FOLLOW_TAPS_PER_HOUR, window_seconds=3600)
        raw = request.POST.getlist("user_id")
        if len(raw) > services.MAX_FOLLOW_MATCHES:
            raise InvalidInput(_("Too many ids."), code="too_many_ids")
        ids = parse_ids(raw, max_items=services.MAX_FOLLOW_MATCHES)
        counts = services.follow_matches(user=request.user, user_ids=ids)  # type: ignore[arg-type]
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    done = counts["followed"] + counts["requested"]
    if done:
        messages.success(
            request,
            ngettext("You follow %(n)d more person now.", "You follow %(n)d more people now.", done)
            % {"n": done},
        )
    if counts["skipped"]:
        messages.info(
            request,
            ngettext(
                "%(n)d person was skipped.",
                "%(n)d people were skipped.",
                counts["skipped"],
            )
            % {"n": counts["skipped"]},
        )
    return redirect(back)


@login_required
@never_cache
@require_GET
def settings(request: HttpRequest) -> HttpResponse:
    """Settings -> Former handles: your handles (discoverable or not) and your imported lists."""
    context = {
        "handles": selectors.my_handles(request.user),
        "lists": selectors.contact_lists(request.user),
        "platforms": [(p, platform_label(p)) for p in PLATFORMS],
        "max_handles": services.MAX_HANDLES_PER_PLATFORM,
        "settings_tab": "people",
    }
    return render(request, "people/settings.html", context)


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("people:settings")


def _failed(request: HttpRequest, exc: HavenError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("people:settings")


def _checked(request: HttpRequest, name: str) -> bool:
    return (request.POST.get(name) or "") in ("1", "on", "true")


@login_required
@require_POST
def handle_add(request: HttpRequest) -> HttpResponse:
    try:
        services.handle_add(
            user=request.user,  # type: ignore[arg-type]
            platform=(request.POST.get("platform") or "")[:16],
            handle=(request.POST.get("handle") or "")[:64],
            discoverable=_checked(request, "discoverable"),
        )
    except HavenError as exc:
        return _failed(request, exc)
    return _done(request, _("Handle added."))


@login_required
@require_POST
def handle_change(request: HttpRequest, handle_id: int) -> HttpResponse:
    try:
        row = services.handle_update(
            user=request.user,  # type: ignore[arg-type]
            handle_id=handle_id,
            discoverable=_checked(request, "discoverable"),
        )
    except HavenError as exc:
        return _failed(request, exc)
    if row.discoverable:
        return _done(request, _("People who followed you there can find you now."))
    return _done(request, _("This handle is hidden now."))


@login_required
@require_POST
def handle_delete(request: HttpRequest, handle_id: int) -> HttpResponse:
    try:
        services.handle_delete(user=request.user, handle_id=handle_id)  # type: ignore[arg-type]
    except HavenError as exc:
        return _failed(request, exc)
    return _done(request, _("Handle removed."))


@login_required
@require_POST
def list_change(request: HttpRequest, platform: str) -> HttpResponse:
    try:
        services.contacts_set_notify(
            user=request.user,  # type: ignore[arg-type]
            platform=check_platform(platform),
            notify=_checked(request, "notify_on_join"),
        )
    except HavenError as exc:
        return _failed(request, exc)
    return _done(request, _("Saved."))


@login_required
@require_POST
def list_delete(request: HttpRequest, platform: str) -> HttpResponse:
    try:
        services.contacts_delete(user=request.user, platform=check_platform(platform))  # type: ignore[arg-type]
    except HavenError as exc:
        return _failed(request, exc)
    return _done(request, _("Imported list deleted."))
