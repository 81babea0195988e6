"""Translation's entries in the personal-data registry: preferences, vocabulary, author translations,
and machine translations cached from the member's texts.

Cached machine translations carry no member id: they are keyed by the sha256 of the source text
(`services.content_hash`), so the eraser recomputes the keys from the member's current note titles and
bodies and comment bodies, and deletes every cached translation of them. Its erasers run at order 20,
before engagement's (40) and notes' (80) erasers delete those texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import batched
from typing import Any

from django.db import transaction

from haven.core import personal_data
from haven.engagement.models import Comment
from haven.notes.access import visible_notes
from haven.notes.models import Note
from haven.notes.personal_data import iso, mentions_text_of, render_without_member
from haven.translation.models import (
    CachedTranslation,
    NoteTranslation,
    TranslationPreference,
    VocabularyEntry,
)
from haven.translation.services import content_hash

BATCH = 500


# ---------------------------------------------------------------------------------------------
# Exporters


def export_preferences(user: Any) -> Iterator[dict[str, Any]]:
    for pref in TranslationPreference.objects.filter(user_id=user.pk):
        yield {
            "id": pref.pk,
            "kind": "preferences",
            "auto_translate": pref.auto_translate,
            "show_pinyin": pref.show_pinyin,
        }


def export_vocabulary(user: Any) -> Iterator[dict[str, Any]]:
    """The member's word list. The note a word came from (id, and the context copied from it) is only
    included while the member may still see that note, so nothing of a note hidden from them since leaks."""
    entries = VocabularyEntry.objects.filter(user_id=user.pk).order_by("pk")
    for chunk in batched(entries.iterator(chunk_size=BATCH), BATCH):
        note_ids = {e.note_id for e in chunk if e.note_id is not None}
        visible = (
            set(visible_notes(user).filter(pk__in=note_ids).values_list("pk", flat=True))
            if note_ids
            else set()
        )
        for e in chunk:
            shown = e.note_id is None or e.note_id in visible
            yield {
                "id": e.pk,
                "kind": "vocabulary",
                "word": e.word,
                "pinyin": e.pinyin,
                "gloss": e.gloss,
                "note_id": e.note_id if shown else None,
                "context": e.context if shown else "",
                "created_at": iso(e.created_at),
            }


def export_author_translations(user: Any) -> Iterator[dict[str, Any]]:
    """The member's own translations of their notes."""
    rows = NoteTranslation.objects.filter(note__author_id=user.pk).order_by("pk")
    for t in rows.iterator(chunk_size=BATCH):
        yield {
            "id": t.pk,
            "kind": "author_translation",
            "note_id": t.note_id,
            "language": t.language,
            "title": t.title,
            "body": t.body,
            "updated_at": iso(t.updated_at),
        }


# ---------------------------------------------------------------------------------------------
# Erasers


def member_text_hashes(user: Any) -> set[str]:
    """The cache keys (sha256) of every text of the member that can be machine-translated now."""
    hashes: set[str] = set()
    notes = Note.objects.filter(author_id=user.pk).values_list("title", "body")
    for title, body in notes.iterator(chunk_size=BATCH):
        hashes.update(content_hash(t) for t in (title, body) if t)
    comments = Comment.objects.filter(author_id=user.pk).values_list("body", flat=True)
    hashes.update(content_hash(b) for b in comments.iterator(chunk_size=BATCH) if b)
    return hashes


def erase_cached_translations(user: Any) -> int:
    """Delete cached machine translations of the member's note titles, bodies and comments."""
    total = 0
    for chunk in batched(sorted(member_text_hashes(user)), BATCH):
        deleted, _per_model = CachedTranslation.objects.filter(content_hash__in=chunk).delete()
        total += deleted
    return total


def erase_vocabulary(user: Any) -> int:
    """Delete the member's word list; other members' words saved from the member's notes lose the
    context copied from them and the link (the word, pinyin and dictionary gloss are theirs)."""
    with transaction.atomic():
        deleted, _per_model = VocabularyEntry.objects.filter(user_id=user.pk).delete()
        cleared = VocabularyEntry.objects.filter(note__author_id=user.pk).update(note=None, context="")
    return int(deleted) + int(cleared)


def erase_author_translations(user: Any) -> int:
    """Delete the member's translations of their notes (they would go with the notes too), and render
    other members' translations that mention the member again without the link to their profile."""
    deleted, _per_model = NoteTranslation.objects.filter(note__author_id=user.pk).delete()
    others = NoteTranslation.objects.filter(body__icontains=mentions_text_of(user))
    for pk, body in others.values_list("pk", "body").iterator(chunk_size=BATCH):
        NoteTranslation.objects.filter(pk=pk).update(body_html=render_without_member(body, user))
    return int(deleted)


def erase_preferences(user: Any) -> int:
    deleted, _per_model = TranslationPreference.objects.filter(user_id=user.pk).delete()
    return int(deleted)


def register_all() -> None:
    """Called from TranslationConfig.ready()."""
    section = "translations_and_vocabulary"
    personal_data.register(
        TranslationPreference,
        section=section,
        owner_fields=("user",),
        exporter=export_preferences,
        eraser=erase_preferences,
        order=20,
    )
    personal_data.register(
        VocabularyEntry,
        section=section,
        owner_fields=("user",),
        personal_fields=("word", "context"),
        exporter=export_vocabulary,
        eraser=erase_vocabulary,
        kept=(
            "Words other members saved from an erased member's note stay in their lists (the word, its "
            "pinyin and dictionary meaning are theirs), without the sentence copied from the note."
        ),
        order=20,
    )
    personal_data.register(
        NoteTranslation,
        section=section,
        owner_fields=(),
        personal_fields=("title", "body", "body_html"),
        exporter=export_author_translations,
        eraser=erase_author_translations,
        order=20,
    )
    personal_data.register(
        CachedTranslation,
        section=section,
        owner_fields=(),
        personal_fields=("text",),
        exporter=None,  # machine output, shared by everyone who reads the same text: not the member's
        eraser=erase_cached_translations,
        order=20,
    )
