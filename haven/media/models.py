"""Uploaded images and their renditions, with a declared processing lifecycle and its audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MediaImage(models.Model):
    """One uploaded image. The original is kept privately and never served; renditions are re-encoded."""

    class State(models.TextChoices):
        UPLOADED = "uploaded"
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    class ScreenState(models.TextChoices):
        """Outcome of the screeners registered in haven.media.screening, set when processing succeeds."""

        PENDING = "pending"
        CLEAR = "clear"
        HELD = "held"  # a screener asked to hold the content that uses this image for review

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="images")
    state = models.CharField(max_length=12, choices=State.choices, default=State.UPLOADED, db_index=True)
    # The residency region whose storages hold this image's files (haven.media.regions).
    storage_region = models.CharField(max_length=16, default="default")
    original_path = models.CharField(max_length=255, blank=True)  # private storage, never served
    original_format = models.CharField(max_length=10, blank=True)
    byte_size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    blurhash = models.CharField(max_length=64, blank=True)
    grid_path = models.CharField(max_length=255, blank=True)  # ~540 px wide, for feed cards
    detail_path = models.CharField(max_length=255, blank=True)  # ~1440 px, for the carousel
    error_code = models.CharField(max_length=40, blank=True)
    screen_state = models.CharField(max_length=8, choices=ScreenState.choices, default=ScreenState.PENDING)
    # {"verdicts": [{"screener", "hold", "category", "score", "detail"}, ...], "screeners": [names]}
    screen_detail = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(default=timezone.now)  # set by every lifecycle transition
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["state", "state_changed_at"]),
        ]

    def __str__(self) -> str:
        return f"image {self.pk} ({self.state})"

    @property
    def aspect_ratio(self) -> float:
        return (self.width / self.height) if self.width and self.height else 0.75


class MediaTransition(models.Model):
    """Audit row for every lifecycle transition of an image."""

    image = models.ForeignKey(MediaImage, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=12)
    dst = models.CharField(max_length=12)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"image {self.image_id}: {self.src or '-'} -> {self.dst}"
