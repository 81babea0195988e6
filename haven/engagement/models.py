"""Likes on notes and comments, threaded comments, saves into named collections."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.core.reportables import ModerationState
from haven.notes.models import Note

User = settings.AUTH_USER_MODEL
COMMENT_MAX = 1000
COLLECTION_NAME_MAX = 50
MAX_COLLECTIONS = 100


class NoteLike(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="note_likes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="note_like_unique")]
        indexes = [models.Index(fields=["note", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} likes note {self.note_id}"


class Comment(models.Model):
    """A comment on a note. Replies point at a top-level `parent` (two levels, as on RedNote)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    reply_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX)
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="und")
    language_confidence = models.FloatField(default=0.0)
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    moderation = models.CharField(max_length=8, choices=ModerationState.choices, default=ModerationState.OK)
    moderation_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["note", "parent", "-created_at"]),
            models.Index(fields=["note", "parent", "-like_count"]),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on note {self.note_id}"


class CommentLike(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="comment_likes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} likes comment {self.comment_id}"


class Collection(models.Model):
    """A named board of saved notes. Every member has one default collection, created on first save."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=COLLECTION_NAME_MAX)
    is_public = models.BooleanField(default=False)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_name_unique"),
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(is_default=True), name="collection_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Save(models.Model):
    """A member saved a note into one of their collections (one save per member and note)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saves")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="saves")
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="save_unique")]
        indexes = [models.Index(fields=["collection", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} saved note {self.note_id}"
