"""Recommendation data: interaction events, "not interested" choices, followed topics, trained models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haven.notes.models import Note


class EventKind(models.IntegerChoices):
    """What a member did with a note; the strength each carries in training is in recommend.training."""

    IMPRESSION = 1, "impression"  # a card was on screen
    OPEN = 2, "open"  # the note page was opened
    DWELL = 3, "dwell"  # time on the note page (value: milliseconds)
    LIKE = 4, "like"
    SAVE = 5, "save"
    COMMENT = 6, "comment"
    SHARE = 7, "share"
    NOT_INTERESTED = 8, "not_interested"


class InteractionEvent(models.Model):
    """One interaction, written in batches (buffered in Redis in the scaled profile), pruned after
    HAVEN_RECOMMEND_EVENT_DAYS. `source` and `model_version` say what served the card (impressions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=EventKind.choices)
    value = models.PositiveIntegerField(default=0)  # dwell milliseconds; position of an impression
    source = models.CharField(max_length=16, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "created_at"], name="rec_event_user_at_idx"),
            models.Index(fields=["created_at"], name="rec_event_at_idx"),  # pruning, training window
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()} {self.note_id}"


class NotInterested(models.Model):
    """A member's "not interested" in one note, an author or a topic: kept out of their Discover until
    they take it back in settings."""

    class Kind(models.TextChoices):
        NOTE = "note", "note"
        AUTHOR = "author", "author"
        TOPIC = "topic", "topic"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(max_length=64, blank=True)  # a normalized hashtag name, without '#'
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="note", note__isnull=False, author__isnull=True, topic="")
                    | Q(kind="author", note__isnull=True, author__isnull=False, topic="")
                    | Q(kind="topic", note__isnull=True, author__isnull=True) & ~Q(topic="")
                ),
                name="not_interested_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "note"], condition=Q(kind="note"), name="not_interested_note_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "author"], condition=Q(kind="author"), name="not_interested_author_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(kind="topic"), name="not_interested_topic_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="not_interested_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} not interested in {self.kind}"


class TopicFollow(models.Model):
    """A topic (hashtag) a member follows: chosen in onboarding, on a topic page, or from an import."""

    class Source(models.TextChoices):
        ONBOARDING = "onboarding", "onboarding"
        TOPIC_PAGE = "topic_page", "topic page"
        IMPORT = "import", "import"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=64)  # a normalized hashtag name, without '#'
    source = models.CharField(max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows #{self.topic}"


class RecommenderModel(models.Model):
    """A trained, versioned model artifact (recommend.algorithms bytes) and what it was trained on.

    Exactly one row is active; web processes load it into memory and re-check the active version at
    most every HAVEN_RECOMMEND_RELOAD_SECONDS. Old versions are pruned, keeping a few for rollback.
    """

    version = models.CharField(max_length=64, unique=True)
    artifact = models.BinaryField()
    ranker = models.JSONField(default=dict)  # the learned ranker's feature weights
    stats = models.JSONField(default=dict)  # members, notes, events, seconds, validation figures
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_model"
            )
        ]

    def __str__(self) -> str:
        return self.version
