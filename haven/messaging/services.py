"""Writes of messaging: conversations, requests, group membership, messages, reactions, read state.

Every write that others should hear about records an `Event` in the same transaction and publishes
it to the current participants after commit (haven.core.realtime). Messages are numbered per
conversation under a row lock on the conversation (strict order); a send carrying a client message
id (`Idempotency-Key`) that was already stored returns the stored message instead of a second one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import gates, ratelimit, realtime
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from haven.core.reportables import ModerationState
from haven.core.text import detect_language
from haven.graph.models import Block, Follow
from haven.media.access import owned_image_or_404
from haven.media.models import MediaImage
from haven.messaging import access
from haven.messaging.models import (
    BODY_MAX,
    CLIENT_ID_MAX,
    GROUP_MAX_MEMBERS,
    TITLE_MAX,
    Conversation,
    Event,
    HiddenMessage,
    Message,
    MessagingSettings,
    Participant,
    Reaction,
)
from haven.notes.access import get_visible_note

User = get_user_model()
State = Participant.State
Role = Participant.Role

#: A sender may unsend a message for everyone within this window.
UNSEND_WINDOW = timedelta(hours=1)
#: Messages a member may send per minute (all conversations together), and new conversations per hour.
SENDS_PER_MINUTE = 60
NEW_CONVERSATIONS_PER_HOUR = 30
#: At most this many members are named in one add-members call.
ADD_MAX = 50
#: Reactions: the quick set, or any single emoji of at most this many code points.
QUICK_REACTIONS = ("❤️", "👍", "😂", "😮", "😢", "🙏", "🔥", "👏")
EMOJI_MAX = 16
#: The event realtime consumers receive (haven.messaging.consumers.ChatConsumer.haven_event).
REALTIME_TYPE = "haven.event"


@dataclass(frozen=True)
class SendResult:
    message: Message
    replayed: bool


# -------------------------------------------------------------------------------------------------
# Helpers


def _not_found() -> NotFound:
    return NotFound()


def _settings_of(user_id: int) -> MessagingSettings:
    row = MessagingSettings.objects.filter(user_id=user_id).first()
    return row or MessagingSettings(user_id=user_id)


def _follows(follower_id: int, followee_id: int) -> bool:
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()


def _blocked_between(a: int, b: int) -> bool:
    return Block.objects.filter(Q(blocker_id=a, blocked_id=b) | Q(blocker_id=b, blocked_id=a)).exists()


def _check_can_act(user: Any) -> None:
    if access.is_suspended(user):
        raise Forbidden(
            _("Your account is suspended, so you cannot send messages."), code="account_suspended"
        )


#: PostgreSQL advisory lock taken by every transaction that records an event (see _record).
EVENT_ORDER_LOCK = 0x4856_4E45  # "HVNE"


def _record(conversation_id: int, type_: str, *, seq: int = 0, actor_id: int | None = None) -> Event:
    """Record an event and publish it to the conversation's current participants after commit.

    Event ids must commit in id order: a client resumes after the highest id it saw, so an event
    that took a lower id but committed later would never reach it. PostgreSQL takes ids at insert
    time, so a transaction holds an advisory lock from its event row to its commit (SQLite writers
    are serialized already). No savepoint: the lock belongs to the caller's transaction either way.
    The lock is global, so event-recording transactions commit one at a time (it is held from the
    event row to the commit, a few statements; see docs/messaging.md, "Order and resume")."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EVENT_ORDER_LOCK])
        event = Event.objects.create(conversation_id=conversation_id, type=type_, seq=seq, actor_id=actor_id)
    recipients = list(
        Participant.objects.filter(
            conversation_id=conversation_id, state__in=access.VISIBLE_STATES
        ).values_list("user_id", flat=True)
    )
    realtime.publish_on_commit(
        recipients,
        {"type": REALTIME_TYPE, "event_id": event.pk, "conversation_id": conversation_id, "event": type_},
    )
    return event


