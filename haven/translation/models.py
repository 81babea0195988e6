"""Cached machine translations, authors' own translations, preferences and vocabulary lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.notes.models import Note


class CachedTranslation(models.Model):
    """One machine translation of one text, keyed by what could change its output."""

    content_hash = models.CharField(max_length=64)  # sha256 of the source text
    source_lang = models.CharField(max_length=16)
    target_lang = models.CharField(max_length=16)
    provider = models.CharField(max_length=64)  # provider id + model/version
    sanitizer_version = models.CharField(max_length=8)
    text = models.TextField()  # sanitized output
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(auto_now=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash", "source_lang", "target_lang", "provider", "sanitizer_version"],
                name="translation_cache_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_lang}->{self.target_lang} {self.content_hash[:8]}"


class NoteTranslation(models.Model):
    """An author's own translation of their note into another language (bilingual notes)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="author_translations")
    language = models.CharField(max_length=16)
    title = models.CharField(max_length=100, blank=True)
    body = models.TextField(max_length=5000, blank=True)
    body_html = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "language"], name="note_translation_unique")]

    def __str__(self) -> str:
        return f"note {self.note_id} ({self.language})"


class TranslationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    auto_translate = models.BooleanField(default=False)
    show_pinyin = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class VocabularyEntry(models.Model):
    """A word a learner saved, remembering the note it came from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vocabulary")
    word = models.CharField(max_length=32)
    pinyin = models.CharField(max_length=128, blank=True)
    gloss = models.CharField(max_length=500, blank=True)
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    context = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    MAX_PER_USER = 5000

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "word"], name="vocabulary_unique_word")]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.word
