"""JSON API endpoints of translation (mounted by config.api at /api/v1/translation)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Query, Router

from haven.accounts.auth import OptionalAuth
from haven.core.openapi import errors
from haven.translation import selectors, services
from haven.translation.schemas import CommentTranslationOut, NoteTranslationOut, ProvidersOut

router = Router(tags=["translation"])

#: ?target= accepts a language code such as "en", "zh", "zh-Hans", "zh-Hant".
TARGET = Query(..., min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z]{2,4})?$")


@router.get("/providers", response=ProvidersOut, auth=OptionalAuth())
def providers(request: HttpRequest) -> dict[str, object]:
    """Which language pairs this server translates, and by which providers (no secrets)."""
    infos = selectors.providers_info()
    return {
        "configured": bool(infos),
        "providers": [asdict(p) for p in infos],
        "pairs": [asdict(p) for p in selectors.available_pairs()],
    }


@router.post("/notes/{note_id}", response={200: NoteTranslationOut, **errors(413, 429, 502, 504)})
def translate_note(request: HttpRequest, note_id: int, target: str = TARGET) -> services.TranslatedNote:
    """The note's title and body translated into `target`. Errors: not_found (404),
    unsupported_language (400), translation_quota (429), translation_unavailable (503),
    translation_failed / translation_too_large (502), translation_timeout (504)."""
    return services.translate_note(viewer=request.auth, note_id=note_id, target=target)  # type: ignore[attr-defined]


@router.post("/comments/{comment_id}", response={200: CommentTranslationOut, **errors(413, 429, 502, 504)})
def translate_comment(
    request: HttpRequest, comment_id: int, target: str = TARGET
) -> services.TranslatedComment:
    """The comment translated into `target`; errors as for notes."""
    return services.translate_comment(viewer=request.auth, comment_id=comment_id, target=target)  # type: ignore[attr-defined]


router.add_router("/aids", "haven.translation.api_aids.router")
