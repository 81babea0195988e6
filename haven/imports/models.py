"""Import jobs (one per uploaded export), their audit trail, and the items they created (stable keys)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.imports import states


class ImportJob(models.Model):
    """One member's upload of a TikTok or Instagram export, from upload to drafts.

    `file_name` is the upload in the member's region's private storage (never served); `findings`
    is the parsed export (what the review screen offers) and `report` what was found and skipped.
    Both the file and the findings go once the job finishes or after the retention period;
    `report`, `choices`, `result` and `interests` stay with the job until the member deletes it.
    """

    class State(models.TextChoices):
        UPLOADED = states.UPLOADED, _("Uploaded")
        PARSING = states.PARSING, _("Reading your export")
        REVIEW = states.REVIEW, _("Ready to review")
        IMPORTING = states.IMPORTING, _("Importing")
        DONE = states.DONE, _("Done")
        FAILED = states.FAILED, _("Failed")
        CANCELLED = states.CANCELLED, _("Cancelled")
        EXPIRED = states.EXPIRED, _("Expired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    state = models.CharField(max_length=10, choices=State.choices, default=states.UPLOADED)
    # "tiktok" | "instagram" and the parser's layout, known once parsed.
    source = models.CharField(max_length=12, blank=True)
    layout = models.CharField(max_length=20, blank=True)
    original_name = models.CharField(max_length=100, blank=True)  # cleaned basename of the upload
    storage_region = models.CharField(max_length=32, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # "" once the upload is deleted
    byte_size = models.PositiveBigIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    error_code = models.CharField(max_length=40, blank=True)
    report = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(null=True, blank=True)
    choices = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # Interest signals for the first feed (liked and favourite videos, hashtags): see docs/imports.md.
    interests = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="import_job_user_created"),
            models.Index(fields=["state", "created_at"], name="import_job_state_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(state__in=states.ACTIVE), name="import_one_active_per_member"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in states.ACTIVE


class ImportTransition(models.Model):
    """Audit row of one lifecycle step (append-only)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="transitions")
    src = models.CharField(max_length=10, blank=True)
    dst = models.CharField(max_length=10)
    detail = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"import {self.job_id}: {self.src} -> {self.dst}"


class ImportedItem(models.Model):
    """Something an import created, under a stable key, so a second import of the same export skips it.

    For a post: `key` is derived from the original date and caption (see services.post_key), `note`
    the draft it became, `original_posted_at` shown as "first posted on TikTok on ...", and
    `original_link` the platform's link, kept while the draft has no video of its own.
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_items"
    )
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    source = models.CharField(max_length=12)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.POST)
    key = models.CharField(max_length=64)
    note = models.ForeignKey(
        "notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    original_posted_at = models.DateTimeField(null=True, blank=True)
    original_link = models.URLField(max_length=2048, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "source", "kind", "key"], name="imported_item_unique_key")
        ]
        indexes = [models.Index(fields=["note"], name="imported_item_note")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.key[:8]} -> note {self.note_id}"