def _admission(*, inviter_id: int, invitee: Any) -> str:
    """The state a new participant starts in when `inviter_id` starts a conversation with them or adds
    them to a group: active when they follow the inviter, a request when they do not and accept
    messages from everyone. Raises when they accept no messages from the inviter."""
    if invitee.pk == inviter_id:
        raise InvalidInput(_("You cannot message yourself."), code="cannot_message_self")
    if not invitee.is_active or _blocked_between(inviter_id, invitee.pk):
        raise _not_found()
    setting = _settings_of(invitee.pk).who_can_message
    follows_inviter = _follows(invitee.pk, inviter_id)
    if setting == MessagingSettings.WhoCanMessage.NOBODY or (
        setting == MessagingSettings.WhoCanMessage.FOLLOWING and not follows_inviter
    ):
        raise Forbidden(
            _("%(name)s does not accept messages from you.") % {"name": invitee.username},
            code="messages_not_accepted",
            details={"username": invitee.username},
        )
    return State.ACTIVE if follows_inviter else State.REQUEST


def _limit_new_conversations(user: Any) -> None:
    ratelimit.hit("dm-new", str(user.pk), limit=NEW_CONVERSATIONS_PER_HOUR, window_seconds=3600)


def _system_message(
    conversation: Conversation, *, actor_id: int | None, event: str, user_id: int | None
) -> Message:
    """A system line ("joined", "left", ...) in the conversation; the caller holds the row lock."""
    seq = _next_seq(conversation)
    message = Message.objects.create(
        conversation_id=conversation.pk,
        seq=seq,
        sender_id=actor_id,
        kind=Message.Kind.SYSTEM,
        system_event=event,
        system_user_id=user_id,
    )
    _record(conversation.pk, Event.Type.MESSAGE, seq=seq, actor_id=actor_id)
    return message


def _next_seq(conversation: Conversation) -> int:
    """The next message number; the caller holds the conversation's row lock (`_lock`), so the
    number it read is current and no other writer takes the same one."""
    seq = conversation.last_seq + 1
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=seq, last_message_at=now)
    conversation.last_seq, conversation.last_message_at = seq, now
    return seq


def _lock(conversation_id: int) -> Conversation:
    conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
    if conversation is None:
        raise _not_found()
    return conversation


# -------------------------------------------------------------------------------------------------
# Settings


def settings_update(
    *, user: Any, who_can_message: str | None = None, read_receipts: bool | None = None
) -> MessagingSettings:
    row, _created = MessagingSettings.objects.get_or_create(user_id=user.pk)
    if who_can_message is not None:
        if who_can_message not in MessagingSettings.WhoCanMessage.values:
            raise InvalidInput(_("Choose who may message you."), code="invalid_setting")
        row.who_can_message = who_can_message
    if read_receipts is not None:
        row.read_receipts = bool(read_receipts)
    row.save()
    return row


# -------------------------------------------------------------------------------------------------
# Conversations


def direct_open(*, sender: Any, recipient: Any) -> Conversation:
    """The direct conversation between two members, created when it does not exist yet.

    For a new conversation the recipient starts in Requests unless they follow the sender; their
    "who may message me" setting may refuse it (Forbidden "messages_not_accepted"). A block either
    way looks like a missing member (NotFound). Reopening a conversation the sender left or
    declined makes them active again; the recipient's own state is left as they set it.
    """
    _check_can_act(sender)
    if recipient.pk == sender.pk:
        raise InvalidInput(_("You cannot message yourself."), code="cannot_message_self")
    if _blocked_between(sender.pk, recipient.pk) or not recipient.is_active:
        raise _not_found()
    low, high = sorted((int(sender.pk), int(recipient.pk)))
    key = f"{low}:{high}"
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        mine = Participant.objects.filter(conversation=existing, user_id=sender.pk).first()
        if mine is not None and mine.state != State.ACTIVE:
            Participant.objects.filter(pk=mine.pk).update(
                state=State.ACTIVE, until_seq=None, state_changed_at=timezone.now()
            )
        return existing
    recipient_state = _admission(inviter_id=sender.pk, invitee=recipient)
    _limit_new_conversations(sender)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=Conversation.Kind.DIRECT, direct_key=key, created_by_id=sender.pk
            )
            Participant.objects.bulk_create(
                [
                    Participant(
                        conversation=conversation, user_id=sender.pk, state=State.ACTIVE, role=Role.MEMBER
                    ),
                    Participant(
                        conversation=conversation,
                        user_id=recipient.pk,
                        state=recipient_state,
                        role=Role.MEMBER,
                        invited_by_id=sender.pk,
                    ),
                ]
            )
    except IntegrityError:  # the other side opened it at the same moment
        conversation = Conversation.objects.get(direct_key=key)
    return conversation


