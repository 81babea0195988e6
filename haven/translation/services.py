"""Translating texts, notes and comments through the configured providers, with a cache and quotas."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import SUPPORTED_LANGUAGES
from haven.core import ratelimit
from haven.core.consent import EXTERNAL_TRANSLATION, consent_granted
from haven.core.errors import HavenError, InvalidInput, RateLimited, TooLarge
from haven.core.sanitize import SANITIZER_VERSION, strip_all
from haven.core.text import base_language, detect_language, render_rich_text
from haven.notes.models import Note
from haven.translation import access
from haven.translation.models import CachedTranslation, NoteTranslation
from haven.translation.providers import Provider, ProviderError, route_for
from haven.translation.providers.base import provider_too_large

logger = logging.getLogger(__name__)

#: Texts per call (a note is two: title and body).
MAX_TEXTS = 20
#: A provider's answer may be at most this many times the source text, plus OUTPUT_ALLOWANCE characters.
OUTPUT_FACTOR = 4
OUTPUT_ALLOWANCE = 1000
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
#: A text detected with at least this confidence keeps its own language over the caller's `source`.
CONFIDENT_DETECTION = 0.8
#: Chinese targets by script; other targets are base codes ("en").
CHINESE_TARGETS = {
    "zh": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
}


class TranslationUnavailable(HavenError):
    """No configured provider serves this language pair (HTTP 503, code translation_unavailable)."""

    status = 503
    code = "translation_unavailable"


@dataclass(frozen=True)
class TranslationResult:
    """One translated text: `text` is plain text without markup, `html` its safe rendering."""

    text: str
    html: str
    provider: str  # provider id; "" when no translation was needed
    cached: bool
    not_needed: bool = False


@dataclass(frozen=True)
class TranslatedNote:
    note_id: int
    title: str
    body_html: str
    source_language: str
    target_language: str
    provider: str
    cached: bool
    not_needed: bool


@dataclass(frozen=True)
class TranslatedComment:
    comment_id: int
    body_html: str
    source_language: str
    target_language: str
    provider: str
    cached: bool
    not_needed: bool


def normalize_target(target: str) -> str:
    """A target code Haven serves ("zh" -> "zh-Hans", "EN" -> "en"); InvalidInput (unsupported_language)."""
    code = (target or "").strip().replace("_", "-").lower()
    if code in CHINESE_TARGETS:
        return CHINESE_TARGETS[code]
    if base_language(code) in SUPPORTED_LANGUAGES and base_language(code) != "zh":
        return base_language(code)
    raise InvalidInput(
        _("This language is not supported."),
        code="unsupported_language",
        details={"supported": list(SUPPORTED_LANGUAGES)},
    )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_output(text: str) -> str:
    """A provider's answer as plain text: markup and control characters removed (rendering escapes it)."""
    return _CONTROL_RE.sub("", html.unescape(strip_all(text))).strip()


def _not_needed(text: str) -> TranslationResult:
    return TranslationResult(
        text=text, html=render_rich_text(text), provider="", cached=False, not_needed=True
    )


def _charge_quota(user: Any) -> None:
    try:
        if user is not None and getattr(user, "is_authenticated", False):
            ratelimit.hit(
                "translation-member",
                str(user.pk),
                limit=settings.TRANSLATION_MEMBER_QUOTA_PER_HOUR,
                window_seconds=3600,
            )
        ratelimit.hit(
            "translation-instance",
            "all",
            limit=settings.TRANSLATION_INSTANCE_QUOTA_PER_HOUR,
            window_seconds=3600,
        )
    except RateLimited as exc:
        raise RateLimited(
            _("You have used up your translations for now; please try again later."),
            code="translation_quota",
            details=exc.details,
        ) from None


