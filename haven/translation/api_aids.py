"""JSON API of the learner aids and authors' own note translations (mounted at /api/v1/translation/aids)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from haven.accounts.auth import OptionalAuth
from haven.core import ratelimit
from haven.core.errors import InvalidInput, NotFound
from haven.core.openapi import errors
from haven.core.pagination import MAX_PAGE_SIZE
from haven.notes.access import get_visible_note
from haven.translation import aids, aids_selectors, aids_services
from haven.translation.models import NoteTranslation, VocabularyEntry

router = Router(tags=["translation aids"])

MAX_ID = 2**53
LANG_MAX = 16
AIDS_PER_MINUTE = 120
EXPORTS_PER_HOUR = 30
Id = Path(..., ge=1, le=MAX_ID)


class PinyinOut(Schema):
    text: str
    pinyin: str
    html: str = Field(description="The text with <ruby> pinyin annotations (sanitized HTML)")


class GlossOut(Schema):
    word: str
    pinyin: str
    definitions: list[str]
    found: bool
    attribution: str


class VocabularyIn(Schema):
    word: str = Field(..., min_length=1, max_length=aids.MAX_WORD)
    note_id: int | None = Field(None, ge=1, le=MAX_ID)
    context: str = Field("", max_length=aids_services.CONTEXT_MAX)


class VocabularyOut(Schema):
    id: int
    word: str
    pinyin: str
    gloss: str
    context: str
    note_id: int | None
    created_at: str


class VocabularyPageOut(Schema):
    items: list[VocabularyOut]
    next_cursor: str | None


class VocabularyDeleteIn(Schema):
    word: str = Field(..., min_length=1, max_length=aids.MAX_WORD)


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=2000)
    limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class AuthorTranslationIn(Schema):
    title: str = Field("", max_length=aids_services.TITLE_MAX)
    body: str = Field("", max_length=aids_services.BODY_MAX)


class AuthorTranslationOut(Schema):
    note_id: int
    language: str
    title: str
    body: str
    body_html: str
    updated_at: str


def _vocab_out(entry: VocabularyEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "word": entry.word,
        "pinyin": entry.pinyin,
        "gloss": entry.gloss,
        "context": entry.context,
        "note_id": entry.note_id,
        "created_at": entry.created_at.isoformat(),
    }


def _translation_out(tr: NoteTranslation) -> dict[str, Any]:
    return {
        "note_id": tr.note_id,
        "language": tr.language,
        "title": tr.title,
        "body": tr.body,
        "body_html": tr.body_html,
        "updated_at": tr.updated_at.isoformat(),
    }


def _auth(request: HttpRequest) -> Any:
    """The caller ninja authenticated (a member, or AnonymousUser on OptionalAuth endpoints)."""
    return getattr(request, "auth", None)


def _limit(request: HttpRequest, scope: str, limit: int, window: int) -> None:
    user = _auth(request)
    key = (
        str(getattr(user, "pk", ""))
        if getattr(user, "is_authenticated", False)
        else ratelimit.client_ip(request)
    )
    ratelimit.hit(scope, key, limit=limit, window_seconds=window)


class PinyinQuery(Schema):
    text: str = Field(..., min_length=1, max_length=aids.MAX_TEXT)


class GlossQuery(Schema):
    word: str = Field(..., min_length=1, max_length=aids.MAX_WORD)


@router.get(
    "/pinyin",
    response={200: PinyinOut, **errors(429)},
    auth=OptionalAuth(),
    summary="Pinyin of a Chinese text",
)
def pinyin(request: HttpRequest, q: Query[PinyinQuery]) -> dict[str, Any]:
    _limit(request, "translation.aids", AIDS_PER_MINUTE, 60)
    return {
        "text": q.text,
        "pinyin": aids.pinyin_text(q.text),
        "html": aids.annotate_text(q.text, tappable=False),
    }


@router.get(
    "/gloss",
    response={200: GlossOut, **errors(404, 429)},
    auth=OptionalAuth(),
    summary="CC-CEDICT gloss of a Chinese word",
)
def gloss(request: HttpRequest, q: Query[GlossQuery]) -> dict[str, Any]:
    _limit(request, "translation.aids", AIDS_PER_MINUTE, 60)
    entry = aids.gloss(q.word)
    if not entry.definitions and not entry.pinyin:
        raise NotFound(_("No dictionary entry for this word."), code="word_not_found")
    return {
        "word": entry.word,
        "pinyin": entry.pinyin,
        "definitions": entry.definitions,
        "found": entry.found,
        "attribution": aids.CEDICT_ATTRIBUTION,
    }


@router.get("/vocabulary", response=VocabularyPageOut, summary="My saved words, newest first")
def vocabulary_list(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    page = aids_selectors.vocabulary_page(_auth(request), cursor=q.cursor, limit=q.limit)
    return {"items": [_vocab_out(e) for e in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/vocabulary",
    response={201: VocabularyOut, **errors(409, 429)},
    summary="Save a word (saving again updates it)",
)
def vocabulary_add(request: HttpRequest, payload: VocabularyIn) -> Status:
    _limit(request, "translation.vocab", AIDS_PER_MINUTE, 60)
    entry = aids_services.vocabulary_add(
        user=_auth(request), word=payload.word, note_id=payload.note_id, context=payload.context
    )
    return Status(201, _vocab_out(entry))


@router.delete("/vocabulary/{entry_id}", response={204: None}, summary="Delete a saved word")
def vocabulary_delete(request: HttpRequest, entry_id: int = Id) -> Status:
    aids_services.vocabulary_delete(user=_auth(request), entry_id=entry_id)
    return Status(204, None)


@router.delete("/vocabulary", response={204: None}, summary="Delete a saved word by the word itself")
def vocabulary_delete_word(request: HttpRequest, q: Query[VocabularyDeleteIn]) -> Status:
    aids_services.vocabulary_delete(user=_auth(request), word=q.word)
    return Status(204, None)


@router.get("/vocabulary.csv", summary="My saved words as CSV", response={200: None, **errors(429)})
def vocabulary_csv(request: HttpRequest) -> HttpResponse:
    _limit(request, "translation.export", EXPORTS_PER_HOUR, 3600)
    rows = aids_selectors.vocabulary_rows(_auth(request), base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(aids.vocabulary_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="haven-vocabulary.csv"'
    return response


@router.get(
    "/vocabulary.apkg", summary="My saved words as an Anki deck (.apkg)", response={200: None, **errors(429)}
)
def vocabulary_apkg(request: HttpRequest) -> HttpResponse:
    _limit(request, "translation.export", EXPORTS_PER_HOUR, 3600)
    user = _auth(request)
    rows = aids_selectors.vocabulary_rows(user)
    data = aids.vocabulary_apkg(rows, deck_name="Haven vocabulary", owner_key=f"user:{user.pk}")
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = 'attachment; filename="haven-vocabulary.apkg"'
    return response


def _lang(language: str) -> str:
    if language not in aids_selectors.AUTHOR_LANGUAGES:
        raise InvalidInput(_("Choose a supported language."), code="unsupported_language")
    return language


@router.get(
    "/notes/{note_id}/author-translations/{language}",
    response=AuthorTranslationOut,
    auth=OptionalAuth(),
    summary="The author's own translation of a note",
)
def author_translation_get(
    request: HttpRequest, note_id: int = Id, language: str = Path(..., max_length=LANG_MAX)
) -> dict[str, Any]:
    note = get_visible_note(_auth(request), note_id)
    tr = aids_selectors.author_translation(note, _lang(language))
    if tr is None:
        raise NotFound(_("Translation not found."))
    return _translation_out(tr)


@router.put(
    "/notes/{note_id}/author-translations/{language}",
    response=AuthorTranslationOut,
    summary="Add or replace my own translation of my note",
)
def author_translation_put(
    request: HttpRequest,
    payload: AuthorTranslationIn,
    note_id: int = Id,
    language: str = Path(..., max_length=LANG_MAX),
) -> dict[str, Any]:
    tr = aids_services.note_translation_save(
        author=_auth(request),
        note_id=note_id,
        language=_lang(language),
        title=payload.title,
        body=payload.body,
    )
    return _translation_out(tr)


@router.delete(
    "/notes/{note_id}/author-translations/{language}",
    response={204: None},
    summary="Remove my own translation of my note",
)
def author_translation_delete(
    request: HttpRequest, note_id: int = Id, language: str = Path(..., max_length=LANG_MAX)
) -> Status:
    aids_services.note_translation_delete(
        author=_auth(request), note_id=note_id, language=language[:LANG_MAX]
    )
    return Status(204, None)
