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


class MediaVideo(models.Model):
    """One uploaded video (one per note). The original is kept privately and never served; what is
    served are renditions re-encoded by ffmpeg in a worker (haven.media.video), stripped of metadata.

    Lifecycle (haven.media.states.VIDEO_LIFECYCLE): uploaded -> probing -> transcoding -> ready, or
    failed (an error on our side, retried) / rejected (the file is not an allowed video; final).
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded"
        PROBING = "probing"
        TRANSCODING = "transcoding"
        READY = "ready"
        FAILED = "failed"
        REJECTED = "rejected"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos")
    state = models.CharField(max_length=12, choices=State.choices, default=State.UPLOADED, db_index=True)
    storage_region = models.CharField(max_length=16, default="default")
    original_path = models.CharField(max_length=255, blank=True)  # private storage, never served
    original_container = models.CharField(max_length=8, blank=True)  # mp4 | mov | webm (sniffed)
    byte_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)  # as displayed (rotation applied)
    height = models.PositiveIntegerField(default=0)
    has_audio = models.BooleanField(default=False)
    # Served renditions (renditions storage, under r/v<pk>/): H.264/AAC MP4 with faststart.
    hd_path = models.CharField(max_length=255, blank=True)  # 720p
    sd_path = models.CharField(max_length=255, blank=True)  # 480p
    preview_path = models.CharField(max_length=255, blank=True)  # a few muted seconds for feed cards
    poster_path = models.CharField(max_length=255, blank=True)  # WebP, detail size
    poster_grid_path = models.CharField(max_length=255, blank=True)  # WebP, card size
    poster_at_ms = models.PositiveIntegerField(default=0)  # the frame the author chose
    blurhash = models.CharField(max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100 while transcoding
    error_code = models.CharField(max_length=40, blank=True)
    screen_state = models.CharField(
        max_length=8, choices=MediaImage.ScreenState.choices, default=MediaImage.ScreenState.PENDING
    )
    screen_detail = models.JSONField(default=dict, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["state", "state_changed_at"]),
        ]

    def __str__(self) -> str:
        return f"video {self.pk} ({self.state})"

    @property
    def aspect_ratio(self) -> float:
        return (self.width / self.height) if self.width and self.height else 9 / 16

    def rendition_paths(self) -> list[str]:
        return [
            p
            for p in (self.hd_path, self.sd_path, self.preview_path, self.poster_path, self.poster_grid_path)
            if p
        ]


class VideoTransition(models.Model):
    """Audit row for every lifecycle transition of a video."""

    video = models.ForeignKey(MediaVideo, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=12)
    dst = models.CharField(max_length=12)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"video {self.video_id}: {self.src or '-'} -> {self.dst}"


class VideoCaption(models.Model):
    """One caption track of a video in one language, stored as sanitised WebVTT (haven.media.captions).

    `source` "upload": the author's file; "translation": made from another track by the translation
    service (`translated_from` names that track's language).
    """

    class Source(models.TextChoices):
        UPLOAD = "upload"
        TRANSLATION = "translation"

    video = models.ForeignKey(MediaVideo, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(max_length=16)  # BCP 47, e.g. "en", "zh-Hans"
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.UPLOAD)
    translated_from = models.CharField(max_length=16, blank=True)
    vtt = models.TextField()  # sanitised WebVTT, bounded by haven.media.captions limits
    cue_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "language"], name="video_caption_language_unique")
        ]

    def __str__(self) -> str:
        return f"video {self.video_id} captions {self.language}"


class MediaUpload(models.Model):
    """A resumable upload in progress (the tus protocol, haven.media.tus). Its bytes collect in a
    private local file (`partial_path`, under the data folder's uploads/); once complete they become
    a MediaVideo (`video`) and the partial file is removed."""

    class State(models.TextChoices):
        OPEN = "open"
        COMPLETE = "complete"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    partial_path = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    video = models.ForeignKey(MediaVideo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The lease of the one PATCH that may write the partial file now (claimed and released by
    # compare-and-set in haven.media.tus; a lease past `locked_until` may be taken over).
    lock_token = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner", "state"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.offset}/{self.length})"
