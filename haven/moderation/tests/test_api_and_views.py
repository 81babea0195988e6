"""Moderation's JSON API contract and HTML pages: status codes, error codes, access."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory, bearer, token_for
from haven.engagement.services import comment_create
from haven.moderation.models import AuditEntry, Case, StaffRole
from haven.notes.tests.factories import NoteFactory
from haven.privacy.models import StaffAccess

pytestmark = pytest.mark.django_db
BASE = "/api/v1/moderation"


def auth_header(user):
    return bearer(token_for(user)[1])


@pytest.fixture
def team():
    english = UserFactory(interface_language="en")
    StaffRole.objects.create(user=english, role="moderator", languages=["en"])
    other = UserFactory()
    StaffRole.objects.create(user=other, role="moderator", languages=["en"])
    return english, other


def test_report_contract_and_errors(client: Client):
    author, reporter = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    headers = auth_header(reporter)
    r = client.post(
        f"{BASE}/reports",
        {"kind": "note", "target_id": note.pk, "reason": "spam"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "note" and body["outcome"] == "waiting" and body["reason"] == "spam"
    again = client.post(
        f"{BASE}/reports",
        {"kind": "note", "target_id": note.pk, "reason": "spam"},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 409 and again.json()["code"] == "already_reported"
    for payload, status in (
        ({"kind": "note", "target_id": note.pk, "reason": "spam", "text": "x" * 1001}, 422),
        ({"kind": "wallet", "target_id": note.pk, "reason": "spam"}, 422),
        ({"kind": "note", "target_id": 0, "reason": "spam"}, 422),
        ({"kind": "note", "target_id": 10**12, "reason": "spam"}, 404),
        ({"kind": "note", "target_id": note.pk, "reason": "made-up"}, 400),
    ):
        r = client.post(f"{BASE}/reports", payload, content_type="application/json", **headers)
        assert r.status_code == status, (payload, r.content)
    assert client.post(f"{BASE}/reports", {}, content_type="application/json").status_code == 401
    mine = client.get(f"{BASE}/reports/mine", **headers).json()
    assert [m["target_id"] for m in mine] == [note.pk]
    reasons = client.get(f"{BASE}/reasons", **headers).json()
    assert {r["code"] for r in reasons} >= {
        "spam",
        "scam",
        "harassment",
        "self_harm",
        "minor_safety",
        "other",
    }


def test_moderator_endpoints_are_404_for_members(client: Client):
    member = UserFactory()
    headers = auth_header(member)
    assert client.get(f"{BASE}/queue", **headers).status_code == 404
    assert client.get(f"{BASE}/cases/1", **headers).status_code == 404


def test_queue_decide_and_appeal_through_the_api(client: Client, team):
    english, other = team
    author, reporter = UserFactory(), UserFactory()
    note = NoteFactory(author=author, language="en", body="Buy followers now")
    client.post(
        f"{BASE}/reports",
        {"kind": "note", "target_id": note.pk, "reason": "spam"},
        content_type="application/json",
        **auth_header(reporter),
    )
    queue = client.get(f"{BASE}/queue", **auth_header(english)).json()["items"]
    assert [c["target"]["id"] for c in queue] == [note.pk]
    case_id, version = queue[0]["id"], queue[0]["version"]
    detail = client.get(f"{BASE}/cases/{case_id}", **auth_header(english)).json()
    assert detail["target"]["text"].endswith("Buy followers now")
    stale = client.post(
        f"{BASE}/cases/{case_id}/decide",
        {"action": "remove", "version": version + 5},
        content_type="application/json",
        **auth_header(english),
    )
    assert stale.status_code == 409 and stale.json()["code"] == "case_changed"
    bad = client.post(
        f"{BASE}/cases/{case_id}/decide",
        {"action": "explode", "version": version},
        content_type="application/json",
        **auth_header(english),
    )
    assert bad.status_code == 422
    done = client.post(
        f"{BASE}/cases/{case_id}/decide",
        {"action": "remove", "reason": "spam", "version": version},
        content_type="application/json",
        **auth_header(english),
    )
    assert done.status_code == 200 and done.json()["state"] == "actioned"
    decisions = client.get(f"{BASE}/decisions/mine", **auth_header(author)).json()
    assert decisions[0]["appealable"] is True and decisions[0]["action"] == "remove"
    appealed = client.post(
        f"{BASE}/decisions/{case_id}/appeal",
        {"text": "Not spam"},
        content_type="application/json",
        **auth_header(author),
    )
    assert appealed.status_code == 201
    case = Case.objects.get(pk=case_id)
    same = client.post(
        f"{BASE}/cases/{case_id}/appeal-decision",
        {"outcome": "overturned", "version": case.version},
        content_type="application/json",
        **auth_header(english),
    )
    assert same.status_code == 403 and same.json()["code"] == "same_moderator"
    ok = client.post(
        f"{BASE}/cases/{case_id}/appeal-decision",
        {"outcome": "overturned", "version": case.version},
        content_type="application/json",
        **auth_header(other),
    )
    assert ok.status_code == 200 and ok.json()["state"] == "overturned"


def test_report_page_and_mine_page(client: Client):
    author, reporter = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    comment = comment_create(author=author, note_id=note.pk, body="hello there")
    client.force_login(reporter)
    detail = client.get(reverse("notes:detail", args=[note.pk]))
    assert reverse("moderation:report", args=["note", note.pk]).encode() in detail.content
    assert reverse("moderation:report", args=["comment", comment.pk]).encode() in detail.content
    page = client.get(reverse("moderation:report", args=["comment", comment.pk]))
    assert page.status_code == 200 and b"hello there" in page.content
    assert client.get(reverse("moderation:report", args=["comment", 10**9])).status_code == 404
    assert client.get(reverse("moderation:report", args=["wallet", 1])).status_code == 404
    missing = client.post(reverse("moderation:report", args=["comment", comment.pk]), {"text": "x"})
    assert missing.status_code == 400
    sent = client.post(reverse("moderation:report", args=["comment", comment.pk]), {"reason": "harassment"})
    assert sent.status_code == 302 and sent["Location"] == reverse("moderation:mine")
    mine = client.get(reverse("moderation:mine"))
    assert mine.status_code == 200 and b'data-report="' in mine.content
    # Nobody on the team reads English here, so the reported comment is held: its reporter no longer sees it.
    detail = client.get(reverse("notes:detail", args=[note.pk]))
    assert b"hello there" not in detail.content


def test_queue_and_case_pages_for_moderators_only(client: Client, team):
    english, _other = team
    author, reporter = UserFactory(), UserFactory()
    note = NoteFactory(author=author, visibility="followers", body="members only")
    from haven.graph.models import Follow

    Follow.objects.create(follower=reporter, followee=author)
    from haven.moderation import services

    case = services.report_create(reporter=reporter, kind="note", target_id=note.pk, reason="spam").case
    client.force_login(UserFactory())
    assert client.get(reverse("moderation:queue")).status_code == 404
    assert client.get(reverse("moderation:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("moderation:team")).status_code == 404
    client.force_login(english)
    queue = client.get(reverse("moderation:queue"))
    assert queue.status_code == 200 and f'data-case="{case.pk}"'.encode() in queue.content
    page = client.get(reverse("moderation:case", args=[case.pk]))
    assert page.status_code == 200 and b"members only" in page.content
    # A view of non-public content is audited and listed in the author's staff-access log.
    assert AuditEntry.objects.filter(action="content.view", case_id_ref=case.pk, actor_id=english.pk).exists()
    assert StaffAccess.objects.filter(member=author, staff=english).exists()
    decided = client.post(
        reverse("moderation:decide", args=[case.pk]),
        {"action": "remove", "reason": "spam", "version": Case.objects.get(pk=case.pk).version},
    )
    assert decided.status_code == 302
    note.refresh_from_db()
    assert note.moderation == "removed"
    client.force_login(author)
    own = client.get(reverse("notes:detail", args=[note.pk]))
    assert own.status_code == 200 and b'data-moderation="removed"' in own.content
    client.force_login(reporter)
    assert client.get(reverse("notes:detail", args=[note.pk])).status_code == 404


def test_operator_pages(client: Client):
    operator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    assert client.get(reverse("moderation:team")).status_code == 200
    member = UserFactory()
    r = client.post(
        reverse("moderation:team"), {"username": member.username, "role": "moderator", "languages": "zh, en"}
    )
    assert r.status_code == 302
    assert StaffRole.objects.get(user=member).languages == ["en", "zh"]
    r = client.post(
        reverse("moderation:reasons"),
        {
            "code": "doxxing",
            "label_en": "Sharing private info",
            "label_zh": "泄露隐私",
            "severity": 4,
            "position": 5,
            "active": "on",
        },
    )
    assert r.status_code == 302
    assert client.get(reverse("moderation:reasons")).content.count(b'data-reason="') == 11
    audit = client.get(reverse("moderation:audit"))
    assert audit.status_code == 200 and b"role.set" in audit.content


def test_appeal_panel_names_the_first_decision_and_history_counts_appealed_cases(client: Client, team):
    english, other = team
    author, reporter = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    from haven.moderation import services

    case = services.report_create(reporter=reporter, kind="note", target_id=note.pk, reason="spam").case
    services.case_decide(
        moderator=english, case_id=case.pk, version=case.version, action="remove", reason="scam"
    )
    services.appeal_create(member=author, case_id=case.pk, text="not spam")
    client.force_login(other)
    page = client.get(reverse("moderation:case", args=[case.pk])).content.decode()
    first = page.split("First decision:")[1].split("</p>")[0]
    assert "Remove" in first and "Scam or fraud" in first and "scam)" not in first
    assert "1 cases, 1 actioned" in page
