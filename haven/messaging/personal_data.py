"""Messaging's entries in the personal-data registry.

Export: the member's conversations (with the other members by username), the messages *they* sent,
their reactions, messages they deleted for themselves, and their settings. Messages others sent stay
with those others (they are the others' data), so they are not in the export.

Erasure: the member's own messages lose their content (text, image, shared note or member) and their
sender, keeping only their place in the conversation (so the others' history keeps its order and
clients that resume by seq see no gap); the others' messages stay with them. Their participation,
reactions, hidden marks and settings go. Groups they created keep going without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from haven.core import personal_data
from haven.messaging.models import (
    Conversation,
    Event,
    HiddenMessage,
    Message,
    MessagingSettings,
    Participant,
    Reaction,
)


def iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_conversations(user: Any) -> Iterator[dict[str, Any]]:
    rows = Participant.objects.filter(user_id=user.pk).select_related("conversation").order_by("pk")
    for p in rows.iterator(chunk_size=500):
        members = list(
            Participant.objects.filter(conversation_id=p.conversation_id)
            .exclude(user_id=user.pk)
            .values_list("user__username", flat=True)[:200]
        )
        yield {
            "conversation_id": p.conversation_id,
            "kind": p.conversation.kind,
            "title": p.conversation.title,
            "members": members,
            "state": p.state,
            "role": p.role,
            "joined_at": iso(p.joined_at),
            "muted": p.muted,
            "pinned": p.pinned_at is not None,
            "auto_translate": p.auto_translate,
            "last_read_seq": p.last_read_seq,
        }


def export_messages(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        Message.objects.filter(sender_id=user.pk)
        .exclude(kind=Message.Kind.SYSTEM)
        .order_by("pk")
        .values_list(
            "pk",
            "conversation_id",
            "seq",
            "kind",
            "body",
            "language",
            "reply_to_id",
            "image_id",
            "shared_note_id",
            "shared_user__username",
            "unsent_at",
            "created_at",
        )
    )
    for pk, conv, seq, kind, body, language, reply, image, note, member, unsent, created in rows.iterator(
        chunk_size=2000
    ):
        yield {
            "id": pk,
            "conversation_id": conv,
            "seq": seq,
            "kind": kind,
            "body": body,
            "language": language,
            "reply_to_id": reply,
            "image_id": image,
            "shared_note_id": note,
            "shared_member": member,
            "unsent_at": iso(unsent),
            "created_at": iso(created),
        }


def export_reactions(user: Any) -> Iterator[dict[str, Any]]:
    for message_id, emoji, created in Reaction.objects.filter(user_id=user.pk).values_list(
        "message_id", "emoji", "created_at"
    ):
        yield {"message_id": message_id, "emoji": emoji, "created_at": iso(created)}


def export_hidden(user: Any) -> Iterator[dict[str, Any]]:
    for message_id, created in HiddenMessage.objects.filter(user_id=user.pk).values_list(
        "message_id", "created_at"
    ):
        yield {"message_id": message_id, "deleted_for_me_at": iso(created)}


def export_settings(user: Any) -> Iterator[dict[str, Any]]:
    row = MessagingSettings.objects.filter(user_id=user.pk).first()
    if row is not None:
        yield {"who_can_message": row.who_can_message, "read_receipts": row.read_receipts}


def erase_messages(user: Any) -> int:
    """The member's messages keep their place, without content or sender; mentions of the member in
    others' messages (shared member cards, system lines) point at nobody."""
    own = Message.objects.filter(sender_id=user.pk).update(
        sender=None,
        body="",
        language="",
        image=None,
        shared_note=None,
        shared_user=None,
        client_id=None,
    )
    others = Message.objects.filter(Q(shared_user_id=user.pk) | Q(system_user_id=user.pk)).update(
        shared_user=None, system_user=None
    )
    return own + others


def erase_participations(user: Any) -> int:
    invited = Participant.objects.filter(invited_by_id=user.pk).update(invited_by=None)
    return invited + Participant.objects.filter(user_id=user.pk).delete()[0]


def erase_reactions(user: Any) -> int:
    return Reaction.objects.filter(user_id=user.pk).delete()[0]


def erase_hidden(user: Any) -> int:
    return HiddenMessage.objects.filter(user_id=user.pk).delete()[0]


def erase_settings(user: Any) -> int:
    return MessagingSettings.objects.filter(user_id=user.pk).delete()[0]


def erase_events(user: Any) -> int:
    return Event.objects.filter(actor_id=user.pk).update(actor=None)


def erase_conversations(user: Any) -> int:
    """Conversations the member created stay for the others; direct ones with nobody left go."""
    kept = Conversation.objects.filter(created_by_id=user.pk).update(created_by=None)
    empty = Conversation.objects.filter(kind=Conversation.Kind.DIRECT, participants__isnull=True).delete()[0]
    return kept + empty


def register_all() -> None:
    personal_data.register(
        Message,
        section="messages",
        owner_fields=["sender"],
        other_user_fields=["shared_user", "system_user"],
        personal_fields=["body"],
        exporter=export_messages,
        eraser=erase_messages,
        order=10,  # before media erasure deletes the images the messages show
        kept=(
            "Messages you sent keep their place in the conversation, without their content or your name, "
            "so that the others' history stays in order."
        ),
    )
    personal_data.register(
        Participant,
        section="messages",
        owner_fields=["user"],
        other_user_fields=["invited_by"],
        exporter=export_conversations,
        eraser=erase_participations,
        order=50,
    )
    personal_data.register(
        Reaction,
        section="messages",
        owner_fields=["user"],
        exporter=export_reactions,
        eraser=erase_reactions,
        order=50,
    )
    personal_data.register(
        HiddenMessage,
        section="messages",
        owner_fields=["user"],
        exporter=export_hidden,
        eraser=erase_hidden,
        order=50,
    )
    personal_data.register(
        MessagingSettings,
        section="messages",
        owner_fields=["user"],
        exporter=export_settings,
        eraser=erase_settings,
        order=50,
    )
    personal_data.register(
        Event,
        section="messages",
        owner_fields=[],
        other_user_fields=["actor"],
        exporter=None,
        eraser=erase_events,
        order=50,
    )
    personal_data.register(
        Conversation,
        section="messages",
        owner_fields=[],
        other_user_fields=["created_by"],
        exporter=None,
        eraser=erase_conversations,
        order=60,
    )
