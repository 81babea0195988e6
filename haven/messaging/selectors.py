"""Reads of messaging: conversation lists with unread counts, message pages, events to resume from.

Every read starts from haven.messaging.access; the payload of a message is built for one reader
(content hidden when unsent or moderated, shared notes and members checked for the reader now).
Pages are keyed by the message `seq` (before / after) and by event id, so a client fetches older
history, the gap after a reconnect, and nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from haven.accounts.selectors import avatar_url
from haven.core.errors import InvalidInput
from haven.core.pagination import clamp_page_size
from haven.graph.models import Block
from haven.media.selectors import rendition_url
from haven.messaging import access
from haven.messaging.models import Conversation, Event, Message, MessagingSettings, Participant, Reaction
from haven.notes.access import get_visible_note, visible_notes
from haven.notes.models import Note
from haven.notes.selectors import cover_image, with_card_data

State = Participant.State
#: Largest page of messages or events.
MAX_MESSAGES = 100
MAX_EVENTS = 200
INBOX_MAX = 50
#: Members shown by name in a group's list entry and members listed in a conversation's details.
MEMBERS_MAX = 200
EXCERPT_CHARS = 120


def settings_of(user: Any) -> MessagingSettings:
    row = MessagingSettings.objects.filter(user_id=user.pk).first()
    return row or MessagingSettings(user_id=user.pk)


def member_out(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": avatar_url(user) or None,
    }


# -------------------------------------------------------------------------------------------------
# Conversations


@dataclass
class ConversationEntry:
    """One row of the conversation list, for one reader."""

    participation: Participant
    conversation: Conversation
    members: list[Any]  # the other current participants (users), at most a few for groups
    member_count: int
    unread: int
    last_message: Message | None
    title: str
    closed: bool = False  # a block ended this direct conversation (read-only)
    extra: dict[str, Any] = field(default_factory=dict)


def _unread(p: Participant, conversation: Conversation) -> int:
    return max(0, conversation.last_seq - max(p.last_read_seq, p.hidden_before_seq))


def conversation_entries(viewer: Any, participations: Sequence[Participant]) -> list[ConversationEntry]:
    """List entries for these participations: 4 queries whatever their number."""
    if not participations:
        return []
    conv_ids = [p.conversation_id for p in participations]
    others: dict[int, list[Any]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    rows = (
        Participant.objects.filter(conversation_id__in=conv_ids, state__in=access.VISIBLE_STATES)
        .exclude(user_id=viewer.pk)
        .select_related("user")
        .order_by("conversation_id", "joined_at", "pk")
    )
    for row in rows:
        counts[row.conversation_id] += 1
        if len(others[row.conversation_id]) < 4:
            others[row.conversation_id].append(row.user)
    last_by_conv: dict[int, Message] = {}
    wanted = Q()
    for p in participations:
        if p.conversation.last_seq > p.hidden_before_seq:
            wanted |= Q(conversation_id=p.conversation_id, seq=p.conversation.last_seq)
    if wanted:
        newest = Message.objects.filter(wanted).exclude(hidden_for__user_id=viewer.pk)  # deleted for me
        for message in newest.select_related("sender", "system_user"):
            last_by_conv[message.conversation_id] = message
    blocked = _blocked_directs(viewer, participations, others)
    entries = []
    for p in participations:
        conversation = p.conversation
        members = others.get(conversation.pk, [])
        entries.append(
            ConversationEntry(
                participation=p,
                conversation=conversation,
                members=members,
                member_count=counts.get(conversation.pk, 0) + 1,
                unread=_unread(p, conversation),
                last_message=last_by_conv.get(conversation.pk),
                title=conversation_title(conversation, members),
                closed=conversation.pk in blocked,
            )
        )
    return entries


def _blocked_directs(
    viewer: Any, participations: Sequence[Participant], others: dict[int, list[Any]]
) -> set[int]:
    """Direct conversations among these in which the viewer blocked the other member (read-only)."""
    other_of = {
        p.conversation_id: others[p.conversation_id][0].pk
        for p in participations
        if p.conversation.kind == Conversation.Kind.DIRECT and others.get(p.conversation_id)
    }
    if not other_of:
        return set()
    blocked = set(
        Block.objects.filter(blocker_id=viewer.pk, blocked_id__in=set(other_of.values())).values_list(
            "blocked_id", flat=True
        )
    )
    return {conv for conv, other in other_of.items() if other in blocked}


def conversation_title(conversation: Conversation, members: Sequence[Any]) -> str:
    if conversation.title:
        return conversation.title
    names = [m.display_name or m.username for m in members]
    if not names:
        return _("Only you")
    return ", ".join(names[:3]) + ("…" if len(names) > 3 else "")


def group_photo_url(conversation: Conversation) -> str:
    """The group's photo (a signed rendition URL), or "" when it has none or it is still processing.
    No queries when the conversation was loaded with its avatar (list and access do)."""
    if conversation.kind != Conversation.Kind.GROUP or not conversation.avatar_id:
        return ""
    avatar = conversation.avatar
    return rendition_url(avatar, "grid") if avatar is not None else ""


def note_card(viewer: Any, note_id: Any) -> dict[str, Any]:
    """A note as the share-to-chat picker shows it, when the viewer may see it (else NotFound)."""
    note = get_visible_note(viewer, note_id)
    cover = cover_image(note)
    return {
        "id": note.pk,
        "title": note.title,
        "author": member_out(note.author),
        "cover_url": (rendition_url(cover.image, "grid", note=note) or None) if cover else None,
        "draft": note.status == Note.Status.DRAFT,
    }


def conversation_list(
    viewer: Any, *, box: str = "inbox", offset: int = 0, limit: int | None = None
) -> tuple[list[ConversationEntry], int | None]:
    """The viewer's conversations: "inbox" (accepted; pinned first, then newest activity) or
    "requests" (message requests with at least one message, newest first). Returns a page and the
    offset of the next page (None at the end). Lists are bounded by the member's conversations."""
    size = clamp_page_size(limit, default=30)
    if offset < 0 or offset > 100_000:
        raise InvalidInput(_("This page link is no longer valid."), code="invalid_cursor")
    rows = access.visible_participations(viewer).select_related("conversation", "conversation__avatar")
    if box == "requests":
        rows = rows.filter(state=State.REQUEST, conversation__last_seq__gt=0).order_by(
            "-conversation__last_message_at", "-pk"
        )
    elif box == "inbox":
        rows = rows.filter(state=State.ACTIVE).filter(
            Q(conversation__last_seq__gt=0) | Q(conversation__kind=Conversation.Kind.GROUP)
        )
        rows = rows.order_by(
            "-pinned_at", "-conversation__last_message_at", "-conversation__created_at", "-pk"
        )
    else:
        raise InvalidInput(_("Unknown list."), code="invalid_box")
    page = list(rows[offset : offset + size + 1])
    more = len(page) > size
    page = page[:size]
    return conversation_entries(viewer, page), (offset + size if more else None)


