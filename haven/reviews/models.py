"""Product reviews: stars, text and photos, one per order line, marked verified for delivered purchases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haven.core.reportables import ModerationState

BODY_MAX = 2000
PHOTOS_MAX = 9


class Review(models.Model):
    """A buyer's review of a product they bought (one per order line)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    # PROTECT: order lines are business records that are never deleted; a verified review needs its line.
    order_line = models.OneToOneField(
        "orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="review"
    )
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(max_length=BODY_MAX, blank=True)
    language = models.CharField(max_length=16, blank=True)
    verified = models.BooleanField(default=False)
    has_photos = models.BooleanField(default=False)  # for the "with photos" filter without a join
    # The note this review was also published as (tagged with the product), if the author chose to.
    note = models.ForeignKey("notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_state = models.CharField(
        max_length=8, choices=ModerationState.choices, default=ModerationState.OK
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["product", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
            # The verified-purchase mark needs the order line it was earned by (services check delivery).
            models.CheckConstraint(
                condition=Q(verified=False) | Q(order_line__isnull=False),
                name="review_verified_has_order_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}* on {self.product_id} by {self.author_id}"


class ReviewPhoto(models.Model):
    """One of a review's photos (through the media pipeline), in display order."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("media.MediaImage", on_delete=models.PROTECT, related_name="review_uses")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "image"], name="review_photo_once")]

    def __str__(self) -> str:
        return f"{self.review_id}#{self.position}"