def group_create(*, creator: Any, title: str, members: Sequence[Any]) -> Conversation:
    """A group with `creator` as its admin and `members` added (each per their settings)."""
    _check_can_act(creator)
    title = _clean_title(title)
    if not members:
        raise InvalidInput(_("Add at least one member."), code="group_needs_members")
    if len(members) > min(ADD_MAX, GROUP_MAX_MEMBERS - 1):
        raise TooLarge(_("Too many members at once."), code="too_many_members", details={"max": ADD_MAX})
    _limit_new_conversations(creator)
    states = [(member, _admission(inviter_id=creator.pk, invitee=member)) for member in _unique(members)]
    with transaction.atomic():
        conversation = Conversation.objects.create(
            kind=Conversation.Kind.GROUP, title=title, created_by_id=creator.pk
        )
        Participant.objects.create(
            conversation=conversation, user_id=creator.pk, state=State.ACTIVE, role=Role.ADMIN
        )
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user_id=m.pk, state=state, invited_by_id=creator.pk)
                for m, state in states
            ]
        )
        _system_message(conversation, actor_id=creator.pk, event="created", user_id=None)
    return conversation


def _unique(users: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for user in users:
        seen.setdefault(int(user.pk), user)
    return list(seen.values())


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _("A group name has at most %(n)d characters.") % {"n": TITLE_MAX}, code="title_too_long"
        )
    return title


def _admin_participation(actor: Any, conversation_id: Any) -> Participant:
    mine = access.participation_or_404(actor, conversation_id)
    if mine.conversation.kind != Conversation.Kind.GROUP:
        raise InvalidInput(_("Only groups have members to manage."), code="not_a_group")
    if mine.state != State.ACTIVE or mine.role != Role.ADMIN:
        raise Forbidden(_("Only the group's admins can do that."), code="not_group_admin")
    return mine


def group_update(
    *, actor: Any, conversation_id: Any, title: str | None = None, avatar_id: int | None = None
) -> Conversation:
    mine = _admin_participation(actor, conversation_id)
    with transaction.atomic():
        conversation = _lock(mine.conversation_id)
        fields = []
        if title is not None:
            conversation.title = _clean_title(title)
            fields.append("title")
        if avatar_id is not None:
            conversation.avatar = owned_image_or_404(actor, avatar_id) if avatar_id else None
            fields.append("avatar")
        if fields:
            conversation.save(update_fields=fields)
            _system_message(
                conversation,
                actor_id=actor.pk,
                event="renamed" if title is not None else "photo",
                user_id=None,
            )
    return conversation