def conversation_detail(viewer: Any, conversation_id: Any) -> ConversationEntry:
    participation = access.participation_or_404(viewer, conversation_id)
    return conversation_entries(viewer, [participation])[0]


def conversation_members(participation: Participant) -> list[Participant]:
    return list(
        Participant.objects.filter(
            conversation_id=participation.conversation_id, state__in=access.VISIBLE_STATES
        )
        .select_related("user")
        .order_by("-role", "joined_at", "pk")[:MEMBERS_MAX]
    )


def unread_summary(viewer: Any) -> dict[str, int]:
    """The badge: unread messages in accepted, unmuted conversations, how many conversations hold
    them, and the number of requests, in one aggregate query."""
    if access.viewer_id_of(viewer) is None:
        return {"unread": 0, "conversations": 0, "requests": 0}
    read_up_to = Greatest(F("last_read_seq"), F("hidden_before_seq"))
    unread = Greatest(F("conversation__last_seq") - read_up_to, Value(0))
    totals = (
        access.visible_participations(viewer)
        .filter(Q(state=State.ACTIVE, muted=False) | Q(state=State.REQUEST, conversation__last_seq__gt=0))
        .aggregate(
            unread=Sum(unread, filter=Q(state=State.ACTIVE)),
            conversations=Count("pk", filter=Q(state=State.ACTIVE, conversation__last_seq__gt=read_up_to)),
            requests=Count("pk", filter=Q(state=State.REQUEST)),
        )
    )
    return {
        "unread": int(totals["unread"] or 0),
        "conversations": int(totals["conversations"] or 0),
        "requests": int(totals["requests"] or 0),
    }


# -------------------------------------------------------------------------------------------------
# Messages


def messages_page(
    participation: Participant,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int | None = None,
) -> tuple[list[Message], bool]:
    """A page of messages in seq order: the newest (no cursor), older than `before`, or newer than
    `after` (the gap after a reconnect, oldest first). Returns the messages and whether more exist
    in that direction."""
    size = limit or 50
    if size < 1 or size > MAX_MESSAGES:
        raise InvalidInput(
            _("The page size must be between 1 and %(max)d.") % {"max": MAX_MESSAGES},
            code="invalid_page_size",
        )
    if before is not None and after is not None:
        raise InvalidInput(_("Ask for older or newer messages, not both."), code="invalid_cursor")
    qs = access.visible_messages(participation)
    if participation.until_seq is not None:
        qs = qs.filter(seq__lte=participation.until_seq)
    qs = qs.select_related(*MESSAGE_RELATED)
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        more = len(rows) > size
        return rows[:size], more
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs.order_by("-seq")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    rows.reverse()
    return rows, more


