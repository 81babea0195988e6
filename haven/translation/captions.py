"""Caption tracks in another language: a note's video captions translated, alone or bilingual."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import NotFound, TooLarge
from haven.media import captions as media_captions
from haven.media.captions import Cue
from haven.media.models import VideoCaption
from haven.notes.models import Note
from haven.translation import access, services

#: Distinct cue texts one track may send for translation (batches of services.MAX_TEXTS; each batch
#: with uncached texts costs the viewer one translation from their quota). A 15-minute video has a
#: few hundred cues.
MAX_TRANSLATED_TEXTS = 600


def caption_track(*, viewer: Any, note_id: Any, source_language: str, target: str, bilingual: bool) -> str:
    """The note's video's caption track `source_language` in `target`, as WebVTT.

    `bilingual`: each cue shows its original line, then its translation (once, where the text
    needs no translation); otherwise the translated track. NotFound when the viewer cannot see the
    note (translation.access), when it has no video, or the video no such track. Raises what
    services.translate_texts raises, and TooLarge "captions_translation_too_large".
    """
    note = access.note_for_translation(viewer, note_id)
    language = media_captions.normalize_language(source_language)
    target = services.normalize_target(target)
    caption = (
        VideoCaption.objects.filter(video_id=note.video_id, language=language).only("vtt").first()
        if note.video_id
        else None
    )
    if caption is None:
        raise NotFound(_("Caption track not found."), code="caption_not_found")
    cues = media_captions.stored_cues(caption.vtt)
    translated = translate_cues(
        cues,
        source=language,
        target=target,
        user=viewer,
        private=note.visibility != "public",
        author_id=note.author_id,
    )
    if not bilingual:
        return media_captions.serialize(translated)
    both = [
        Cue(cue.start_ms, cue.end_ms, cue.text if done.text == cue.text else f"{cue.text}\n{done.text}")
        for cue, done in zip(cues, translated, strict=True)
    ]
    return media_captions.serialize(both)


def caption_translate_for_author(
    *, owner: User, video_id: int, source_language: str, target: str
) -> VideoCaption:
    """The author stores a machine translation of their track `source_language` as the video's
    track in `target` (source "translation"); the author's quota pays. See
    media.captions.caption_store_translation for what it refuses."""
    source = media_captions.caption_of(owner=owner, video_id=video_id, language=source_language)
    target = services.normalize_target(target)
    media_captions.caption_translation_check(owner=owner, video_id=video_id, language=target)
    note = Note.objects.filter(video_id=source.video_id).only("visibility").first()
    cues = media_captions.stored_cues(source.vtt)
    translated = translate_cues(
        cues,
        source=source.language,
        target=target,
        user=owner,
        private=note is None or note.visibility != "public",
        author_id=owner.pk,
    )
    return media_captions.caption_store_translation(
        owner=owner, video_id=video_id, language=target, translated_from=source.language, cues=translated
    )


def translate_cues(
    cues: Sequence[Cue], *, source: str, target: str, user: Any, private: bool, author_id: int | None
) -> list[Cue]:
    """`cues` with their texts translated (same times, same order), through services.translate_texts
    in bounded batches of distinct texts. A text that needs no translation, comes back empty, or is
    longer than one request may carry (settings.TRANSLATION_MAX_CHARS) keeps its original."""
    texts = list(dict.fromkeys(cue.text for cue in cues))
    if len(texts) > MAX_TRANSLATED_TEXTS:
        raise TooLarge(
            _("This caption track is too long to translate (at most %(n)d different lines).")
            % {"n": MAX_TRANSLATED_TEXTS},
            code="captions_translation_too_large",
            details={"max_texts": MAX_TRANSLATED_TEXTS},
        )
    limit = int(settings.TRANSLATION_MAX_CHARS)
    translated: dict[str, str] = {text: text for text in texts if len(text) > limit}  # never sent
    for batch in _batches([text for text in texts if len(text) <= limit], limit):
        results = services.translate_texts(
            texts=batch, source=source, target=target, user=user, private=private, author_id=author_id
        )
        for text, result in zip(batch, results, strict=True):
            translated[text] = media_captions.clean_text(result.text) or text
    return [Cue(cue.start_ms, cue.end_ms, translated[cue.text]) for cue in cues]


def _batches(texts: list[str], limit: int) -> list[list[str]]:
    """Consecutive batches of at most services.MAX_TEXTS texts and `limit` characters."""
    batches: list[list[str]] = []
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) >= services.MAX_TEXTS or size + len(text) > limit):
            batches.append(batch)
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        batches.append(batch)
    return batches
