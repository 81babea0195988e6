"""JSON API endpoints of search (mounted at /api/v1/search): results, suggestions, the member's history.

A member's first page of results (no cursor) is remembered in their search history (`remember=false`
leaves it out).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from haven.accounts.auth import OptionalAuth
from haven.accounts.models import User
from haven.core.errors import NotAuthenticated
from haven.core.pagination import MAX_PAGE_SIZE
from haven.search import selectors, services
from haven.search.models import QUERY_MAX
from haven.search.schemas import HistoryOut, SearchPageOut, SuggestOut

router = Router(tags=["search"])

# The schema states every bound, so a request it allows is answered (422 `invalid_input` otherwise).
# At least one character that is not a space (the selectors' `query_empty` cannot happen here).
_TEXT = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # what haven.core.input lets through
_NOT_BLANK = rf"^{_TEXT}*[^\s\x00-\x1f\x7f\x85]{_TEXT}*$"
QueryText = Annotated[
    str, Query(min_length=1, max_length=QUERY_MAX, pattern=_NOT_BLANK, description="what to search for")
]
Language = Annotated[
    str | None,
    Query(
        max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}$", description="zh, en, zh-Hans..."
    ),
]
EntryId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


@router.get(
    "", auth=OptionalAuth(), response=SearchPageOut, summary="Search notes, people, topics or products"
)
def search(
    request: HttpRequest,
    q: QueryText,
    type: Literal["note", "member", "topic", "product"] = "note",
    lang: Language = None,
    since: Literal["day", "week", "month", "year"] | None = None,
    cursor: Annotated[
        str | None, Query(max_length=2000, description="`next_cursor` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    remember: bool = True,
) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    page = selectors.search(viewer, q, kind=type, language=lang, since=since, cursor=cursor, limit=limit)
    if remember and cursor is None and isinstance(viewer, User):
        services.history_record(user=viewer, query=q, kind=page.kind)
    return {
        "kind": page.kind,
        "items": [{"kind": h.kind, "id": h.id, "score": h.score, "card": h.card} for h in page.items],
        "next_cursor": page.next_cursor,
        "corrections": page.corrections,
        "relaxed": page.relaxed,
    }


@router.get("/suggest", auth=OptionalAuth(), response=SuggestOut, summary="People and topics by prefix")
def suggest(
    request: HttpRequest,
    q: QueryText,
    limit: Annotated[int, Query(ge=1, le=selectors.SUGGEST_MAX)] = 8,
) -> dict[str, Any]:
    items = selectors.suggest(request.auth, q, limit=limit)  # type: ignore[attr-defined]
    return {"items": [{"kind": s.kind, "id": s.id, "label": s.label, "card": s.card} for s in items]}


@router.get("/history", response=HistoryOut, summary="Your recent searches, newest first")
def history(request: HttpRequest) -> dict[str, Any]:
    entries = selectors.history(_member(request))
    return {
        "items": [{"id": e.pk, "query": e.query, "kind": e.kind, "created_at": e.created_at} for e in entries]
    }


@router.delete("/history", response={204: None}, summary="Clear your search history")
def history_clear(request: HttpRequest) -> Status[None]:
    services.history_clear(user=_member(request))
    return Status(204, None)


@router.delete("/history/{entry_id}", response={204: None}, summary="Delete one search from your history")
def history_delete(request: HttpRequest, entry_id: EntryId) -> Status[None]:
    services.history_delete(user=_member(request), entry_id=entry_id)
    return Status(204, None)
