"""Former handles members declare, and the following lists they imported from other platforms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"


class FormerHandle(models.Model):
    """A handle the member says they had elsewhere: self-declared, never verified by Haven.

    `handle` is as typed (without "@"); `handle_key` its casefolded form (what matching compares);
    `loose_key` the key without "." and "_" (likely matches). Others see it, and can find the member
    by it, only when `discoverable`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="former_handles"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=30)
    handle_key = models.CharField(max_length=30)
    loose_key = models.CharField(max_length=30)
    discoverable = models.BooleanField(_("discoverable"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "platform", "handle_key"], name="former_handle_unique"),
        ]
        indexes = [
            models.Index(
                fields=["platform", "handle_key"],
                name="former_handle_key_idx",
                condition=Q(discoverable=True),
            ),
            models.Index(
                fields=["platform", "loose_key"],
                name="former_handle_loose_idx",
                condition=Q(discoverable=True),
            ),
            # The other-platform look-up and the join alert read by key alone.
            models.Index(
                fields=["handle_key"], name="former_handle_anykey_idx", condition=Q(discoverable=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:@{self.handle} ({self.user_id})"


class ContactList(models.Model):
    """The accounts a member followed on another platform (imported): kept only to find them here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_lists")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    notify_on_join = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "platform"], name="contact_list_unique")]

    def __str__(self) -> str:
        return f"{self.platform} list of {self.user_id}"


class Contact(models.Model):
    """One handle of an imported following list. `notified_at`: when its owner was told it joined."""

    list = models.ForeignKey(ContactList, on_delete=models.CASCADE, related_name="contacts")
    handle = models.CharField(max_length=30)
    handle_key = models.CharField(max_length=30)
    loose_key = models.CharField(max_length=30)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list", "handle_key"], name="contact_unique")]
        indexes = [
            models.Index(fields=["handle_key"], name="contact_key_idx"),
            models.Index(fields=["loose_key"], name="contact_loose_idx"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle} in list {self.list_id}"
