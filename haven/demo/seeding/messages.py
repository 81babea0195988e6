"""Demo seeding: conversations of the demo login, so Messages is not empty on a fresh demo.

A bilingual direct conversation with a Chinese-writing member (with a shared note), a group of
hikers writing in both languages, and a message request from someone the demo login does not
follow. Everything goes through haven.messaging's services, so order, events and unread counts are
exactly what members produce.
"""

from __future__ import annotations

from haven.demo.seeding.base import Member, SeederBase
from haven.messaging import access
from haven.messaging import services as messaging
from haven.notes.models import Note

#: (sender: 0 = the other member, 1 = the demo login, body)
DIRECT = (
    (0, "你好！看到你发的咖啡店笔记了，那家在哪里？"),
    (1, "Hi! It's the small place near the river, by the old bridge. Have you been?"),
    (0, "还没去过。周末一起去吧？我可以教你怎么点单 ☕"),
    (1, "Deal! 周六上午十点？"),
    (0, "好的，周六见！Bring your camera 📷"),
)
GROUP = (
    (0, "周末徒步有谁要来？天气预报说是晴天 ☀️"),
    (2, "Count me in! Which trail?"),
    (1, "我也来！Can we do the lake loop?"),
    (0, "好，湖边环线，早上八点地铁站集合。"),
)
REQUEST = (
    "Hi! I'm learning Chinese and loved your notes. Could we practise together sometime? 我的中文不太好 😅"
)


class MessagesStep(SeederBase):
    def create_conversations(self) -> int:
        """A few conversations for the demo login; returns how many messages were sent."""
        demo = self.demo
        if demo is None:
            return 0
        zh = [m for m in self.members if m is not demo and m.persona.lang == "zh"]
        en = [m for m in self.members if m is not demo and m.persona.lang != "zh"]
        if not zh or not en:
            return 0
        sent = 0
        friend = zh[0]
        conversation = messaging.direct_open(sender=friend.user, recipient=demo.user)
        messaging.request_accept(user=demo.user, conversation_id=conversation.pk)
        for who, body in DIRECT:
            sender = friend if who == 0 else demo
            messaging.message_send(sender=sender.user, conversation_id=conversation.pk, body=body)
            sent += 1
        note = Note.objects.filter(
            author=friend.user, status=Note.Status.PUBLISHED, visibility="public"
        ).first()
        if note is not None:
            messaging.message_send(
                sender=friend.user, conversation_id=conversation.pk, shared_note_id=note.pk
            )
            sent += 1
        hikers: list[Member] = [zh[min(1, len(zh) - 1)], en[0]]
        group = messaging.group_create(
            creator=hikers[0].user, title="周末徒步 Weekend hikes", members=[demo.user, hikers[1].user]
        )
        for who, body in GROUP:
            sender = {0: hikers[0], 1: demo, 2: hikers[1]}[who]
            participation = access.participation_or_404(sender.user, group.pk)
            if participation.state != "active":
                messaging.request_accept(user=sender.user, conversation_id=group.pk)
            messaging.message_send(sender=sender.user, conversation_id=group.pk, body=body)
            sent += 1
        stranger = next((m for m in reversed(en) if demo.pk not in self.following.get(m.pk, set())), None)
        if stranger is not None and stranger.pk not in self.following.get(demo.pk, set()):
            request = messaging.direct_open(sender=stranger.user, recipient=demo.user)
            messaging.message_send(sender=stranger.user, conversation_id=request.pk, body=REQUEST)
            sent += 1
        return sent
