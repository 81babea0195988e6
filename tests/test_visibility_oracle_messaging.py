"""The visibility oracle over conversations and messages: every read path against one rule.

Random small worlds: four members, a group and direct conversations whose participants are in any
state (active, request, declined, left, removed), blocks either way, messages by anyone with some
unsent, held or removed by moderation, hidden "for me", and members who joined a group late. For
every viewer (each member and an anonymous visitor), the conversation list (inbox and requests), the
conversation detail, the message pages, the events a reconnecting client fetches, per-message
actions (translate, react), the HTML chat page, and what the WebSocket consumer relays for each
event are compared with `sees_conversation` / `sees_message` / `sees_content`, written here from
the rule in haven/messaging/access.py's docstring without using any of Haven's access code:

- a conversation is seen by its participants whose state is active or request, except that the
  member blocked by the other side of a *direct* conversation sees nothing of it;
- within it, messages after the participant's `hidden_before_seq`, minus those they hid;
- content: not for unsent or removed messages; held ones only for their sender.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from haven.accounts.models import User
from haven.graph.models import Block
from haven.messaging import consumers
from haven.messaging.consumers import ChatConsumer
from haven.messaging.models import Conversation, Event, HiddenMessage, Message, Participant

STATES = ["active", "active", "request", "declined", "left", "removed"]
MODERATION = ["ok", "ok", "ok", "held", "removed"]
BASE = "/api/v1/dm"


@dataclass
class World:
    users: list[User] = field(default_factory=list)
    blocks: set[tuple[int, int]] = field(default_factory=set)
    conversations: list[Conversation] = field(default_factory=list)
    # (conversation pk, user pk) -> (state, hidden_before_seq)
    parts: dict[tuple[int, int], tuple[str, int]] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    hidden: set[tuple[int, int]] = field(default_factory=set)  # (user pk, message pk)


def sees_conversation(w: World, viewer: int | None, conv: Conversation) -> bool:
    if viewer is None:
        return False
    part = w.parts.get((conv.pk, viewer))
    if part is None or part[0] not in ("active", "request"):
        return False
    if conv.kind == "direct":
        others = [u for (c, u) in w.parts if c == conv.pk and u != viewer]
        if any((other, viewer) in w.blocks for other in others):
            return False
    return True


def sees_message(w: World, viewer: int | None, m: Message) -> bool:
    conv = next(c for c in w.conversations if c.pk == m.conversation_id)
    if not sees_conversation(w, viewer, conv):
        return False
    assert viewer is not None
    return m.seq > w.parts[(conv.pk, viewer)][1] and (viewer, m.pk) not in w.hidden


def sees_content(w: World, viewer: int | None, m: Message) -> bool:
    if not sees_message(w, viewer, m) or m.unsent_at is not None or m.moderation == "removed":
        return False
    return m.moderation != "held" or m.sender_id == viewer


worlds = st.fixed_dictionaries(
    {
        "group": st.lists(st.sampled_from(STATES), min_size=4, max_size=4),
        "late": st.lists(st.booleans(), min_size=4, max_size=4),
        "directs": st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(STATES), st.sampled_from(STATES)),
            max_size=3,
        ),
        "blocks": st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=2),
        "messages": st.lists(
            st.tuples(
                st.integers(0, 3),  # conversation index (0 = the group, then the directs)
                st.integers(0, 1),  # which participant sends (in a direct) / offset (in the group)
                st.sampled_from(MODERATION),
                st.booleans(),  # unsent
            ),
            max_size=8,
        ),
        "hide": st.lists(st.tuples(st.integers(0, 3), st.integers(0, 7)), max_size=3),
    }
)

EXAMPLE = {
    "group": ["active", "request", "removed", "active"],
    "late": [False, False, False, True],
    "directs": [(0, 1, "active", "request"), (2, 3, "active", "active")],
    "blocks": [(3, 2)],
    "messages": [(0, 0, "ok", False), (1, 0, "held", False), (2, 1, "ok", False), (0, 1, "ok", True)],
    "hide": [(0, 0)],
}


def build(spec: dict) -> World:
    cache.clear()
    w = World()
    for i in range(4):
        w.users.append(User.objects.create_user(username=f"m{i}", email=f"m{i}@example.com", password=None))
    ids = [u.pk for u in w.users]
    for a, b in spec["blocks"]:
        if a != b:
            Block.objects.get_or_create(blocker_id=ids[a], blocked_id=ids[b])
            w.blocks.add((ids[a], ids[b]))
    group = Conversation.objects.create(kind="group", title="g", created_by_id=ids[0])
    w.conversations.append(group)
    for i, state in enumerate(spec["group"]):
        Participant.objects.create(conversation=group, user_id=ids[i], state=state)
        w.parts[(group.pk, ids[i])] = (state, 0)
    for a, b, sa, sb in spec["directs"]:
        low, high = sorted((ids[a], ids[b]))
        if a == b or Conversation.objects.filter(direct_key=f"{low}:{high}").exists():
            continue
        conv = Conversation.objects.create(kind="direct", direct_key=f"{low}:{high}", created_by_id=ids[a])
        w.conversations.append(conv)
        for user_id, state in ((ids[a], sa), (ids[b], sb)):
            Participant.objects.create(conversation=conv, user_id=user_id, state=state)
            w.parts[(conv.pk, user_id)] = (state, 0)
    for index, who, moderation, unsent in spec["messages"]:
        conv = w.conversations[index % len(w.conversations)]
        members = [u for (c, u) in w.parts if c == conv.pk]
        sender = members[(who + index) % len(members)]
        conv.last_seq += 1
        Conversation.objects.filter(pk=conv.pk).update(last_seq=conv.last_seq)
        message = Message.objects.create(
            conversation=conv,
            seq=conv.last_seq,
            sender_id=sender,
            body=f"secret {conv.pk}-{conv.last_seq}",
            language="en",
            moderation=moderation,
            unsent_at=group.created_at if unsent else None,
        )
        if unsent:
            Message.objects.filter(pk=message.pk).update(body="")
            message.body = ""
        Event.objects.create(conversation=conv, type="message", seq=message.seq, actor_id=sender)
        w.messages.append(message)
    # Late joiners of the group see only what came after they joined (halfway through).
    for i, late in enumerate(spec["late"]):
        if late:
            cut = group.last_seq // 2
            Participant.objects.filter(conversation=group, user_id=ids[i]).update(hidden_before_seq=cut)
            w.parts[(group.pk, ids[i])] = (w.parts[(group.pk, ids[i])][0], cut)
    for who, which in spec["hide"]:
        if w.messages:
            message = w.messages[which % len(w.messages)]
            HiddenMessage.objects.get_or_create(user_id=ids[who], message=message)
            w.hidden.add((ids[who], message.pk))
    return w


def relayed(user: User, event: Event) -> list[dict[str, Any]]:
    """What the WebSocket consumer sends `user` for `event` (its handler, run as in production)."""
    consumer = ChatConsumer()
    consumer.user = user
    sent: list[dict[str, Any]] = []

    async def send_json(content: Any, close: bool = False) -> None:
        sent.append(content)

    consumer.send_json = send_json  # type: ignore[method-assign]
    # In production the loads run through database_sync_to_async (a worker thread that closes stale
    # connections); here they run in this thread, inside the test's transaction.
    event_dict = {
        "type": "haven.event",
        "event_id": event.pk,
        "conversation_id": event.conversation_id,
        "event": event.type,
    }
    with (
        mock.patch.object(consumers, "_delivery", sync_to_async(consumers.delivery_for)),
        mock.patch.object(consumers, "_badge", sync_to_async(consumers.badge_for)),
    ):
        async_to_sync(consumer.haven_event)(event_dict)
    return [frame for frame in sent if frame["type"] == "event"]


class MessagingOracle(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(EXAMPLE)
    @given(worlds)
    def test_every_read_path_matches_the_rule(self, spec: dict) -> None:
        w = build(spec)
        viewers: list[User | None] = [*w.users, None]
        for viewer in viewers:
            vid = viewer.pk if viewer is not None else None
            client = Client()
            if viewer is not None:
                client.force_login(viewer)
            self._check(w, viewer, vid, client)

    def _check(self, w: World, viewer: User | None, vid: int | None, client: Client) -> None:
        expected = {c.pk for c in w.conversations if sees_conversation(w, vid, c)}
        if vid is None:
            assert client.get(f"{BASE}/conversations").status_code == 401
        else:
            listed: set[int] = set()
            for box in ("inbox", "requests"):
                listed |= {c["id"] for c in client.get(f"{BASE}/conversations?box={box}").json()["items"]}
            # Lists leave out conversations without messages, except accepted groups.
            shown = {
                c.pk
                for c in w.conversations
                if c.pk in expected
                and (c.last_seq > 0 or (c.kind == "group" and w.parts[(c.pk, vid)][0] == "active"))
            }
            assert listed == shown, (vid, listed, shown)
        for conv in w.conversations:
            sees = conv.pk in expected
            detail = client.get(f"{BASE}/conversations/{conv.pk}")
            page = client.get(f"{BASE}/conversations/{conv.pk}/messages?limit=100")
            html = client.get(f"/messages/{conv.pk}/")
            if not sees:
                assert detail.status_code in (401, 404), (vid, conv.pk, detail.status_code)
                assert page.status_code in (401, 404)
                assert html.status_code in (302, 404), html.status_code
                continue
            assert detail.status_code == 200 and page.status_code == 200
            items = {m["id"]: m for m in page.json()["items"]}
            want = {m.pk for m in w.messages if m.conversation_id == conv.pk and sees_message(w, vid, m)}
            assert set(items) == want, (vid, conv.pk, set(items), want)
            for m in w.messages:
                if m.pk in items:
                    shown = sees_content(w, vid, m)
                    assert (items[m.pk]["body"] == m.body) if shown else (items[m.pk]["body"] == ""), (
                        vid,
                        m.pk,
                    )
            if html.status_code == 200:
                text = html.content.decode()
                for m in w.messages:
                    if m.conversation_id == conv.pk and m.body:
                        assert (m.body in text) == sees_content(w, vid, m), (vid, m.pk)
        self._check_messages_and_events(w, viewer, vid, client)

    def _check_messages_and_events(
        self, w: World, viewer: User | None, vid: int | None, client: Client
    ) -> None:
        for m in w.messages:
            reacted = client.put(
                f"{BASE}/items/{m.pk}/reaction", json.dumps({"emoji": "👍"}), content_type="application/json"
            )
            if not sees_message(w, vid, m):
                assert reacted.status_code in (401, 404), (vid, m.pk, reacted.status_code)
            else:
                assert reacted.status_code in (204, 409), (vid, m.pk, reacted.status_code)
        if vid is None or viewer is None:
            assert client.get(f"{BASE}/events").status_code == 401
            return
        events = client.get(f"{BASE}/events?after=0&limit=200").json()["items"]
        got = {e["message"]["id"] for e in events if e["type"] == "message" and e["message"]}
        want = {m.pk for m in w.messages if sees_message(w, vid, m)}
        assert got == want, (vid, got, want)
        for e in events:
            assert e["conversation_id"] in {c.pk for c in w.conversations if sees_conversation(w, vid, c)}
        for event in Event.objects.filter(type="message").order_by("pk"):
            frames = relayed(viewer, event)
            message = next(
                m for m in w.messages if m.conversation_id == event.conversation_id and m.seq == event.seq
            )
            if not sees_message(w, vid, message):
                assert all(f["event"]["message"] is None for f in frames), (vid, message.pk)
                conv = next(c for c in w.conversations if c.pk == event.conversation_id)
                if not sees_conversation(w, vid, conv):
                    assert frames == [], (vid, message.pk)
            else:
                assert len(frames) == 1
                body = frames[0]["event"]["message"]["body"]
                assert (body == message.body) if sees_content(w, vid, message) else body == ""