def _shared_notes(viewer: Any, messages: Iterable[Message]) -> dict[int, Any]:
    ids = {m.shared_note_id for m in messages if m.shared_note_id}
    if not ids:
        return {}
    return {note.pk: note for note in with_card_data(visible_notes(viewer).filter(pk__in=ids))}


def _shared_members_blocked(viewer: Any, messages: Iterable[Message]) -> set[int]:
    """Shared members with whom the viewer has a block, either way (shown as unavailable)."""
    ids = {m.shared_user_id for m in messages if m.shared_user_id}
    if not ids:
        return set()
    rows = Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id__in=ids) | Q(blocked_id=viewer.pk, blocker_id__in=ids)
    ).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == viewer.pk else blocker for blocker, blocked in rows}


def _reactions(viewer_id: int, messages: Sequence[Message]) -> dict[int, list[dict[str, Any]]]:
    ids = [m.pk for m in messages if m.kind != Message.Kind.SYSTEM]
    if not ids:
        return {}
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Reaction.objects.filter(message_id__in=ids)
        .values("message_id", "emoji")
        .annotate(n=Count("pk"), by_me=Count("pk", filter=Q(user_id=viewer_id)))
        .order_by("message_id", "-n", "emoji")
    )
    for row in rows:
        out[row["message_id"]].append({"emoji": row["emoji"], "count": row["n"], "mine": row["by_me"] > 0})
    return out


def _state(message: Message, viewer_id: int) -> str:
    if message.unsent_at is not None:
        return "unsent"
    if message.moderation in ("removed", "held"):
        return str(message.moderation)
    return "ok"


def message_payloads(
    viewer: Any, messages: Sequence[Message], *, translations: dict[int, Any] | None = None
) -> list[dict[str, Any]]:
    """JSON-ready dicts of `messages` for `viewer` (batched: a few queries whatever their number)."""
    viewer_id = int(viewer.pk)
    notes = _shared_notes(viewer, messages)
    blocked_members = _shared_members_blocked(viewer, messages)
    reactions = _reactions(viewer_id, messages)
    translations = translations or {}
    out = []
    for m in messages:
        shown = access.content_shown(m, viewer_id)
        item: dict[str, Any] = {
            "id": m.pk,
            "seq": m.seq,
            "conversation_id": m.conversation_id,
            "kind": m.kind,
            "state": _state(m, viewer_id),
            "sender": member_out(m.sender) if m.sender_id and m.sender else None,
            "mine": m.sender_id == viewer_id,
            "body": m.body if shown else "",
            "language": m.language if shown else "",
            "created_at": m.created_at,
            "reply_to": None,
            "image": None,
            "shared_note": None,
            "shared_member": None,
            "system": None,
            "reactions": reactions.get(m.pk, []) if shown else [],
            "translation": translations.get(m.pk) if shown else None,
        }
        if m.kind == Message.Kind.SYSTEM:
            item["system"] = {
                "event": m.system_event,
                "member": member_out(m.system_user) if m.system_user_id and m.system_user else None,
            }
        if shown and m.reply_to_id and m.reply_to is not None:
            quoted = m.reply_to
            quoted_shown = access.content_shown(quoted, viewer_id) and quoted.seq > 0
            item["reply_to"] = {
                "id": quoted.pk,
                "seq": quoted.seq,
                "sender": quoted.sender.username if quoted.sender_id and quoted.sender else None,
                "excerpt": quoted.body[:EXCERPT_CHARS] if quoted_shown else "",
            }
        if shown and m.image_id and m.image is not None:
            image = m.image
            item["image"] = {
                "id": image.pk,
                "state": image.state,
                "width": image.width,
                "height": image.height,
                "blurhash": image.blurhash,
                "grid_url": rendition_url(image, "grid") or None,
                "detail_url": rendition_url(image, "detail") or None,
            }
        if shown and m.kind == Message.Kind.NOTE:
            note = notes.get(m.shared_note_id or 0)
            if note is None:
                item["shared_note"] = {"available": False}
            else:
                cover = cover_image(note)
                item["shared_note"] = {
                    "available": True,
                    "id": note.pk,
                    "title": note.title,
                    "author": member_out(note.author),
                    "cover_url": (rendition_url(cover.image, "grid", note=note) or None) if cover else None,
                }
        if shown and m.kind == Message.Kind.MEMBER:
            member = m.shared_user
            if member is None or not member.is_active or member.pk in blocked_members:
                item["shared_member"] = {"available": False}
            else:
                item["shared_member"] = {"available": True, **member_out(member)}
        out.append(item)
    return out


