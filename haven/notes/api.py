"""JSON API endpoints of notes (mounted by config.api at /api/v1/notes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Header, Path, Query, Router, Schema, Status

from haven.accounts.auth import OptionalAuth
from haven.core import ratelimit
from haven.core.openapi import errors
from haven.core.pagination import MAX_PAGE_SIZE
from haven.notes.idempotency import KEY_MAX, run_idempotent
from haven.notes.schemas import MAX_ID, NoteIn, NoteOut, NotePageOut, NotePatch, note_data, note_out
from haven.notes.selectors import drafts_of, note_detail
from haven.notes.services import note_create, note_delete, note_publish, note_update

router = Router(tags=["notes"])

CREATE_LIMIT_PER_HOUR = 60
NoteId = Path(..., ge=1, le=MAX_ID)


class PageQuery(Schema):
    cursor: str | None = NinjaField(None, max_length=2000)
    limit: int = NinjaField(20, ge=1, le=MAX_PAGE_SIZE)


@router.post("", response={201: NoteOut, **errors(409, 429)}, summary="Create a note (published or draft)")
def create_note(
    request: HttpRequest,
    payload: NoteIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=KEY_MAX),
) -> Status[Any]:
    """Send `Idempotency-Key` to make retries safe: the same key and body replay the first response."""
    user = request.auth  # type: ignore[attr-defined]
    data = payload.dict()

    def action() -> tuple[int, Any]:
        ratelimit.hit("notes.create", str(user.pk), limit=CREATE_LIMIT_PER_HOUR, window_seconds=3600)
        note = note_create(author=user, **data)
        return 201, note_out(note_detail(user, note.pk, mentions=False))

    status, body = run_idempotent(
        user=user, scope="notes.create", key=idempotency_key, payload=data, action=action
    )
    return Status(status, body)


@router.get("/drafts", response=NotePageOut, summary="My drafts, most recently edited first")
def list_drafts(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    result = drafts_of(request.auth, page.cursor, page.limit, detail=True)  # type: ignore[attr-defined]
    return {"items": [note_out(n) for n in result.items], "next_cursor": result.next_cursor}


@router.get("/{note_id}", response=NoteOut, auth=OptionalAuth(), summary="A note")
def get_note(request: HttpRequest, note_id: int = NoteId) -> dict[str, Any]:
    return note_data(note_detail(request.auth, note_id, mentions=False))  # type: ignore[attr-defined]


@router.patch("/{note_id}", response=NoteOut, summary="Edit my note")
def patch_note(request: HttpRequest, payload: NotePatch, note_id: int = NoteId) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    note_update(actor=user, note_id=note_id, **payload.dict(exclude_none=True))
    return note_data(note_detail(user, note_id, mentions=False))


@router.delete("/{note_id}", response={204: None}, summary="Delete my note")
def delete_note(request: HttpRequest, note_id: int = NoteId) -> Status[None]:
    note_delete(actor=request.auth, note_id=note_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.post("/{note_id}/publish", response={200: NoteOut, **errors(409)}, summary="Publish my draft")
def publish_note(request: HttpRequest, note_id: int = NoteId) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    note_publish(actor=user, note_id=note_id)
    return note_data(note_detail(user, note_id, mentions=False))