def group_add(*, actor: Any, conversation_id: Any, members: Sequence[Any]) -> list[Participant]:
    """Add members to a group (admins only); each starts per their settings (active or a request)."""
    _check_can_act(actor)
    mine = _admin_participation(actor, conversation_id)
    members = _unique(members)
    if not members:
        raise InvalidInput(_("Add at least one member."), code="group_needs_members")
    if len(members) > ADD_MAX:
        raise TooLarge(_("Too many members at once."), code="too_many_members", details={"max": ADD_MAX})
    states = {m.pk: _admission(inviter_id=actor.pk, invitee=m) for m in members}
    added: list[Participant] = []
    with transaction.atomic():
        conversation = _lock(mine.conversation_id)
        current = {
            p.user_id: p
            for p in Participant.objects.filter(conversation_id=conversation.pk, user_id__in=list(states))
        }
        present = Participant.objects.filter(
            conversation_id=conversation.pk, state__in=access.VISIBLE_STATES
        ).count()
        newcomers = [
            m for m in members if m.pk not in current or current[m.pk].state not in access.VISIBLE_STATES
        ]
        if present + len(newcomers) > GROUP_MAX_MEMBERS:
            raise Conflict(
                _("A group has at most %(n)d members.") % {"n": GROUP_MAX_MEMBERS},
                code="group_full",
                details={"max": GROUP_MAX_MEMBERS},
            )
        for member in newcomers:
            values = {
                "state": states[member.pk],
                "role": Role.MEMBER,
                "invited_by_id": actor.pk,
                "hidden_before_seq": conversation.last_seq,
                "until_seq": None,
                "last_read_seq": conversation.last_seq,
                "state_changed_at": timezone.now(),
            }
            row, _created = Participant.objects.update_or_create(
                conversation_id=conversation.pk, user_id=member.pk, defaults=values
            )
            added.append(row)
            _system_message(conversation, actor_id=actor.pk, event="added", user_id=member.pk)
        if newcomers:
            _record(conversation.pk, Event.Type.MEMBERS, actor_id=actor.pk)
    return added


def _end_participation(conversation: Conversation, user_id: int, state: str) -> None:
    Participant.objects.filter(conversation_id=conversation.pk, user_id=user_id).update(
        state=state,
        until_seq=conversation.last_seq,
        role=Role.MEMBER,
        pinned_at=None,
        state_changed_at=timezone.now(),
    )


def _ensure_an_admin(conversation: Conversation) -> None:
    """A group whose last admin went gets its longest-standing active member as admin."""
    active = Participant.objects.filter(conversation_id=conversation.pk, state=State.ACTIVE)
    if not active.filter(role=Role.ADMIN).exists():
        heir = active.order_by("joined_at", "pk").first()
        if heir is not None:
            Participant.objects.filter(pk=heir.pk).update(role=Role.ADMIN)


def group_remove(*, actor: Any, conversation_id: Any, member: Any) -> None:
    """Remove a member (admins only). The removed member sees nothing of the group any more."""
    mine = _admin_participation(actor, conversation_id)
    if member.pk == actor.pk:
        raise InvalidInput(_("Leave the group instead."), code="cannot_remove_self")
    with transaction.atomic():
        conversation = _lock(mine.conversation_id)
        target = Participant.objects.filter(
            conversation_id=conversation.pk, user_id=member.pk, state__in=access.VISIBLE_STATES
        ).first()
        if target is None:
            raise _not_found()
        _system_message(conversation, actor_id=actor.pk, event="removed", user_id=member.pk)
        _end_participation(conversation, member.pk, State.REMOVED)
        _record(conversation.pk, Event.Type.MEMBERS, actor_id=actor.pk)
        # The removed member's devices learn that it is gone (they may no longer read the event).
        realtime.publish_on_commit(
            [member.pk],
            {"type": REALTIME_TYPE, "event_id": 0, "conversation_id": conversation.pk, "event": "gone"},
        )


def group_set_admin(*, actor: Any, conversation_id: Any, member: Any, admin: bool) -> None:
    mine = _admin_participation(actor, conversation_id)
    with transaction.atomic():
        conversation = _lock(mine.conversation_id)
        updated = Participant.objects.filter(
            conversation_id=conversation.pk, user_id=member.pk, state=State.ACTIVE
        ).update(role=Role.ADMIN if admin else Role.MEMBER)
        if not updated:
            raise _not_found()
        _ensure_an_admin(conversation)
        _record(conversation.pk, Event.Type.MEMBERS, actor_id=actor.pk)


