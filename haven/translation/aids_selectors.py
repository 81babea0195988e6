"""Reads of learner aids and bilingual notes: reader languages, preferences, words, authors' translations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor
from haven.core.text import base_language
from haven.notes.models import Note
from haven.translation.models import NoteTranslation, TranslationPreference, VocabularyEntry

# Languages an author may translate a note into (code -> label shown in the select).
AUTHOR_LANGUAGES: dict[str, Any] = {
    "en": _("English"),
    "zh-Hans": _("Chinese (Simplified)"),
    "zh-Hant": _("Chinese (Traditional)"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "es": _("Spanish"),
    "fr": _("French"),
    "de": _("German"),
    "pt": _("Portuguese"),
    "ru": _("Russian"),
    "it": _("Italian"),
    "vi": _("Vietnamese"),
    "th": _("Thai"),
    "id": _("Indonesian"),
    "ar": _("Arabic"),
}

# Django interface language codes -> the language codes stored on texts.
_INTERFACE_TO_TEXT = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}


def text_language_code(interface_code: str | None) -> str:
    """A Django language code ("zh-hans") as a text language code ("zh-Hans")."""
    code = (interface_code or "en").lower()
    return _INTERFACE_TO_TEXT.get(code, base_language(code))


def reader_languages(user: Any, interface_language: str | None) -> list[str]:
    """The languages a reader reads: the interface language first, then the languages on their profile."""
    langs = [text_language_code(interface_language)]
    if user is not None and getattr(user, "is_authenticated", False):
        for code in getattr(user, "languages", None) or []:
            if isinstance(code, str) and code and code not in langs:
                langs.append(code)
    return langs[:10]


def preference_for(user: Any) -> TranslationPreference:
    """The member's aid preferences (an unsaved default for anyone without a row, anonymous included)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return TranslationPreference(auto_translate=False, show_pinyin=False)
    pref = TranslationPreference.objects.filter(user=user).first()
    return pref or TranslationPreference(user=user, auto_translate=False, show_pinyin=False)


def vocabulary_page(
    user: Any, *, cursor: str | None = None, limit: int | None = None
) -> Page[VocabularyEntry]:
    """The member's saved words, newest first (keyset pagination on created_at, id)."""
    size = clamp_page_size(limit)
    qs = VocabularyEntry.objects.filter(user=user).order_by("-created_at", "-id")
    after = decode_cursor(cursor)
    if after:
        try:
            created, pk = str(after["t"]), int(after["id"])
        except (KeyError, TypeError, ValueError):
            created, pk = "", 0
        if created:
            qs = qs.filter(Q(created_at__lt=created) | Q(created_at=created, id__lt=pk))
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor({"t": last.created_at.isoformat(), "id": last.pk})
    return Page(items=rows, next_cursor=next_cursor)


def vocabulary_count(user: Any) -> int:
    return VocabularyEntry.objects.filter(user=user).count()


def vocabulary_rows(user: Any, *, base_url: str = "") -> Iterator[dict[str, str]]:
    """Every saved word as an export row (bounded by VocabularyEntry.MAX_PER_USER)."""
    qs = VocabularyEntry.objects.filter(user=user).order_by("created_at", "id")[
        : VocabularyEntry.MAX_PER_USER
    ]
    for entry in qs.iterator(chunk_size=500):
        source = f"{base_url}{reverse('notes:detail', args=[entry.note_id])}" if entry.note_id else ""
        yield {
            "word": entry.word,
            "pinyin": entry.pinyin,
            "gloss": entry.gloss,
            "context": entry.context,
            "source": source,
            "saved_at": entry.created_at.isoformat(timespec="seconds"),
        }


def saved_words(user: Any, words: list[str]) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not words:
        return set()
    return set(VocabularyEntry.objects.filter(user=user, word__in=words[:100]).values_list("word", flat=True))


def author_translations(note: Note) -> list[NoteTranslation]:
    """The author's own translations of a (visible) note."""
    return list(NoteTranslation.objects.filter(note=note).order_by("language")[: len(AUTHOR_LANGUAGES)])


def author_translation(note: Note, language: str) -> NoteTranslation | None:
    return NoteTranslation.objects.filter(note=note, language=language).first()


def best_author_translation(
    translations: list[NoteTranslation], languages: list[str]
) -> NoteTranslation | None:
    """The author's translation in the first reader language that has one (exact code, then base language)."""
    for lang in languages:
        for tr in translations:
            if tr.language == lang:
                return tr
        for tr in translations:
            if base_language(tr.language) == base_language(lang) and base_language(lang) != "zh":
                return tr
    for lang in languages:  # a Chinese reader takes either script when theirs is missing
        for tr in translations:
            if base_language(tr.language) == base_language(lang):
                return tr
    return None


def author_titles(notes: Iterable[Any], languages: list[str]) -> dict[int, NoteTranslation]:
    """For feed cards: the author's translated title of each note the reader does not read, in the
    reader's language (note id -> translation with `title` and `language`). At most one query, and
    none when every note is in a language the reader reads."""
    readers = {base_language(code) for code in languages if code}
    wanted = [n.pk for n in notes if base_language(n.language) not in readers | {"und"}]
    if not wanted or not readers:
        return {}
    rows = (
        NoteTranslation.objects.filter(note_id__in=wanted)
        .exclude(title="")
        .only("note_id", "language", "title")
    )
    by_note: dict[int, list[NoteTranslation]] = {}
    for row in rows:
        by_note.setdefault(row.note_id, []).append(row)
    chosen = {pk: best_author_translation(trs, languages) for pk, trs in by_note.items()}
    return {pk: tr for pk, tr in chosen.items() if tr is not None}
