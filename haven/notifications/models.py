"""The in-app inbox. Targets are referenced by kind and id so this app stays below notes and graph."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Verb(models.TextChoices):
        LIKE_NOTE = "like_note", _("liked your note")
        LIKE_COMMENT = "like_comment", _("liked your comment")
        COMMENT = "comment", _("commented on your note")
        REPLY = "reply", _("replied to your comment")
        MENTION = "mention", _("mentioned you")
        FOLLOW = "follow", _("started following you")
        FOLLOW_REQUEST = "follow_request", _("asked to follow you")
        FOLLOW_ACCEPTED = "follow_accepted", _("accepted your follow request")
        SAFETY = "safety", _("safety notice")  # from Haven's moderators about a report or your content
        ORDER = "order", _("order update")  # target "order:<id>:<event>" (haven.orders)
        SHOP = "shop", _("shop update")  # target "shop:<id>:<event>" (haven.shops)
        PEOPLE_JOINED = "people_joined", _("someone you followed elsewhere joined")  # "people:<handle id>"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    note_id = models.BigIntegerField(null=True, blank=True)  # notes.Note id, when the target is a note
    comment_id = models.BigIntegerField(null=True, blank=True)  # engagement.Comment id, when relevant
    # What a commerce entry is about, e.g. "order:42:shipped"; its text and link come from the app that
    # registered the verb (notifications.selectors.register_text, notifications.views.register_link).
    target = models.CharField(max_length=60, blank=True)
    group_key = models.CharField(max_length=80)  # e.g. "like_note:42"; rows sharing it display as one
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "group_key"], name="notification_group_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "actor", "verb", "group_key"], name="notification_dedupe"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_key} by {self.actor_id} for {self.recipient_id}"