def conversation_leave(*, user: Any, conversation_id: Any) -> None:
    """Leave a group, or close a direct conversation (it comes back when either side writes again)."""
    mine = access.participation_or_404(user, conversation_id)
    with transaction.atomic():
        conversation = _lock(mine.conversation_id)
        if conversation.kind == Conversation.Kind.GROUP:
            _system_message(conversation, actor_id=user.pk, event="left", user_id=user.pk)
        _end_participation(conversation, user.pk, State.LEFT)
        if conversation.kind == Conversation.Kind.GROUP:
            _ensure_an_admin(conversation)
            _record(conversation.pk, Event.Type.MEMBERS, actor_id=user.pk)


def request_accept(*, user: Any, conversation_id: Any) -> Participant:
    mine = access.participation_or_404(user, conversation_id)
    if mine.state == State.REQUEST:
        Participant.objects.filter(pk=mine.pk).update(state=State.ACTIVE, state_changed_at=timezone.now())
        mine.state = State.ACTIVE
        with transaction.atomic():
            _record(mine.conversation_id, Event.Type.MEMBERS, actor_id=user.pk)
    return mine


def request_decline(*, user: Any, conversation_id: Any) -> None:
    """Decline a request: it leaves Requests and the sender is not told."""
    mine = access.participation_or_404(user, conversation_id)
    if mine.state != State.REQUEST:
        raise Conflict(_("This is not a message request."), code="not_a_request")
    conversation = mine.conversation
    Participant.objects.filter(pk=mine.pk).update(
        state=State.DECLINED, until_seq=conversation.last_seq, state_changed_at=timezone.now()
    )


def participation_update(
    *,
    user: Any,
    conversation_id: Any,
    muted: bool | None = None,
    pinned: bool | None = None,
    auto_translate: bool | None = None,
) -> Participant:
    mine = access.participation_or_404(user, conversation_id)
    fields: dict[str, Any] = {}
    if muted is not None:
        fields["muted"] = bool(muted)
    if pinned is not None:
        fields["pinned_at"] = timezone.now() if pinned else None
    if auto_translate is not None:
        fields["auto_translate"] = bool(auto_translate)
    if fields:
        Participant.objects.filter(pk=mine.pk).update(**fields)
        for name, value in fields.items():
            setattr(mine, name, value)
    return mine


# -------------------------------------------------------------------------------------------------
# Messages


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > BODY_MAX:
        raise TooLarge(
            _("A message has at most %(n)d characters.") % {"n": BODY_MAX},
            code="message_too_long",
            details={"max": BODY_MAX},
        )
    return body


def _clean_client_id(client_id: str | None) -> str | None:
    if client_id is None or client_id == "":
        return None
    if (
        len(client_id) > CLIENT_ID_MAX
        or not client_id.isascii()
        or not client_id.isprintable()
        or " " in client_id
    ):
        raise InvalidInput(
            _("The Idempotency-Key must be 1 to %(n)d visible ASCII characters.") % {"n": CLIENT_ID_MAX},
            code="invalid_idempotency_key",
        )
    return client_id


