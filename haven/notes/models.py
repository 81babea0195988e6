"""Notes (image carousels with a title and body), their images, hashtags and mentions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.core.reportables import ModerationState
from haven.media.models import MediaImage, MediaVideo

MAX_IMAGES = 18
TITLE_MAX = 100
BODY_MAX = 5000
LOCATION_MAX = 100
ALT_MAX = 500


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    FOLLOWERS = "followers", _("Followers only")
    PRIVATE = "private", _("Only me")


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField(max_length=BODY_MAX, blank=True)
    body_html = models.TextField(blank=True)  # rendered through core.text.render_rich_text (sanitized)
    location_name = models.CharField(max_length=LOCATION_MAX, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    cover_index = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=8, default="und")
    language_confidence = models.FloatField(default=0.0)
    like_count = models.PositiveIntegerField(default=0)
    save_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Moderation (haven.moderation decides; notes.access enforces): only "ok" notes are distributed.
    moderation = models.CharField(max_length=8, choices=ModerationState.choices, default=ModerationState.OK)
    moderation_reason = models.CharField(max_length=40, blank=True)  # a report reason code
    sensitive = models.BooleanField(default=False)  # shown behind an interstitial
    # The place location_name was read as (notes.places); set by the services on create and edit.
    place = models.ForeignKey(
        "Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="notes", db_index=False
    )  # indexed by note_place_published
    # A video note carries one video (haven.media.MediaVideo); its images are then empty.
    video = models.OneToOneField(
        MediaVideo, null=True, blank=True, on_delete=models.PROTECT, related_name="note"
    )

    class Meta:
        indexes = [
            models.Index(fields=["author", "status", "-published_at"]),
            models.Index(fields=["status", "visibility", "-published_at"]),
            models.Index(fields=["place", "-published_at"], name="note_place_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="note_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"note {self.pk}"


class NoteImage(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(MediaImage, on_delete=models.PROTECT, related_name="note_uses")
    position = models.PositiveSmallIntegerField()
    alt_text = models.CharField(max_length=ALT_MAX, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["note", "position"], name="note_image_position_unique")
        ]

    def __str__(self) -> str:
        return f"note {self.note_id} image {self.position}"


class Hashtag(models.Model):
    name = models.CharField(max_length=64, unique=True)  # normalized (NFKC, casefolded), without '#'
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class NoteHashtag(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="hashtag_links")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="note_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "hashtag"], name="note_hashtag_unique")]

    def __str__(self) -> str:
        return f"note {self.note_id} #{self.hashtag_id}"


class Mention(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentioned_in")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "user"], name="mention_unique")]

    def __str__(self) -> str:
        return f"note {self.note_id} @{self.user_id}"


PLACE_NAME_MAX = LOCATION_MAX
PLACE_KEY_MAX = 2 * LOCATION_MAX + 8


class Place(models.Model):
    """A city or a venue that notes' location names were read as (notes.places; docs/trending-and-places.md).

    `key` is unique: "city:<folded name>" or "venue:<folded city>/<folded name>" (an empty city part
    for a venue in no known city). `note_count` counts the public, distributable notes at the place (a
    city's own and its venues'), refreshed by the periodic `notes_places_refresh` job.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        VENUE = "venue", _("Place")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=PLACE_NAME_MAX)  # as first written (cleaned, NFKC)
    key = models.CharField(max_length=PLACE_KEY_MAX, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="venues"
    )  # a venue's city
    note_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "-note_count"], name="place_kind_count")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="venue") | models.Q(parent__isnull=True),
                name="place_city_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HomeCity(models.Model):
    """The city a member chose for "Near me" (never read from photo GPS, which Haven strips)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_city")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id} near {self.place_id}"
