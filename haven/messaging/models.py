"""Conversations, their participants, messages, reactions and the per-conversation event log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.reportables import ModerationState

#: Bounds (ARCHITECTURE.md rule 10).
BODY_MAX = 4000
TITLE_MAX = 80
GROUP_MAX_MEMBERS = 200
CLIENT_ID_MAX = 100


class Conversation(models.Model):
    """A direct (two members) or group conversation. Messages are numbered 1, 2, ... by `last_seq`."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("direct")
        GROUP = "group", _("group")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    avatar = models.ForeignKey(
        "media.MediaImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversation_avatars",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "<smaller user id>:<larger user id>" for a direct conversation: one per pair of members.
    direct_key = models.CharField(max_length=48, null=True, blank=True, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.pk}"


class Participant(models.Model):
    """One member's place in a conversation, with their own read state and settings for it."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        REQUEST = "request", _("message request")  # waits in the member's Requests
        DECLINED = "declined", _("declined")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")

    class Role(models.TextChoices):
        ADMIN = "admin", _("admin")
        MEMBER = "member", _("member")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # Messages with seq <= this are hidden for the member (joined later, or cleared the history).
    hidden_before_seq = models.BigIntegerField(default=0)
    # The member sees messages up to this seq once they left or were removed (nothing after).
    until_seq = models.BigIntegerField(null=True, blank=True)
    last_read_seq = models.BigIntegerField(default=0)
    muted = models.BooleanField(default=False)
    pinned_at = models.DateTimeField(null=True, blank=True)
    auto_translate = models.BooleanField(default=False)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="messaging_participant_unique"),
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.conversation_id}:{self.state}"


class Message(models.Model):
    """One message. `seq` orders it in its conversation; `client_id` makes a retried send idempotent."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        IMAGE = "image", _("image")
        NOTE = "note", _("shared note")
        MEMBER = "member", _("shared member")
        SYSTEM = "system", _("system")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(max_length=BODY_MAX, blank=True)
    language = models.CharField(max_length=12, blank=True)
    client_id = models.CharField(max_length=CLIENT_ID_MAX, null=True, blank=True)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image = models.ForeignKey(
        "media.MediaImage", null=True, blank=True, on_delete=models.PROTECT, related_name="message_uses"
    )
    shared_note = models.ForeignKey(
        "notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # System messages: what happened ("joined", "left", "removed", "renamed", ...) and to whom.
    system_event = models.CharField(max_length=16, blank=True)
    system_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation = models.CharField(max_length=8, choices=ModerationState.choices, default=ModerationState.OK)
    moderation_reason = models.CharField(max_length=40, blank=True)
    unsent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="messaging_message_seq_unique"),
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=Q(client_id__isnull=False),
                name="messaging_message_client_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"


class HiddenMessage(models.Model):
    """ "Delete for me": the member no longer sees this message; the others still do."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="hidden_for")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="messaging_hidden_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} hid {self.message_id}"


class Reaction(models.Model):
    """One member's reaction to a message (one per member; a new one replaces it)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="messaging_reaction_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.emoji} {self.message_id}"


class Event(models.Model):
    """What happened in a conversation, in order: what realtime pushes and what a client resumes from.

    Clients remember the last event id they saw and fetch `GET /api/v1/messages/events?after=<id>`
    after a reconnect, so a lost connection never loses or duplicates anything. Which events a member
    may read is decided by haven.messaging.access, at read time.
    """

    class Type(models.TextChoices):
        MESSAGE = "message", _("new message")
        UPDATE = "update", _("message changed")  # unsent, reactions, removed by moderation
        READ = "read", _("read receipt")
        MEMBERS = "members", _("members changed")
        CONVERSATION = "conversation", _("conversation changed")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=12, choices=Type.choices)
    # The message seq the event is about (or, for "read", the seq read up to); 0 when none.
    seq = models.BigIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"{self.conversation_id}:{self.type}:{self.pk}"


class MessagingSettings(models.Model):
    """A member's messaging preferences: who may start a conversation with them, read receipts."""

    class WhoCanMessage(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (people you don't follow land in Requests)")
        FOLLOWING = "following", _("Only people I follow")
        NOBODY = "nobody", _("Nobody")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_settings"
    )
    who_can_message = models.CharField(
        max_length=10, choices=WhoCanMessage.choices, default=WhoCanMessage.EVERYONE
    )
    read_receipts = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.who_can_message}"
