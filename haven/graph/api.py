"""JSON API endpoints of graph (mounted at /api/v1/graph by config.api)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from haven.accounts.auth import OptionalAuth
from haven.accounts.models import User
from haven.accounts.selectors import avatar_url, user_by_username
from haven.core.errors import NotAuthenticated, NotFound
from haven.core.openapi import errors
from haven.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page
from haven.graph import access, selectors, services
from haven.graph.schemas import FollowStateOut, ProfileOut, UserPageOut
from haven.graph.selectors import Edge, Viewer

router = Router(tags=["graph"])

Username = Annotated[str, Path(min_length=1, max_length=64)]
Cursor = Annotated[str | None, Query(max_length=2000)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def _viewer(request: HttpRequest) -> Viewer:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _target(username: str) -> User:
    """The member a write is aimed at (blocks must reach even members who blocked the caller)."""
    user = user_by_username(username)
    if user is None:
        raise NotFound(_("No such member."), code="not_found")
    return user


def _cards(viewer: Viewer, page: Page[Edge[User]]) -> dict[str, Any]:
    followed = selectors.following_among(viewer, [edge.user.pk for edge in page.items])
    items = [
        {
            "username": edge.user.username,
            "display_name": edge.user.display_name,
            "avatar_url": avatar_url(edge.user),
            "avatar_blurhash": edge.user.avatar_blurhash,
            "is_private": edge.user.is_private,
            "following": edge.user.pk in followed,
            "since": edge.since,
        }
        for edge in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}


# ----------------------------------------------------------------------------------------------
# Profiles and connections (anonymous callers welcome)


@router.get("/users/{username}", auth=OptionalAuth(), response=ProfileOut, summary="A member's profile card")
def profile(request: HttpRequest, username: Username) -> dict[str, Any]:
    viewer = _viewer(request)
    owner = access.visible_user_or_404(viewer, username)
    followers, following, relation = selectors.profile_facts(viewer, owner)
    return {
        "username": owner.username,
        "display_name": owner.display_name,
        "bio": owner.bio,
        "avatar_url": avatar_url(owner),
        "avatar_blurhash": owner.avatar_blurhash,
        "languages": list(owner.languages or []),
        "region": owner.region,
        "is_private": owner.is_private,
        "follower_count": followers,
        "following_count": following,
        "relationship": relation,
    }


def _connections_owner(viewer: Viewer, username: str) -> User:
    owner = user_by_username(username)
    if owner is None or not access.can_view_connections(viewer, owner):
        raise NotFound(_("No such member."), code="not_found")
    return owner


@router.get(
    "/users/{username}/followers", auth=OptionalAuth(), response=UserPageOut, summary="Who follows a member"
)
def followers(
    request: HttpRequest, username: Username, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE
) -> dict[str, Any]:
    viewer = _viewer(request)
    owner = _connections_owner(viewer, username)
    return _cards(viewer, selectors.followers_page(owner, cursor, limit, viewer=viewer))


@router.get(
    "/users/{username}/following", auth=OptionalAuth(), response=UserPageOut, summary="Whom a member follows"
)
def following(
    request: HttpRequest, username: Username, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE
) -> dict[str, Any]:
    viewer = _viewer(request)
    owner = _connections_owner(viewer, username)
    return _cards(viewer, selectors.following_page(owner, cursor, limit, viewer=viewer))


# ----------------------------------------------------------------------------------------------
# Following


@router.put(
    "/follows/{username}",
    response={200: FollowStateOut, **errors(409)},
    summary="Follow (or request to follow) a member",
)
def follow(request: HttpRequest, username: Username) -> dict[str, str]:
    state = services.follow_create(follower=_member(request), followee=_target(username))
    return {"state": state}


@router.delete("/follows/{username}", response={204: None}, summary="Unfollow, or withdraw a request")
def unfollow(request: HttpRequest, username: Username) -> Status[None]:
    services.follow_delete(follower=_member(request), followee=_target(username))
    return Status(204, None)


@router.delete("/followers/{username}", response={204: None}, summary="Remove a member from your followers")
def remove_follower(request: HttpRequest, username: Username) -> Status[None]:
    services.follower_remove(owner=_member(request), follower=_target(username))
    return Status(204, None)


@router.get("/requests", response=UserPageOut, summary="Follow requests waiting for you")
def requests(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE) -> dict[str, Any]:
    me = _member(request)
    return _cards(me, selectors.requests_page(me, cursor, limit))


@router.post("/requests/{username}/approve", response={204: None}, summary="Approve a follow request")
def request_approve(request: HttpRequest, username: Username) -> Status[None]:
    services.follow_request_approve(target=_member(request), requester=_target(username))
    return Status(204, None)


@router.post("/requests/{username}/deny", response={204: None}, summary="Deny a follow request")
def request_deny(request: HttpRequest, username: Username) -> Status[None]:
    services.follow_request_deny(target=_member(request), requester=_target(username))
    return Status(204, None)


# ----------------------------------------------------------------------------------------------
# Blocks and mutes


@router.get("/blocks", response=UserPageOut, summary="Members you blocked")
def blocks(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE) -> dict[str, Any]:
    me = _member(request)
    return _cards(me, selectors.blocks_page(me, cursor, limit))


@router.put("/blocks/{username}", response={204: None, **errors(409)}, summary="Block a member")
def block(request: HttpRequest, username: Username) -> Status[None]:
    services.block_create(blocker=_member(request), blocked=_target(username))
    return Status(204, None)


@router.delete("/blocks/{username}", response={204: None}, summary="Unblock a member")
def unblock(request: HttpRequest, username: Username) -> Status[None]:
    services.block_delete(blocker=_member(request), blocked=_target(username))
    return Status(204, None)


@router.get("/mutes", response=UserPageOut, summary="Members you muted")
def mutes(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE) -> dict[str, Any]:
    me = _member(request)
    return _cards(me, selectors.mutes_page(me, cursor, limit))


@router.put("/mutes/{username}", response={204: None, **errors(409)}, summary="Mute a member")
def mute(request: HttpRequest, username: Username) -> Status[None]:
    services.mute_create(muter=_member(request), muted=_target(username))
    return Status(204, None)


@router.delete("/mutes/{username}", response={204: None}, summary="Unmute a member")
def unmute(request: HttpRequest, username: Username) -> Status[None]:
    services.mute_delete(muter=_member(request), muted=_target(username))
    return Status(204, None)
