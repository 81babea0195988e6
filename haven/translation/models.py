"""Cached machine translations, authors' own translations, preferences and vocabulary lists."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class ProviderKind(models.TextChoices):
    CTRANSLATE2 = "ctranslate2", _("CTranslate2 (local model)")
    LIBRETRANSLATE = "libretranslate", "LibreTranslate"
    OPENAI = "openai", _("OpenAI-compatible")


class ProviderConfig(models.Model):
    """A machine-translation provider configured by staff in the admin (merged with the environment's)."""

    name = models.CharField(
        _("name"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_.-]{1,40}$")],
        help_text=_("Shown to members as “Translated by …”. Letters, digits, dot, dash, underscore."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    endpoint_url = models.CharField(
        _("endpoint URL"),
        max_length=500,
        blank=True,
        help_text=_("LibreTranslate or OpenAI-compatible server, e.g. http://127.0.0.1:5000"),
    )
    api_key = models.CharField(_("API key"), max_length=500, blank=True)
    model = models.CharField(
        _("model name"), max_length=200, blank=True, help_text=_("OpenAI-compatible only")
    )
    model_path = models.CharField(
        _("model folder"), max_length=500, blank=True, help_text=_("CTranslate2 only: a folder on the server")
    )
    pairs = models.CharField(
        _("language pairs"),
        max_length=1000,
        default="*",
        help_text=_("Comma-separated, base codes: “zh-en, en-zh”, “zh-*”, or “*” for all."),
    )
    codes = models.JSONField(
        _("language codes"),
        default=dict,
        blank=True,
        help_text=_('Haven code -> the server\'s code, e.g. {"zh": "zh-Hans"} for LibreTranslate 1.6+.'),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    trusted_local = models.BooleanField(
        _("on a private network"),
        default=False,
        help_text=_("Allow a loopback or private address (a server you run yourself)."),
    )
    allowed_for_private_content = models.BooleanField(
        _("allowed for private content"),
        default=False,
        help_text=_("Followers-only and only-me notes, and their comments, may be sent to this provider."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers are tried first.")
    )
    version = models.CharField(
        _("version"),
        max_length=16,
        default="1",
        help_text=_("Change it when the model changes, so old cached translations are not reused."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("translation provider")
        verbose_name_plural = _("translation providers")

    def __str__(self) -> str:
        return self.name
