"""JSON API of people (mounted at /api/v1/people): former handles, matches, one-tap follows, lists."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from haven.accounts.selectors import avatar_path_url
from haven.core import ratelimit
from haven.core.input import MAX_ID
from haven.core.openapi import errors
from haven.people import access, selectors, services
from haven.people.handles import check_platform
from haven.people.models import FormerHandle
from haven.people.schemas import (
    ContactListsOut,
    ContactNotifyIn,
    DeletedOut,
    FollowMatchesIn,
    FollowMatchesOut,
    HandleIn,
    HandleOut,
    HandlePatchIn,
    HandlesOut,
    MatchesOut,
    PlatformName,
)
from haven.people.selectors import Match

router = Router(tags=["people"])

FOLLOW_TAPS_PER_HOUR = 30
LIST_CHANGES_PER_HOUR = 60

HandleId = Path(..., ge=1, le=MAX_ID)
PlatformQuery = Query(None, description="only this platform's imported list")


def handle_out(row: FormerHandle) -> dict[str, Any]:
    return {
        "id": row.pk,
        "platform": row.platform,
        "handle": row.handle,
        "discoverable": row.discoverable,
        "self_declared": True,
        "created_at": row.created_at,
    }


def match_out(match: Match) -> dict[str, Any]:
    user = match.user
    return {
        "user": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "avatar_url": avatar_path_url(user.avatar),
            "is_private": user.is_private,
        },
        "platform": match.platform,
        "handle": match.handle,
        "kind": match.kind,
        "contact_platform": match.contact_platform,
        "contact_handle": match.contact_handle,
    }


@router.get("/handles", response=HandlesOut, summary="Your former handles (self-declared)")
def handles_list(request: HttpRequest) -> dict[str, Any]:
    return {"items": [handle_out(row) for row in selectors.my_handles(request.auth)]}  # type: ignore[attr-defined]


@router.post(
    "/handles",
    response={201: HandleOut, **errors(409, 429)},
    summary="Add a former handle (at most 3 per platform; discoverable only if you say so)",
)
def handles_add(request: HttpRequest, payload: HandleIn) -> Status[dict[str, Any]]:
    row = services.handle_add(
        user=request.auth,  # type: ignore[attr-defined]
        platform=payload.platform,
        handle=payload.handle,
        discoverable=payload.discoverable,
    )
    return Status(201, handle_out(row))


@router.patch(
    "/handles/{handle_id}", response={200: HandleOut, **errors(429)}, summary="Change discoverability"
)
def handles_update(request: HttpRequest, payload: HandlePatchIn, handle_id: int = HandleId) -> dict[str, Any]:
    row = services.handle_update(
        user=request.auth,  # type: ignore[attr-defined]
        handle_id=handle_id,
        discoverable=payload.discoverable,
    )
    return handle_out(row)


@router.delete("/handles/{handle_id}", response={204: None, **errors(429)}, summary="Remove a former handle")
def handles_delete(request: HttpRequest, handle_id: int = HandleId) -> Status[None]:
    services.handle_delete(user=request.auth, handle_id=handle_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/matches",
    response=MatchesOut,
    summary="People from your imported following lists who are on Haven (exact first, then likely)",
)
def matches(
    request: HttpRequest,
    platform: PlatformName | None = PlatformQuery,
    limit: int = Query(selectors.MAX_MATCHES, ge=1, le=selectors.MAX_MATCHES),
) -> dict[str, Any]:
    found = selectors.matches_for(request.auth, platform=platform, limit=limit)  # type: ignore[attr-defined]
    return {"items": [match_out(m) for m in found]}


@router.post(
    "/matches/follow",
    response={200: FollowMatchesOut, **errors(429)},
    summary="Follow matches in one tap (ids not offered by GET /matches are skipped)",
)
def matches_follow(request: HttpRequest, payload: FollowMatchesIn) -> dict[str, int]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("people.follow_matches", str(user.pk), limit=FOLLOW_TAPS_PER_HOUR, window_seconds=3600)
    return services.follow_matches(user=user, user_ids=payload.user_ids)


@router.get("/contacts", response=ContactListsOut, summary="Your imported following lists (a summary)")
def contacts(request: HttpRequest) -> dict[str, Any]:
    return {"items": selectors.contact_lists(request.auth)}  # type: ignore[attr-defined]


PlatformParam = Path(..., max_length=16, description="tiktok or instagram")


@router.put(
    "/contacts/{platform}",
    response={200: ContactListsOut, **errors(429)},
    summary="Be told (or not) when someone of this list joins Haven",
)
def contacts_notify(
    request: HttpRequest, payload: ContactNotifyIn, platform: str = PlatformParam
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("people.lists", str(user.pk), limit=LIST_CHANGES_PER_HOUR, window_seconds=3600)
    services.contacts_set_notify(user=user, platform=check_platform(platform), notify=payload.notify_on_join)
    return {"items": selectors.contact_lists(user)}


@router.delete(
    "/contacts/{platform}",
    response={200: DeletedOut, **errors(429)},
    summary="Delete an imported following list",
)
def contacts_delete(request: HttpRequest, platform: str = PlatformParam) -> dict[str, int]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("people.lists", str(user.pk), limit=LIST_CHANGES_PER_HOUR, window_seconds=3600)
    access.own_list_or_404(user, check_platform(platform))  # NotFound `contacts_not_found`
    return {"deleted": services.contacts_delete(user=user, platform=platform)}
