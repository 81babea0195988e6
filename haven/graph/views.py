"""HTML views of graph: follow / unfollow buttons, block and mute, connection lists, follow requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.accounts.selectors import user_by_username
from haven.core.errors import HavenError
from haven.graph import access, selectors, services

PAGE_SIZE = 30


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _target(request: HttpRequest, username: str) -> User:
    """The member named in the URL; 404 when missing or blocked either way (and for oneself)."""
    target = user_by_username(username)
    if target is None or not access.can_view_profile(request.user, target):
        raise Http404(_("No such member."))
    return target


def _back(request: HttpRequest, target: User) -> str:
    """Where a non-htmx form post returns: a same-site `next`, else the member's profile."""
    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return reverse("web:profile", args=[target.username])


def follow_state(viewer: Any, target: User, relation: dict[str, bool] | None = None) -> str:
    """What the follow button shows: "self", "following", "requested" or "none" (one query at most)."""
    if not viewer.is_authenticated:
        return "none"
    if viewer.pk == target.pk:
        return "self"
    relation = relation if relation is not None else selectors.relationship(viewer, target)
    if relation["following"]:
        return "following"
    if relation["requested"]:
        return "requested"
    return "none"


def _button(request: HttpRequest, target: User, status: int = 200) -> HttpResponse:
    context = {"target": target, "follow_state": follow_state(request.user, target)}
    return render(request, "graph/_follow_button.html", context, status=status)


def _act(
    request: HttpRequest,
    username: str,
    action: Callable[[User, User], Any],
    done_message: Callable[[User], str] | None = None,
) -> HttpResponse:
    """Run a follow-type action; htmx gets the refreshed button, a plain form post goes back."""
    viewer = _member(request)
    target = _target(request, username)
    try:
        action(viewer, target)
    except HavenError as exc:
        if _is_htmx(request):
            response = _button(request, target, status=exc.status)
            response["HX-Reswap"] = "none"
            response["HX-Trigger"] = json.dumps({"haven:error": {"code": exc.code, "message": exc.message}})
            return response
        messages.error(request, exc.message)
        return redirect(_back(request, target))
    if _is_htmx(request):
        return _button(request, target)
    if done_message is not None:
        messages.success(request, done_message(target))
    return redirect(_back(request, target))


@login_required
@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    """Follow a member (a private account gets a follow request instead)."""
    return _act(
        request, username, lambda viewer, target: services.follow_create(follower=viewer, followee=target)
    )


@login_required
@require_POST
def unfollow(request: HttpRequest, username: str) -> HttpResponse:
    """Stop following a member, or withdraw a pending follow request."""
    return _act(
        request, username, lambda viewer, target: services.follow_delete(follower=viewer, followee=target)
    )


@login_required
@require_POST
def mute(request: HttpRequest, username: str) -> HttpResponse:
    """Hide a member's notes from one's feeds (they are not told)."""
    return _act(
        request,
        username,
        lambda viewer, target: services.mute_create(muter=viewer, muted=target),
        lambda target: (
            _("You muted @%(name)s. Their notes no longer show in your feeds.") % {"name": target.username}
        ),
    )


@login_required
@require_POST
def unmute(request: HttpRequest, username: str) -> HttpResponse:
    """Undo a mute."""
    return _act(
        request,
        username,
        lambda viewer, target: services.mute_delete(muter=viewer, muted=target),
        lambda target: _("You unmuted @%(name)s.") % {"name": target.username},
    )


@login_required
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, username: str) -> HttpResponse:
    """Confirm (GET) and block (POST) a member: follows both ways end, neither sees the other."""
    viewer = _member(request)
    target = _target(request, username)
    if viewer.pk == target.pk:
        raise Http404(_("No such member."))
    if request.method == "GET":
        return render(request, "graph/block_confirm.html", {"target": target})
    try:
        services.block_create(blocker=viewer, blocked=target)
    except HavenError as exc:
        messages.error(request, exc.message)
        return render(request, "graph/block_confirm.html", {"target": target}, status=exc.status)
    messages.success(request, _("You blocked @%(name)s.") % {"name": target.username})
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("graph:blocked")
        return response
    return redirect("graph:blocked")


@login_required
@require_POST
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    """Lift a block one made (the blocked member is looked up directly: their profile is hidden)."""
    viewer = _member(request)
    target = user_by_username(username)
    if target is None:
        raise Http404(_("No such member."))
    try:
        services.block_delete(blocker=viewer, blocked=target)
    except HavenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You unblocked @%(name)s.") % {"name": target.username})
    return redirect("graph:blocked")