def translate_texts(
    *,
    texts: Sequence[str],
    source: str,
    target: str,
    user: Any = None,
    private: bool = False,
    author_id: int | None = None,
) -> list[TranslationResult]:
    """Translate each text from `source` ("" or "und": detect per text) into `target`, in order.

    A text whose own detected language is confident (>= CONFIDENT_DETECTION) keeps it, so an
    English title of a Chinese note is not sent as Chinese.

    Texts that need no translation (same language, undetermined, only emoji/tags/links) come back
    unchanged with `not_needed`. Cached translations are reused; misses go to the providers of the
    route in order, falling back on errors. Raises InvalidInput (unsupported_language), TooLarge
    (translation_input_too_large), RateLimited (translation_quota), TranslationUnavailable
    (translation_unavailable: no provider serves the pair; with `private`, no provider allowed for
    private content does; translation_not_allowed_by_author: only external providers serve the pair
    and `author_id` refused the external_translation consent) and ProviderError (translation_failed,
    translation_timeout, translation_too_large: every provider of the route failed).
    """
    target = normalize_target(target)
    texts = list(texts)
    if len(texts) > MAX_TEXTS:
        raise TooLarge(_("Too many texts to translate at once."), code="translation_input_too_large")
    if sum(len(t) for t in texts) > settings.TRANSLATION_MAX_CHARS:
        raise TooLarge(
            _("This text is too long to translate."),
            code="translation_input_too_large",
            details={"max_chars": settings.TRANSLATION_MAX_CHARS},
        )
    results: list[TranslationResult | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        detected = detect_language(text)
        language = detected.code
        if source and base_language(source) != "und" and detected.confidence < CONFIDENT_DETECTION:
            language = source  # the caller's language (e.g. the note's) unless this text clearly differs
        if (
            not text.strip()
            or detected.code == "und"
            or base_language(language) in ("und", base_language(target))
        ):
            results[index] = _not_needed(text)
        else:
            groups.setdefault(base_language(language), []).append(index)
    for language, indexes in groups.items():
        translated = _translate_group([texts[i] for i in indexes], language, target, user, private, author_id)
        for index, result in zip(indexes, translated, strict=True):
            results[index] = result
    return [r for r in results if r is not None]


def _is_external(provider: Provider) -> bool:
    """A provider outside this server: not a local model, not a service the operator runs locally."""
    config = getattr(provider, "config", None)
    return getattr(config, "kind", "") != "ctranslate2" and not getattr(config, "trusted_local", False)


def _translate_group(
    texts: list[str], source: str, target: str, user: Any, private: bool, author_id: int | None = None
) -> list[TranslationResult]:
    route = route_for(source, target, private=private)
    if route and author_id is not None and not consent_granted(author_id, EXTERNAL_TRANSLATION):
        route = [p for p in route if not _is_external(p)]  # the author refused external translation
        if not route:
            raise TranslationUnavailable(
                _("Translation from this language is not available on this server."),
                code="translation_not_allowed_by_author",
                details={"source": source, "target": target},
            )
    if not route:
        raise TranslationUnavailable(
            _("Translation from this language is not available on this server."),
            details={"source": source, "target": target},
        )
    hashes = [content_hash(t) for t in texts]
    keys = [p.key for p in route]
    rows = CachedTranslation.objects.filter(
        content_hash__in=set(hashes),
        source_lang=source,
        target_lang=target,
        provider__in=keys,
        sanitizer_version=SANITIZER_VERSION,
    ).only("pk", "content_hash", "provider", "text")
    by_key = {(row.content_hash, row.provider): row for row in rows}
    provider_of_key = {p.key: p for p in route}
    results: list[TranslationResult | None] = [None] * len(texts)
    hit_ids = []
    for index, digest in enumerate(hashes):
        row = next((by_key[(digest, key)] for key in keys if (digest, key) in by_key), None)
        if row is not None:
            hit_ids.append(row.pk)
            results[index] = TranslationResult(
                text=row.text,
                html=render_rich_text(row.text),
                provider=provider_of_key[row.provider].id,
                cached=True,
            )
    if hit_ids:
        CachedTranslation.objects.filter(pk__in=hit_ids).update(
            hits=F("hits") + 1, last_used_at=timezone.now()
        )
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:
        _charge_quota(user)
        unique = list(dict.fromkeys(texts[i] for i in missing))
        provider, outputs = call_route(route, unique, source, target)
        translated = dict(zip(unique, outputs, strict=True))
        CachedTranslation.objects.bulk_create(
            [
                CachedTranslation(
                    content_hash=content_hash(text),
                    source_lang=source,
                    target_lang=target,
                    provider=provider.key,
                    sanitizer_version=SANITIZER_VERSION,
                    text=output,
                )
                for text, output in translated.items()
            ],
            ignore_conflicts=True,
        )
        for i in missing:
            output = translated[texts[i]]
            results[i] = TranslationResult(
                text=output, html=render_rich_text(output), provider=provider.id, cached=False
            )
    return [r for r in results if r is not None]


def call_route(
    route: list[Provider], texts: list[str], source: str, target: str
) -> tuple[Provider, list[str]]:
    """The first provider's cleaned answers that pass the checks; the last error when all fail."""
    timeout = float(settings.TRANSLATION_TIMEOUT_SECONDS)
    last_error: ProviderError | None = None
    for provider in route:
        try:
            raw = provider.translate_batch(texts, source, target, timeout=timeout)
            if len(raw) != len(texts):
                raise ProviderError(_("The translation service sent back the wrong number of texts."))
            for original, answer in zip(texts, raw, strict=True):
                if len(answer) > OUTPUT_FACTOR * len(original) + OUTPUT_ALLOWANCE:
                    raise provider_too_large()
            return provider, [clean_output(answer) for answer in raw]
        except ProviderError as exc:
            logger.warning("translation provider %s failed: %s (%s)", provider.id, exc.code, exc.details)
            last_error = exc
    assert last_error is not None
    raise last_error


def translate_note(*, viewer: Any, note_id: Any, target: str) -> TranslatedNote:
    """The note's title and body in `target` (one batch). NotFound when the viewer cannot see it.

    An author's own translation into the target language wins over machine translation.
    """
    note = access.note_for_translation(viewer, note_id)
    target = normalize_target(target)
    source = note.language if base_language(note.language) != "und" else ""
    authored = (
        NoteTranslation.objects.filter(
            note=note, language__in={target, base_language(target), target.lower()}
        )
        .only("title", "body_html")
        .first()
    )
    if authored is not None:
        return TranslatedNote(
            note_id=note.pk,
            title=authored.title,
            body_html=authored.body_html,
            source_language=note.language,
            target_language=target,
            provider="author",
            cached=False,
            not_needed=False,
        )
    title, body = translate_texts(
        texts=[note.title, note.body],
        source=source,
        target=target,
        user=viewer,
        private=note.visibility != "public",
        author_id=note.author_id,
    )
    done = [r for r in (title, body) if not r.not_needed]
    return TranslatedNote(
        note_id=note.pk,
        title=title.text,
        body_html=note.body_html if body.not_needed else body.html,
        source_language=note.language,
        target_language=target,
        provider=done[0].provider if done else "",
        cached=bool(done) and all(r.cached for r in done),
        not_needed=not done,
    )


def translate_comment(*, viewer: Any, comment_id: Any, target: str) -> TranslatedComment:
    """The comment's body in `target`. NotFound when the viewer cannot see the comment or its note."""
    comment = access.comment_for_translation(viewer, comment_id)
    target = normalize_target(target)
    source = comment.language if base_language(comment.language) != "und" else ""
    private = Note.objects.filter(pk=comment.note_id).exclude(visibility="public").exists()
    (body,) = translate_texts(
        texts=[comment.body],
        source=source,
        target=target,
        user=viewer,
        private=private,
        author_id=comment.author_id,
    )
    return TranslatedComment(
        comment_id=comment.pk,
        body_html=comment.body_html if body.not_needed else body.html,
        source_language=comment.language,
        target_language=target,
        provider=body.provider,
        cached=body.cached,
        not_needed=body.not_needed,
    )


def translation_cache_prune(*, older_than_days: int = 90) -> int:
    """Delete cached translations unused for `older_than_days`; returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=max(1, older_than_days))
    deleted, _detail = CachedTranslation.objects.filter(last_used_at__lt=cutoff).delete()
    return deleted