def message_send(
    *,
    sender: Any,
    conversation_id: Any,
    body: str = "",
    client_id: str | None = None,
    reply_to_id: int | None = None,
    image_id: int | None = None,
    shared_note_id: int | None = None,
    shared_user: Any = None,
) -> SendResult:
    """Send a message: text, an image (from the media pipeline), a shared note or a shared member.

    Refusals: NotFound (not a participant, or a block ends this direct conversation),
    Forbidden "account_suspended", Conflict "conversation_closed" (the member left or was removed, or
    the other side of a direct conversation is gone), InvalidInput "empty_message", TooLarge
    "message_too_long", RateLimited. A repeated `client_id` returns the message stored under it.
    """
    _check_can_act(sender)
    client_id = _clean_client_id(client_id)
    mine = access.participation_or_404(sender, conversation_id)
    conversation = mine.conversation
    if client_id is not None:
        stored = Message.objects.filter(
            conversation_id=conversation.pk, sender_id=sender.pk, client_id=client_id
        ).first()
        if stored is not None:
            return SendResult(stored, replayed=True)
    body = _clean_body(body)
    kind = Message.Kind.TEXT
    image = note = None
    if image_id is not None:
        image = owned_image_or_404(sender, image_id)
        if image.state == MediaImage.State.FAILED:
            raise InvalidInput(_("This photo could not be processed."), code="invalid_images")
        kind = Message.Kind.IMAGE
    elif shared_note_id is not None:
        note = get_visible_note(sender, shared_note_id)
        kind = Message.Kind.NOTE
    elif shared_user is not None:
        if not shared_user.is_active or _blocked_between(sender.pk, shared_user.pk):
            raise _not_found()
        kind = Message.Kind.MEMBER
    elif not body:
        raise InvalidInput(_("Write a message first."), code="empty_message")
    if mine.state == State.REQUEST:
        # Answering a request accepts it.
        request_accept(user=sender, conversation_id=conversation.pk)
    if access.blocked_either_way(conversation, sender.pk):
        raise _not_found()
    gates.check("message_send", user=sender, conversation_id=conversation.pk)
    ratelimit.hit("dm-send", str(sender.pk), limit=SENDS_PER_MINUTE, window_seconds=60)
    language = detect_language(body).code if body else ""
    try:
        with transaction.atomic():
            conversation = _lock(conversation.pk)
            if conversation.kind == Conversation.Kind.DIRECT:
                _reopen_direct(conversation, sender.pk)
            reply_to = None
            if reply_to_id is not None:
                reply_to = Message.objects.filter(pk=reply_to_id, conversation_id=conversation.pk).first()
                if reply_to is None or reply_to.seq <= mine.hidden_before_seq:
                    raise NotFound(
                        _("The message you reply to is not in this conversation."), code="reply_not_found"
                    )
            seq = _next_seq(conversation)
            message = Message.objects.create(
                conversation_id=conversation.pk,
                seq=seq,
                sender_id=sender.pk,
                kind=kind,
                body=body,
                language=language,
                client_id=client_id,
                reply_to=reply_to,
                image=image,
                shared_note=note,
                shared_user=shared_user,
            )
            Participant.objects.filter(pk=mine.pk).update(last_read_seq=seq)
            _record(conversation.pk, Event.Type.MESSAGE, seq=seq, actor_id=sender.pk)
    except IntegrityError:
        if client_id is None:
            raise
        stored = Message.objects.filter(
            conversation_id=conversation.pk, sender_id=sender.pk, client_id=client_id
        ).first()
        if stored is None:
            raise
        return SendResult(stored, replayed=True)
    return SendResult(message, replayed=False)


def _reopen_direct(conversation: Conversation, sender_id: int) -> None:
    """A new message in a direct conversation brings it back to a side that left it (not to one that
    declined it: a declined request stays declined)."""
    Participant.objects.filter(conversation_id=conversation.pk, state=State.LEFT).update(
        state=State.ACTIVE, until_seq=None, state_changed_at=timezone.now()
    )


def message_unsend(*, user: Any, message_id: Any) -> Message:
    """Unsend a message for everyone (its sender, within UNSEND_WINDOW): its content is deleted."""
    _mine, message = access.message_or_404(user, message_id)
    if message.sender_id != user.pk or message.kind == Message.Kind.SYSTEM:
        raise Forbidden(_("You can only unsend your own messages."), code="not_your_message")
    if message.unsent_at is not None:
        return message
    if timezone.now() - message.created_at > UNSEND_WINDOW:
        raise Conflict(_("This message is too old to unsend."), code="unsend_window_passed")
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            unsent_at=timezone.now(), body="", image=None, shared_note=None, shared_user=None, language=""
        )
        Reaction.objects.filter(message_id=message.pk).delete()
        _record(message.conversation_id, Event.Type.UPDATE, seq=message.seq, actor_id=user.pk)
    message.refresh_from_db()
    return message