MESSAGE_RELATED = ("sender", "system_user", "image", "reply_to", "reply_to__sender", "shared_user")


def message_payload(viewer: Any, message_id: int) -> dict[str, Any]:
    """One message as the viewer sees it (after a send or unsend: the viewer may see it)."""
    message = Message.objects.select_related(*MESSAGE_RELATED).get(pk=message_id)
    return message_payloads(viewer, [message])[0]


def read_state(participation: Participant) -> list[dict[str, Any]]:
    """Where the other members have read up to (only those who share read receipts)."""
    rows = list(
        Participant.objects.filter(conversation_id=participation.conversation_id, state=State.ACTIVE)
        .exclude(user_id=participation.user_id)
        .select_related("user")[:MEMBERS_MAX]
    )
    hidden = set(
        MessagingSettings.objects.filter(
            user_id__in=[r.user_id for r in rows], read_receipts=False
        ).values_list("user_id", flat=True)
    )
    if not settings_of(participation.user).read_receipts:
        return []  # receipts are mutual: who hides theirs sees nobody's
    return [
        {"username": r.user.username, "seq": r.last_read_seq}
        for r in rows
        if r.user_id not in hidden and r.last_read_seq
    ]


# -------------------------------------------------------------------------------------------------
# Events


def events_after(viewer: Any, *, after: int, limit: int | None = None) -> tuple[list[Event], bool]:
    """Events after id `after` in the conversations the viewer may see now, oldest first."""
    size = limit or 100
    if size < 1 or size > MAX_EVENTS:
        raise InvalidInput(
            _("The page size must be between 1 and %(max)d.") % {"max": MAX_EVENTS}, code="invalid_page_size"
        )
    if after < 0:
        raise InvalidInput(_("This page link is no longer valid."), code="invalid_cursor")
    participations = {p.conversation_id: p for p in access.visible_participations(viewer)}
    rows = list(
        Event.objects.filter(pk__gt=after, conversation_id__in=list(participations))
        .select_related("actor")
        .order_by("pk")[: size + 1]
    )
    more = len(rows) > size
    return rows[:size], more


def event_payloads(viewer: Any, events: Sequence[Event]) -> list[dict[str, Any]]:
    """Events as the viewer may see them: a message event carries the message (when still visible for
    the viewer), a read event the reader and seq (receipts are mutual), a members event nothing more."""
    if not events:
        return []
    participations = {
        p.conversation_id: p
        for p in access.visible_participations(viewer).filter(
            conversation_id__in={e.conversation_id for e in events}
        )
    }
    wanted = Q()
    for e in events:
        p = participations.get(e.conversation_id)
        if (
            p is not None
            and e.type in (Event.Type.MESSAGE, Event.Type.UPDATE)
            and e.seq > p.hidden_before_seq
        ):
            wanted |= Q(conversation_id=e.conversation_id, seq=e.seq)
    messages: dict[tuple[int, int], Message] = {}
    if wanted:
        qs = (
            Message.objects.filter(wanted)
            .exclude(hidden_for__user_id=viewer.pk)
            .select_related(*MESSAGE_RELATED)
        )
        for m in qs:
            messages[(m.conversation_id, m.seq)] = m
    payloads = {p["id"]: p for p in message_payloads(viewer, list(messages.values()))}
    # Only a read event needs the viewer's receipts setting (a query).
    my_receipts = (
        settings_of(viewer).read_receipts if any(e.type == Event.Type.READ for e in events) else True
    )
    out = []
    for e in events:
        if e.conversation_id not in participations:
            continue
        item: dict[str, Any] = {
            "id": e.pk,
            "type": e.type,
            "conversation_id": e.conversation_id,
            "seq": e.seq,
            "created_at": e.created_at,
            "message": None,
            "reader": None,
        }
        message = messages.get((e.conversation_id, e.seq))
        if e.type in (Event.Type.MESSAGE, Event.Type.UPDATE):
            item["message"] = payloads.get(message.pk) if message is not None else None
        if e.type == Event.Type.READ:
            if e.actor_id != viewer.pk and not my_receipts:
                item["seq"] = 0
            else:
                item["reader"] = e.actor.username if e.actor is not None else None
        out.append(item)
    return out


# -------------------------------------------------------------------------------------------------
# The navigation badge (web UI)


def badge_count(viewer: Any) -> int:
    """The number on the Messages entry of every page: unread messages in accepted, unmuted
    conversations plus waiting requests (unread_summary's one aggregate query)."""
    summary = unread_summary(viewer)
    return summary["unread"] + summary["requests"]
