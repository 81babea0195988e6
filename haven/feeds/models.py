"""Feed read models: which notes a member has already been shown (pushes them down in Discover)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.notes.models import Hashtag, Note


class SeenNote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="seen_note_unique")]
        indexes = [
            models.Index(fields=["seen_at"], name="seen_note_seen_at_idx"),  # for pruning
            # A member's latest marks (the personal ranking; what was served since a ranking made ahead).
            models.Index(fields=["user", "seen_at"], name="seen_note_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.note_id}"


class TrendingTopic(models.Model):
    """One row of the trending snapshot (feeds.trending): the hashtags rising fastest, per language.

    Replaced as a whole per language by the periodic `feeds_trending` job; the read path is one query.
    """

    language = models.CharField(max_length=8)  # "all", "zh" or "en"
    position = models.PositiveSmallIntegerField()  # 1 = the fastest rising
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    recent_count = models.PositiveIntegerField()  # distinct notes in the recent window
    baseline_count = models.PositiveIntegerField()  # distinct notes in the baseline window
    score = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "position"], name="trending_language_position"),
        ]

    def __str__(self) -> str:
        return f"{self.language} #{self.position}: {self.hashtag_id}"