def message_hide(*, user: Any, message_id: Any) -> None:
    """Delete a message for oneself only."""
    _mine, message = access.message_or_404(user, message_id)
    HiddenMessage.objects.get_or_create(user_id=user.pk, message_id=message.pk)


def _clean_emoji(emoji: str) -> str:
    emoji = (emoji or "").strip()
    if emoji in QUICK_REACTIONS:
        return emoji
    allowed = {"So", "Sk", "Mn", "Cf", "Me"}
    if (
        not emoji
        or len(emoji) > EMOJI_MAX
        or not all(unicodedata.category(ch) in allowed for ch in emoji)
        or not any(unicodedata.category(ch) == "So" for ch in emoji)
    ):
        raise InvalidInput(_("React with one emoji."), code="invalid_reaction")
    return emoji


def reaction_set(*, user: Any, message_id: Any, emoji: str) -> Reaction:
    mine, message = access.message_or_404(user, message_id)
    emoji = _clean_emoji(emoji)
    if message.kind == Message.Kind.SYSTEM or not access.content_shown(message, user.pk):
        raise Conflict(_("This message cannot get reactions."), code="cannot_react")
    if mine.state != State.ACTIVE or access.blocked_either_way(mine.conversation, user.pk):
        raise Conflict(_("You can no longer write in this conversation."), code="conversation_closed")
    with transaction.atomic():
        reaction, _created = Reaction.objects.update_or_create(
            message_id=message.pk, user_id=user.pk, defaults={"emoji": emoji}
        )
        _record(message.conversation_id, Event.Type.UPDATE, seq=message.seq, actor_id=user.pk)
    return reaction


def reaction_remove(*, user: Any, message_id: Any) -> None:
    _mine, message = access.message_or_404(user, message_id)
    with transaction.atomic():
        if Reaction.objects.filter(message_id=message.pk, user_id=user.pk).delete()[0]:
            _record(message.conversation_id, Event.Type.UPDATE, seq=message.seq, actor_id=user.pk)


def read_mark(*, user: Any, conversation_id: Any, seq: int | None = None) -> int:
    """Mark the conversation read up to `seq` (default: the newest message); returns the read seq.
    Others see a read receipt unless the member turned read receipts off."""
    mine = access.participation_or_404(user, conversation_id)
    last = mine.conversation.last_seq
    target = last if seq is None else max(0, min(int(seq), last))
    if target <= mine.last_read_seq:
        return mine.last_read_seq
    with transaction.atomic():
        Participant.objects.filter(pk=mine.pk, last_read_seq__lt=target).update(last_read_seq=target)
        if _settings_of(user.pk).read_receipts:
            _record(mine.conversation_id, Event.Type.READ, seq=target, actor_id=user.pk)
        else:  # the member's other devices still learn it (their badge), nobody else does
            realtime.publish_on_commit(
                [user.pk],
                {
                    "type": REALTIME_TYPE,
                    "event_id": 0,
                    "conversation_id": mine.conversation_id,
                    "event": "read_self",
                },
            )
    return target


def message_set_moderation(*, message_id: int, state: str, reason: str = "") -> None:
    """Apply a moderation decision (haven.moderation through the reportables registry)."""
    if state not in ModerationState.values:
        raise InvalidInput(_("Unknown moderation state."), code="invalid_state")
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return
        Message.objects.filter(pk=message.pk).update(moderation=state, moderation_reason=reason[:40])
        _record(message.conversation_id, Event.Type.UPDATE, seq=message.seq)


def block_ended(blocker_id: int, blocked_id: int) -> None:
    """A block ends the direct conversation between the two members: both sides hear it at once
    (their lists refresh); access rules do the rest."""
    low, high = sorted((int(blocker_id), int(blocked_id)))
    conversation = Conversation.objects.filter(direct_key=f"{low}:{high}").first()
    if conversation is not None:
        realtime.publish_on_commit(
            [blocker_id, blocked_id],
            {"type": REALTIME_TYPE, "event_id": 0, "conversation_id": conversation.pk, "event": "gone"},
        )
