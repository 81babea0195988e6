"""Follows, follow requests (private accounts), blocks and mutes between members."""

from __future__ import annotations

from django.conf import settings
from django.db import models

User = settings.AUTH_USER_MODEL


class Follow(models.Model):
    """`follower` sees `followee`'s follower-only notes and their notes in the Following feed."""

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_edges")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_edges")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["followee", "-created_at"]),
            models.Index(fields=["follower", "-created_at"], name="follow_follower_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id}"


class FollowRequest(models.Model):
    """A pending request to follow a private account; approving turns it into a Follow."""

    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sent_follow_requests")
    target = models.ForeignKey(User, on_delete=models.CASCADE, related_name="received_follow_requests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="follow_request_unique"),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("target")), name="follow_request_not_self"
            ),
        ]
        indexes = [models.Index(fields=["target", "-created_at"], name="follow_request_target_recent")]

    def __str__(self) -> str:
        return f"{self.requester_id} ?> {self.target_id}"


class Block(models.Model):
    """Either side of a block stops seeing the other everywhere."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} x {self.blocked_id}"


class Mute(models.Model):
    """The muter stops seeing the muted member's notes in feeds; nothing else changes."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(condition=~models.Q(muter=models.F("muted")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} ~ {self.muted_id}"
