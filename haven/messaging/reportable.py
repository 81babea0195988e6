"""Messages in the reportables registry (core.reportables): a member reports a message they can read,
and the moderator sees it with the messages around it (the context the report is about)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from haven.core import reportables
from haven.core.errors import NotFound
from haven.messaging import access, services
from haven.messaging.models import Conversation, Message, Participant

#: Messages shown before and after the reported one.
CONTEXT = 5


def _visible_to(viewer: Any, pk: int) -> Message | None:
    try:
        _participation, message = access.message_or_404(viewer, pk)
    except NotFound:
        return None
    if message.kind == Message.Kind.SYSTEM or message.sender_id == getattr(viewer, "pk", None):
        return None
    return message


def _load(pk: int) -> Message | None:
    return Message.objects.select_related("conversation", "sender").filter(pk=pk).first()


def _context(message: Message) -> list[dict[str, Any]]:
    rows = (
        Message.objects.filter(
            conversation_id=message.conversation_id,
            seq__gte=message.seq - CONTEXT,
            seq__lte=message.seq + CONTEXT,
        )
        .select_related("sender")
        .order_by("seq")
    )
    return [
        {
            "seq": m.seq,
            "sender": m.sender.username if m.sender_id and m.sender else "",
            "text": "" if m.unsent_at else m.body[:500],
            "reported": m.pk == message.pk,
        }
        for m in rows
    ]


def _describe(message: Message) -> reportables.Target:
    members = Participant.objects.filter(
        conversation_id=message.conversation_id, state__in=access.VISIBLE_STATES
    ).count()
    return reportables.Target(
        kind="message",
        pk=message.pk,
        author_id=message.sender_id,
        text=message.body,
        language=message.language,
        title=message.conversation.title if message.conversation.kind == Conversation.Kind.GROUP else "",
        url="",
        reach=members,
        is_public=False,
        state=message.moderation,
        created_at=message.created_at,
        extra={"conversation_id": message.conversation_id, "context": _context(message)},
    )


def _set_state(message: Message, state: str, reason: str) -> None:
    services.message_set_moderation(message_id=message.pk, state=state, reason=reason)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="message",
            label=gettext_lazy("message"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            models=("messaging.Message",),
        )
    )
