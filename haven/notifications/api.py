"""JSON API endpoints of notifications (mounted at /api/v1/notifications; members only)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from haven.accounts.models import User
from haven.core.errors import NotAuthenticated
from haven.notifications import selectors, services
from haven.notifications.schemas import MarkReadIn, MarkReadOut, NotificationPageOut, UnreadCountOut

router = Router(tags=["notifications"])


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


@router.get("", response=NotificationPageOut, summary="The inbox: notifications grouped, newest first")
def inbox(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(20, ge=1, le=50),
) -> dict[str, Any]:
    page = selectors.inbox(_member(request), cursor=cursor, limit=limit)
    items = [{**asdict(group), "text": selectors.group_text(group)} for group in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get("/unread-count", response=UnreadCountOut, summary="How many inbox entries are unread (max 100)")
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"count": selectors.unread_count(_member(request))}


@router.post("/read", response=MarkReadOut, summary="Mark entries read (all when group_keys is left out)")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    marked = services.mark_read(user=_member(request), group_keys=payload.group_keys)
    return {"marked": marked}
