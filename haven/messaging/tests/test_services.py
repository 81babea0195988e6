"""Messaging services: requests, settings, blocks, groups, ordering, idempotency, unsend, reactions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from haven.graph.services import block_create
from haven.media.tests.factories import MediaImageFactory
from haven.messaging import access, selectors, services
from haven.messaging.models import Event, Message, MessagingSettings, Participant
from haven.notes.tests.factories import NoteFactory, follow

pytestmark = pytest.mark.django_db


def _direct(a, b):  # type: ignore[no-untyped-def]
    return services.direct_open(sender=a, recipient=b)


def test_stranger_lands_in_requests_follower_in_inbox() -> None:
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)  # bob follows alice: alice's message reaches his inbox
    conv = _direct(alice, bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hi bob")
    assert Participant.objects.get(conversation=conv, user=bob).state == "active"
    stranger = _direct(carol, bob)
    services.message_send(sender=carol, conversation_id=stranger.pk, body="hello, want to practise English?")
    inbox, _ = selectors.conversation_list(bob, box="inbox")
    requests, _ = selectors.conversation_list(bob, box="requests")
    assert [e.conversation.pk for e in inbox] == [conv.pk]
    assert [e.conversation.pk for e in requests] == [stranger.pk]
    assert selectors.unread_summary(bob) == {"unread": 1, "conversations": 1, "requests": 1}
    services.request_accept(user=bob, conversation_id=stranger.pk)
    inbox, _ = selectors.conversation_list(bob, box="inbox")
    assert {e.conversation.pk for e in inbox} == {conv.pk, stranger.pk}


def test_declined_request_disappears_and_sender_is_not_told() -> None:
    alice, bob = UserFactory(), UserFactory()
    conv = _direct(alice, bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hi")
    services.request_decline(user=bob, conversation_id=conv.pk)
    assert selectors.conversation_list(bob, box="requests")[0] == []
    with pytest.raises(NotFound):
        access.participation_or_404(bob, conv.pk)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hello?")  # no error for alice
    assert selectors.conversation_list(bob, box="requests")[0] == []


def test_who_can_message_setting() -> None:
    alice, bob = UserFactory(), UserFactory()
    services.settings_update(user=bob, who_can_message=MessagingSettings.WhoCanMessage.NOBODY)
    with pytest.raises(Forbidden) as exc:
        _direct(alice, bob)
    assert exc.value.code == "messages_not_accepted"
    services.settings_update(user=bob, who_can_message="following")
    with pytest.raises(Forbidden):
        _direct(alice, bob)
    follow(bob, alice)
    assert _direct(alice, bob).kind == "direct"
    with pytest.raises(InvalidInput):
        services.settings_update(user=bob, who_can_message="friends")


def test_block_ends_the_direct_conversation_both_ways() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hi")
    block_create(blocker=bob, blocked=alice)
    # The blocked member sees nothing and cannot write; the blocker keeps it read-only.
    with pytest.raises(NotFound):
        access.participation_or_404(alice, conv.pk)
    with pytest.raises(NotFound):
        services.message_send(sender=alice, conversation_id=conv.pk, body="why?")
    entry = selectors.conversation_detail(bob, conv.pk)
    assert entry.closed
    with pytest.raises(NotFound):
        services.message_send(sender=bob, conversation_id=conv.pk, body="bye")
    with pytest.raises(NotFound):
        _direct(alice, bob)


def test_suspended_member_cannot_send() -> None:
    alice, bob = UserFactory(), UserFactory()
    conv = _direct(alice, bob)
    alice.suspended_until = timezone.now() + timedelta(days=3)
    alice.save()
    with pytest.raises(Forbidden) as exc:
        services.message_send(sender=alice, conversation_id=conv.pk, body="hi")
    assert exc.value.code == "account_suspended"


def test_strict_order_and_idempotent_send() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    first = services.message_send(sender=alice, conversation_id=conv.pk, body="one", client_id="c-1")
    again = services.message_send(sender=alice, conversation_id=conv.pk, body="one", client_id="c-1")
    assert again.replayed and again.message.pk == first.message.pk
    services.message_send(sender=bob, conversation_id=conv.pk, body="two")
    services.message_send(sender=alice, conversation_id=conv.pk, body="three", client_id="c-2")
    seqs = list(Message.objects.filter(conversation=conv).order_by("seq").values_list("seq", "body"))
    assert seqs == [(1, "one"), (2, "two"), (3, "three")]
    assert Event.objects.filter(conversation=conv, type="message").count() == 3
    with pytest.raises(InvalidInput):
        services.message_send(sender=alice, conversation_id=conv.pk, body="x", client_id="has space")
    with pytest.raises(InvalidInput):
        services.message_send(sender=alice, conversation_id=conv.pk, body="   ")
    with pytest.raises(TooLarge):
        services.message_send(sender=alice, conversation_id=conv.pk, body="x" * 4001)


def test_pages_both_ways_and_gap_after() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    for i in range(7):
        services.message_send(sender=alice, conversation_id=conv.pk, body=f"m{i}")
    mine = access.participation_or_404(bob, conv.pk)
    newest, more = selectors.messages_page(mine, limit=3)
    assert [m.seq for m in newest] == [5, 6, 7] and more
    older, more = selectors.messages_page(mine, before=5, limit=3)
    assert [m.seq for m in older] == [2, 3, 4] and more
    gap, more = selectors.messages_page(mine, after=3, limit=10)
    assert [m.seq for m in gap] == [4, 5, 6, 7] and not more
    with pytest.raises(InvalidInput):
        selectors.messages_page(mine, limit=101)


def test_unsend_window_hide_for_me_and_reactions() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    sent = services.message_send(sender=alice, conversation_id=conv.pk, body="oops").message
    services.reaction_set(user=bob, message_id=sent.pk, emoji="❤️")
    with pytest.raises(InvalidInput):
        services.reaction_set(user=bob, message_id=sent.pk, emoji="lol")
    with pytest.raises(Forbidden):
        services.message_unsend(user=bob, message_id=sent.pk)
    services.message_unsend(user=alice, message_id=sent.pk)
    payload = selectors.message_payload(bob, sent.pk)
    assert payload["state"] == "unsent" and payload["body"] == "" and payload["reactions"] == []
    old = services.message_send(sender=alice, conversation_id=conv.pk, body="old").message
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(Conflict) as exc:
        services.message_unsend(user=alice, message_id=old.pk)
    assert exc.value.code == "unsend_window_passed"
    services.message_hide(user=bob, message_id=old.pk)
    mine = access.participation_or_404(bob, conv.pk)
    assert old.pk not in [m.pk for m in selectors.messages_page(mine)[0]]
    alice_side = access.participation_or_404(alice, conv.pk)
    assert old.pk in [m.pk for m in selectors.messages_page(alice_side)[0]]


def test_group_admins_add_remove_leave_and_late_joiners_see_only_new_messages() -> None:
    admin, b, c, d = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for member in (b, c, d):
        follow(member, admin)
    group = services.group_create(creator=admin, title="  Shanghai   coffee ", members=[b, c])
    assert group.title == "Shanghai coffee"
    services.message_send(sender=b, conversation_id=group.pk, body="before d")
    services.group_add(actor=admin, conversation_id=group.pk, members=[d])
    services.message_send(sender=c, conversation_id=group.pk, body="after d")
    d_side = access.participation_or_404(d, group.pk)
    bodies = [m.body for m in selectors.messages_page(d_side)[0] if m.kind == "text"]
    assert bodies == ["after d"]
    with pytest.raises(Forbidden):
        services.group_add(actor=b, conversation_id=group.pk, members=[UserFactory()])
    services.group_remove(actor=admin, conversation_id=group.pk, member=c)
    with pytest.raises(NotFound):
        access.participation_or_404(c, group.pk)
    with pytest.raises(NotFound):
        services.message_send(sender=c, conversation_id=group.pk, body="still here?")
    services.conversation_leave(user=admin, conversation_id=group.pk)
    # The group keeps an admin: the longest-standing member.
    assert Participant.objects.get(conversation=group, user=b).role == "admin"


def test_group_bounds() -> None:
    admin = UserFactory()
    with pytest.raises(InvalidInput):
        services.group_create(creator=admin, title="x" * 81, members=[UserFactory()])
    with pytest.raises(InvalidInput):
        services.group_create(creator=admin, title="empty", members=[])


def test_shared_note_and_member_cards_respect_visibility_at_read_time() -> None:
    alice, bob, author = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    note = NoteFactory(author=author, visibility="public")
    services.message_send(sender=alice, conversation_id=conv.pk, shared_note_id=note.pk)
    services.message_send(sender=alice, conversation_id=conv.pk, shared_user=author)
    mine = access.participation_or_404(bob, conv.pk)
    cards = selectors.message_payloads(bob, selectors.messages_page(mine)[0])
    assert cards[0]["shared_note"]["available"] and cards[0]["shared_note"]["id"] == note.pk
    assert cards[1]["shared_member"]["available"]
    block_create(blocker=author, blocked=bob)  # now bob may see neither
    cards = selectors.message_payloads(bob, selectors.messages_page(mine)[0])
    assert cards[0]["shared_note"] == {"available": False}
    assert cards[1]["shared_member"] == {"available": False}


def test_image_message_keeps_image_from_cleanup() -> None:
    from haven.media.models import MediaImage
    from haven.media.services import image_cleanup

    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    image = MediaImageFactory(owner=alice)
    services.message_send(sender=alice, conversation_id=conv.pk, image_id=image.pk)
    image_cleanup(now=timezone.now() + timedelta(days=30))
    assert MediaImage.objects.filter(pk=image.pk).exists()
    other = MediaImageFactory(owner=bob)
    with pytest.raises(NotFound):
        services.message_send(sender=alice, conversation_id=conv.pk, image_id=other.pk)


def test_read_receipts_are_mutual_and_can_be_turned_off() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = _direct(alice, bob)
    services.message_send(sender=alice, conversation_id=conv.pk, body="hi")
    services.read_mark(user=bob, conversation_id=conv.pk)
    alice_side = access.participation_or_404(alice, conv.pk)
    assert selectors.read_state(alice_side) == [{"username": bob.username, "seq": 1}]
    services.settings_update(user=bob, read_receipts=False)
    assert selectors.read_state(alice_side) == []
    services.message_send(sender=alice, conversation_id=conv.pk, body="again")
    before = Event.objects.filter(type="read").count()
    services.read_mark(user=bob, conversation_id=conv.pk)
    assert Event.objects.filter(type="read").count() == before  # no receipt left
    assert selectors.unread_summary(bob)["unread"] == 0


def test_events_resume_only_for_current_participants() -> None:
    admin, b, c = UserFactory(), UserFactory(), UserFactory()
    follow(b, admin)
    follow(c, admin)
    group = services.group_create(creator=admin, title="g", members=[b, c])
    services.message_send(sender=admin, conversation_id=group.pk, body="one")
    events, _ = selectors.events_after(c, after=0)
    payloads = selectors.event_payloads(c, events)
    texts = [
        p["message"]["body"] for p in payloads if p["type"] == "message" and p["message"]["kind"] == "text"
    ]
    assert texts == ["one"]
    last = events[-1].pk
    services.group_remove(actor=admin, conversation_id=group.pk, member=c)
    services.message_send(sender=admin, conversation_id=group.pk, body="after c left")
    assert selectors.events_after(c, after=last)[0] == []
    assert selectors.events_after(c, after=0)[0] == []
    assert len(selectors.events_after(b, after=last)[0]) >= 2
