"""Who may see or act in which conversations: the one visibility choke point of messaging.

The rule (tests/test_visibility_oracle_messaging.py checks it against every read path):
- A member sees a conversation only while they are one of its participants in the state "active"
  or "request" (a request is readable in Requests before it is accepted). Members who left, were
  removed or declined see nothing of it any more; anonymous visitors see nothing.
- A direct conversation ends with a block, both ways: neither side may send, and the member who
  was blocked no longer sees it at all. The member who blocked keeps it, read-only, so that they
  can still report it.
- Within a visible conversation a member sees the messages after `hidden_before_seq` (a member
  added to a group sees what was said after they joined), minus those they deleted for themselves.
  Messages that moderation holds or removes, and unsent messages, keep their place but lose their
  content for everyone but (while held) their sender.
- Shared notes and members inside messages are shown only when the reader may see them now
  (notes.access, graph.access), checked each time the message is read.
Missing and forbidden look the same (NotFound).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from haven.core.errors import NotFound
from haven.graph.models import Block
from haven.messaging.models import Conversation, HiddenMessage, Message, Participant

MAX_ID = 2**63 - 1
VISIBLE_STATES = (Participant.State.ACTIVE, Participant.State.REQUEST)


def viewer_id_of(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def _blocked_by_other(viewer_id: int) -> Q:
    """A direct conversation in which the other participant blocked `viewer_id`."""
    other = Participant.objects.filter(conversation_id=OuterRef(OuterRef("conversation_id"))).exclude(
        user_id=viewer_id
    )
    blockers = Block.objects.filter(blocked_id=viewer_id, blocker_id__in=other.values("user_id"))
    return Q(conversation__kind=Conversation.Kind.DIRECT) & Q(Exists(blockers))


def visible_participations(viewer: Any) -> QuerySet[Participant]:
    """The viewer's participant rows of every conversation they may see (one composable queryset)."""
    viewer_id = viewer_id_of(viewer)
    if viewer_id is None:
        return Participant.objects.none()
    return Participant.objects.filter(user_id=viewer_id, state__in=VISIBLE_STATES).exclude(
        _blocked_by_other(viewer_id)
    )


def visible_conversations(viewer: Any) -> QuerySet[Conversation]:
    """Every conversation the viewer may see."""
    return Conversation.objects.filter(pk__in=visible_participations(viewer).values("conversation_id"))


def parse_id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def participation_or_404(viewer: Any, conversation_id: Any) -> Participant:
    """The viewer's participation in a conversation they may see (with the conversation loaded)."""
    pk = parse_id(conversation_id)
    if pk is None:
        raise NotFound()
    row = (
        visible_participations(viewer)
        .select_related("conversation", "conversation__avatar")  # the group photo, without a query
        .filter(conversation_id=pk)
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def blocked_either_way(conversation: Conversation, user_id: int) -> bool:
    """A direct conversation in which a block exists between the two members (either way)."""
    if conversation.kind != Conversation.Kind.DIRECT:
        return False
    others = (
        Participant.objects.filter(conversation_id=conversation.pk).exclude(user_id=user_id).values("user_id")
    )
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id__in=others) | Q(blocked_id=user_id, blocker_id__in=others)
    ).exists()


def visible_messages(participation: Participant) -> QuerySet[Message]:
    """The messages the participant may see in their conversation, in any order."""
    return Message.objects.filter(
        conversation_id=participation.conversation_id, seq__gt=participation.hidden_before_seq
    ).exclude(Exists(HiddenMessage.objects.filter(user_id=participation.user_id, message_id=OuterRef("pk"))))


def message_or_404(viewer: Any, message_id: Any) -> tuple[Participant, Message]:
    """A message the viewer may see, with their participation in its conversation."""
    pk = parse_id(message_id)
    viewer_id = viewer_id_of(viewer)
    if pk is None or viewer_id is None:
        raise NotFound()
    message = Message.objects.filter(pk=pk).first()
    if message is None:
        raise NotFound()
    participation = participation_or_404(viewer, message.conversation_id)
    if not visible_messages(participation).filter(pk=pk).exists():
        raise NotFound()
    return participation, message


def content_shown(message: Message, viewer_id: int | None) -> bool:
    """Whether the reader sees the message's content (not unsent, not held or removed for them)."""
    if message.unsent_at is not None:
        return False
    if message.moderation == "removed":
        return False
    if message.moderation == "held":
        return viewer_id is not None and message.sender_id == viewer_id
    return True


def is_suspended(user: Any) -> bool:
    until = getattr(user, "suspended_until", None)
    return not getattr(user, "is_active", False) or (until is not None and until > timezone.now())
