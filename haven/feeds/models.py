"""Feed read models: which notes a member has already been shown (pushes them down in Discover)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.notes.models import Note


class SeenNote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="seen_note_unique")]
        indexes = [models.Index(fields=["seen_at"], name="seen_note_seen_at_idx")]  # for pruning

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.note_id}"