@login_required
@require_GET
def blocked(request: HttpRequest) -> HttpResponse:
    """The members one has blocked, each with an Unblock button."""
    viewer = _member(request)
    try:
        page = selectors.blocks_page(viewer, request.GET.get("cursor"), PAGE_SIZE)
    except HavenError as exc:
        return render(request, "graph/blocked.html", {"error": exc.message}, status=exc.status)
    context = {
        "nav_section": "settings",
        "people": [edge.user for edge in page.items],
        "next_url": _next(request, page.next_cursor),
        "list_kind": "blocked",
    }
    return render(request, "graph/blocked.html", context)


def _next(request: HttpRequest, cursor: str | None) -> str:
    return f"{request.path}?cursor={cursor}" if cursor else ""


def _people_rows(viewer: Any, people: list[User]) -> list[dict[str, Any]]:
    """Each listed member with the viewer's follow state (one query for the whole page)."""
    following = selectors.following_among(viewer, [p.pk for p in people])
    rows = []
    for person in people:
        if viewer.is_authenticated and person.pk == viewer.pk:
            state = "self"
        elif person.pk in following:
            state = "following"
        else:
            state = "none"
        rows.append({"person": person, "follow_state": state})
    return rows


def _connections(request: HttpRequest, username: str, kind: str) -> HttpResponse:
    owner = _target(request, username)
    if not access.can_view_connections(request.user, owner):
        raise Http404(_("No such page."))
    fetch = selectors.followers_page if kind == "followers" else selectors.following_page
    try:
        page = fetch(owner, request.GET.get("cursor"), PAGE_SIZE, viewer=request.user)
    except HavenError as exc:
        return render(request, "graph/people.html", {"owner": owner, "error": exc.message}, status=exc.status)
    context = {
        "owner": owner,
        "list_kind": kind,
        "rows": _people_rows(request.user, [edge.user for edge in page.items]),
        "next_url": _next(request, page.next_cursor),
        "nav_section": "me" if request.user.is_authenticated and request.user.pk == owner.pk else "",
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "graph/_people_rows.html", {**context, "append": True})
    return render(request, "graph/people.html", context)


@require_GET
def followers(request: HttpRequest, username: str) -> HttpResponse:
    """Who follows a member (hidden from strangers when the account is private)."""
    return _connections(request, username, "followers")


@require_GET
def following(request: HttpRequest, username: str) -> HttpResponse:
    """Whom a member follows (hidden from strangers when the account is private)."""
    return _connections(request, username, "following")


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Pending follow requests to the signed-in member, with Approve / Deny."""
    viewer = _member(request)
    try:
        page = selectors.requests_page(viewer, request.GET.get("cursor"), PAGE_SIZE)
    except HavenError as exc:
        return render(request, "graph/requests.html", {"error": exc.message}, status=exc.status)
    context = {
        "people": [edge.user for edge in page.items],
        "next_url": _next(request, page.next_cursor),
        "nav_section": "notifications",
    }
    return render(request, "graph/requests.html", context)


def _decide(request: HttpRequest, username: str, approve: bool) -> HttpResponse:
    viewer = _member(request)
    requester = _target(request, username)
    try:
        if approve:
            services.follow_request_approve(target=viewer, requester=requester)
        else:
            services.follow_request_deny(target=viewer, requester=requester)
    except HavenError as exc:
        if _is_htmx(request):
            return render(
                request,
                "graph/_request_row.html",
                {"person": requester, "error": exc.message},
                status=exc.status,
            )
        messages.error(request, exc.message)
        return redirect("graph:requests")
    if _is_htmx(request):
        return render(
            request,
            "graph/_request_row.html",
            {"person": requester, "decided": "approved" if approve else "denied"},
        )
    if approve:
        messages.success(request, _("@%(name)s now follows you.") % {"name": requester.username})
    else:
        messages.info(request, _("Request from @%(name)s declined.") % {"name": requester.username})
    return redirect("graph:requests")


@login_required
@require_POST
def request_approve(request: HttpRequest, username: str) -> HttpResponse:
    """Approve a follow request: the requester becomes a follower."""
    return _decide(request, username, approve=True)


@login_required
@require_POST
def request_deny(request: HttpRequest, username: str) -> HttpResponse:
    """Decline a follow request (the requester is not told)."""
    return _decide(request, username, approve=False)
