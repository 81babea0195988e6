"""Reporting a message: the report keeps what the reporter saw; a decision removes it for everyone."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.core.errors import InvalidInput, NotFound
from haven.messaging import access, selectors, services
from haven.moderation import services as moderation
from haven.moderation.models import Case, StaffRole
from haven.notes.tests.factories import follow

pytestmark = pytest.mark.django_db


def test_report_keeps_context_after_unsend_and_removal_hides_it() -> None:
    troll, victim, outsider = UserFactory(), UserFactory(), UserFactory()
    conv = services.direct_open(sender=troll, recipient=victim)
    services.message_send(sender=troll, conversation_id=conv.pk, body="hey")
    services.message_send(sender=victim, conversation_id=conv.pk, body="who are you?")
    bad = services.message_send(sender=troll, conversation_id=conv.pk, body="send me money or else").message
    # Only someone who can read it may report it, and not the sender.
    with pytest.raises(NotFound):
        moderation.report_create(reporter=outsider, kind="message", target_id=bad.pk, reason="harassment")
    with pytest.raises((NotFound, InvalidInput)):
        moderation.report_create(reporter=troll, kind="message", target_id=bad.pk, reason="harassment")
    report = moderation.report_create(reporter=victim, kind="message", target_id=bad.pk, reason="harassment")
    assert [line["text"] for line in report.evidence["context"]] == [
        "hey",
        "who are you?",
        "send me money or else",
    ]
    assert report.evidence["context"][2]["reported"] is True
    services.message_unsend(user=troll, message_id=bad.pk)  # the troll tries to hide it
    case = Case.objects.get(target_kind="message", target_id=bad.pk)

    mod = UserFactory()
    StaffRole.objects.create(user=mod, role="moderator", languages=["en"])
    page = Client()
    page.force_login(mod)
    html = page.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "send me money or else" in html and "data-evidence" in html

    moderation.case_decide(moderator=mod, case_id=case.pk, action="remove", reason="harassment")
    mine = access.participation_or_404(victim, conv.pk)
    payloads = selectors.message_payloads(victim, selectors.messages_page(mine)[0])
    assert payloads[-1]["state"] in ("removed", "unsent") and payloads[-1]["body"] == ""


def test_removed_message_keeps_its_place_without_content() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conv = services.direct_open(sender=alice, recipient=bob)
    message = services.message_send(sender=alice, conversation_id=conv.pk, body="rude words").message
    services.message_set_moderation(message_id=message.pk, state="removed", reason="harassment")
    for viewer in (alice, bob):
        payload = selectors.message_payload(viewer, message.pk)
        assert payload["state"] == "removed" and payload["body"] == ""
    services.message_set_moderation(message_id=message.pk, state="held", reason="")
    assert selectors.message_payload(alice, message.pk)["body"] == "rude words"  # its sender still sees it
    assert selectors.message_payload(bob, message.pk)["body"] == ""
