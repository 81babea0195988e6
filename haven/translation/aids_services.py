"""Writes of learner aids and bilingual notes: vocabulary lists, aid preferences, authors' translations."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haven.accounts.selectors import users_by_usernames
from haven.core import searchables
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.text import parse_mentions, render_rich_text
from haven.notes.access import editable_note_or_404, get_visible_note
from haven.translation import aids
from haven.translation.aids_selectors import AUTHOR_LANGUAGES
from haven.translation.models import NoteTranslation, TranslationPreference, VocabularyEntry

CONTEXT_MAX = 200
TITLE_MAX = 100
BODY_MAX = 5000


def _clean_word(word: str) -> str:
    word = " ".join((word or "").split())
    if not word:
        raise InvalidInput(_("Choose a word to save."), code="word_required")
    if len(word) > aids.MAX_WORD:
        raise InvalidInput(_("That word is too long."), code="word_too_long")
    return word


def vocabulary_add(*, user: Any, word: str, note_id: int | None = None, context: str = "") -> VocabularyEntry:
    """Save a word (pinyin and gloss from CC-CEDICT); saving it again updates it. Bounded per member."""
    word = _clean_word(word)
    note = get_visible_note(user, note_id) if note_id is not None else None
    entry = aids.gloss(word)
    values = {
        "pinyin": entry.pinyin[:128],
        "gloss": entry.text,
        "note": note,
        "context": " ".join((context or "").split())[:CONTEXT_MAX],
    }
    with transaction.atomic():
        existing = VocabularyEntry.objects.select_for_update().filter(user=user, word=word).first()
        if existing is not None:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=[*values.keys()])
            return existing
        if VocabularyEntry.objects.filter(user=user).count() >= VocabularyEntry.MAX_PER_USER:
            raise Conflict(
                "Your word list is full. Delete some words to save new ones.",
                code="vocabulary_full",
                details={"max": VocabularyEntry.MAX_PER_USER},
            )
        try:
            with transaction.atomic():
                return VocabularyEntry.objects.create(user=user, word=word, **values)
        except IntegrityError:  # a concurrent save of the same word won
            return VocabularyEntry.objects.get(user=user, word=word)


def vocabulary_delete(*, user: Any, entry_id: int | None = None, word: str | None = None) -> None:
    """Remove one saved word (by id or by word); NotFound when it is not the member's."""
    qs: QuerySet[VocabularyEntry] = VocabularyEntry.objects.filter(user=user)
    if entry_id is not None:
        qs = qs.filter(pk=entry_id)
    elif word:
        qs = qs.filter(word=" ".join(word.split()))
    else:
        raise NotFound(_("Word not found."))
    deleted, _counts = qs.delete()
    if not deleted:
        raise NotFound(_("Word not found."))


def preference_update(*, user: Any, auto_translate: bool, show_pinyin: bool) -> TranslationPreference:
    pref, _created = TranslationPreference.objects.update_or_create(
        user=user, defaults={"auto_translate": auto_translate, "show_pinyin": show_pinyin}
    )
    return pref


def note_translation_save(
    *, author: Any, note_id: Any, language: str, title: str, body: str
) -> NoteTranslation:
    """Create or replace the author's own translation of their note into `language`."""
    note = editable_note_or_404(author, note_id)
    if language not in AUTHOR_LANGUAGES:
        raise InvalidInput(_("Choose a language from the list."), code="unsupported_language")
    if language == note.language:
        raise InvalidInput(_("The note is already in this language."), code="same_language")
    title = (title or "").strip()
    body = (body or "").strip()
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise InvalidInput(_("The translation is too long."), code="too_long")
    if not title and not body:
        raise InvalidInput(_("Write a title or a text."), code="empty_translation")
    known = {u.username for u in users_by_usernames(parse_mentions(body))}
    body_html = render_rich_text(body, known_usernames=known)
    translation, _created = NoteTranslation.objects.update_or_create(
        note=note, language=language, defaults={"title": title, "body": body, "body_html": body_html}
    )
    searchables.changed("note", [note.pk])
    return translation


def note_translation_delete(*, author: Any, note_id: Any, language: str) -> None:
    note = editable_note_or_404(author, note_id)
    deleted, _counts = NoteTranslation.objects.filter(note=note, language=language).delete()
    if not deleted:
        raise NotFound(_("Translation not found."))
    searchables.changed("note", [note.pk])
