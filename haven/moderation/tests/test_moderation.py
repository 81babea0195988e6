"""Reports, cases routed by language, decisions, sanctions, appeals and the audit log."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.core import ratelimit
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from haven.engagement.access import visible_comments
from haven.engagement.services import comment_create
from haven.feeds.selectors import discover_feed, topic_feed
from haven.moderation import access, services
from haven.moderation.models import AuditEntry, Case, CaseTransition, Sanction, StaffRole
from haven.notes.access import get_visible_note, visible_notes
from haven.notes.models import Note
from haven.notes.tests.factories import NoteFactory
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def moderator(languages: list[str], role: str = "moderator"):
    user = UserFactory()
    StaffRole.objects.create(user=user, role=role, languages=languages)
    return user


@pytest.fixture
def world():
    author = UserFactory()
    note = NoteFactory(author=author, title="Coffee", body="Good coffee here", language="en")
    zh = comment_create(author=author, note_id=note.pk, body="你们这些外国人都是垃圾，滚回去")
    en = comment_create(author=author, note_id=note.pk, body="You are all idiots")
    return {
        "author": author,
        "note": note,
        "zh": zh,
        "en": en,
        "reporter": UserFactory(),
        "other": UserFactory(),
    }


def test_reports_on_one_target_merge_into_one_open_case(world):
    moderator(["en", "zh"])
    first = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["en"].pk, reason="spam"
    )
    second = services.report_create(
        reporter=world["other"], kind="comment", target_id=world["en"].pk, reason="harassment", text="rude"
    )
    assert first.case_id == second.case_id
    case = Case.objects.get(pk=first.case_id)
    assert case.report_count == 2
    assert case.severity == 3  # raised by the more severe reason
    assert case.reason.code == "harassment"
    assert case.language == "en" and case.state == "open"
    # The database refuses a second open case on the same target.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(target_kind="comment", target_id=world["en"].pk, language="en")


def test_report_input_errors(world):
    reporter = world["reporter"]
    with pytest.raises(InvalidInput) as exc:
        services.report_create(reporter=reporter, kind="comment", target_id=world["en"].pk, reason="nope")
    assert exc.value.code == "invalid_reason"
    with pytest.raises(InvalidInput) as exc:
        services.report_create(
            reporter=reporter, kind="comment", target_id=world["en"].pk, reason="spam", text="x" * 1001
        )
    assert exc.value.code == "report_text_too_long"
    with pytest.raises(InvalidInput) as exc:
        services.report_create(reporter=reporter, kind="wallet", target_id=1, reason="spam")
    assert exc.value.code == "invalid_target_kind"
    with pytest.raises(InvalidInput) as exc:
        services.report_create(
            reporter=world["author"], kind="comment", target_id=world["en"].pk, reason="spam"
        )
    assert exc.value.code == "cannot_report_self"
    for bad in (0, -1, "abc", 2**70):
        with pytest.raises(NotFound):
            services.report_create(reporter=reporter, kind="note", target_id=bad, reason="spam")
    private = NoteFactory(author=world["author"], visibility="private")
    with pytest.raises(NotFound):
        services.report_create(reporter=reporter, kind="note", target_id=private.pk, reason="spam")
    services.report_create(reporter=reporter, kind="comment", target_id=world["en"].pk, reason="spam")
    with pytest.raises(Conflict) as exc:
        services.report_create(reporter=reporter, kind="comment", target_id=world["en"].pk, reason="spam")
    assert exc.value.code == "already_reported"


def test_reports_are_rate_limited_per_reporter(world, settings, monkeypatch):
    # The limit counts per clock hour: pinned inside one, so the 21 reports cannot straddle two.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_002_600.0))
    reporter = world["reporter"]
    notes = [NoteFactory(author=world["author"]) for _ in range(21)]
    for note in notes[:20]:
        services.report_create(reporter=reporter, kind="note", target_id=note.pk, reason="spam")
    with pytest.raises(RateLimited):
        services.report_create(reporter=reporter, kind="note", target_id=notes[20].pk, reason="spam")


def test_content_in_a_language_nobody_reads_is_held_and_shown_to_every_moderator(world):
    english = moderator(["en"])
    report = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["zh"].pk, reason="harassment"
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.language == "zh" and case.unstaffed and case.held
    world["zh"].refresh_from_db()
    assert world["zh"].moderation == "held"
    note = world["note"]
    # Held: its author still sees it; nobody else does.
    assert world["zh"].pk in set(visible_comments(world["author"], note).values_list("pk", flat=True))
    assert world["zh"].pk not in set(visible_comments(world["other"], note).values_list("pk", flat=True))
    assert world["zh"].pk not in set(visible_comments(None, note).values_list("pk", flat=True))
    assert case in access.queue_cases(english)
    assert access.case_for_moderator(english, case.pk) == case


def test_cases_go_to_the_queue_of_their_language(world):
    english, chinese = moderator(["en"]), moderator(["zh"])
    zh_case = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["zh"].pk, reason="harassment"
    ).case
    en_case = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["en"].pk, reason="harassment"
    ).case
    zh_case.refresh_from_db()
    assert not zh_case.unstaffed and not zh_case.held  # a Chinese reader is on the team
    assert set(access.queue_cases(english)) == {en_case}
    assert set(access.queue_cases(chinese)) == {zh_case}
    with pytest.raises(NotFound):
        access.case_for_moderator(english, zh_case.pk)
    operator = moderator([], role="operator")
    assert set(access.queue_cases(operator)) == {en_case, zh_case}
    member = UserFactory()
    with pytest.raises(NotFound):
        access.queue_cases(member)


def test_staffing_a_language_moves_its_cases_out_of_the_unstaffed_pool(
    world, django_capture_on_commit_callbacks
):
    operator = moderator(["en"], role="operator")
    case = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["zh"].pk, reason="harassment"
    ).case
    assert Case.objects.get(pk=case.pk).unstaffed
    chinese = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_role_set(
            operator=operator, user_id=chinese.pk, role="moderator", languages=["zh-Hans"]
        )
    assert not Case.objects.get(pk=case.pk).unstaffed
    chinese.refresh_from_db()
    assert chinese.is_staff and chinese.groups.filter(name="moderators").exists()
    assert AuditEntry.objects.filter(action="role.set", target_id=chinese.pk).exists()


def test_remove_tells_author_and_reporter_and_appeal_by_another_moderator_restores(world):
    english, second = moderator(["en"]), moderator(["en"])
    comment = world["zh"]
    case = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=comment.pk, reason="harassment"
    ).case
    case = services.case_claim(moderator=english, case_id=case.pk)
    assert case.state == "in_review" and case.assigned_to_id == english.pk
    case = services.case_decide(moderator=english, case_id=case.pk, action="remove", reason="harassment")
    comment.refresh_from_db()
    assert comment.moderation == "removed" and comment.moderation_reason == "harassment"
    assert case.state == "actioned" and case.decided_by_id == english.pk and case.closed_at
    for uid in (world["author"].pk, world["reporter"].pk):
        assert Notification.objects.filter(recipient_id=uid, verb="safety").exists()
    assert Sanction.objects.filter(member=world["author"], kind="remove", strike=True).count() == 1

    services.appeal_create(member=world["author"], case_id=case.pk, text="It was a quote from a film.")
    with pytest.raises(Conflict):
        services.appeal_create(member=world["author"], case_id=case.pk, text="again")
    with pytest.raises(Forbidden) as exc:
        services.appeal_decide(moderator=english, case_id=case.pk, outcome="overturned")
    assert exc.value.code == "same_moderator"
    case = services.appeal_decide(moderator=second, case_id=case.pk, outcome="overturned")
    comment.refresh_from_db()
    assert case.state == "overturned" and comment.moderation == "ok"
    assert Sanction.objects.get(member=world["author"], kind="remove").revoked_at is not None
    steps = list(CaseTransition.objects.filter(case=case).values_list("src", "dst"))
    assert steps == [
        ("", "open"),
        ("open", "in_review"),
        ("in_review", "actioned"),
        ("actioned", "appealed"),
        ("appealed", "overturned"),
    ]
    actions = set(AuditEntry.objects.filter(case_id_ref=case.pk).values_list("action", flat=True))
    assert {"case.claim", "case.decide", "appeal.decide"} <= actions


def test_stale_version_loses_the_compare_and_set(world):
    english = moderator(["en"])
    case = services.report_create(
        reporter=world["reporter"], kind="note", target_id=world["note"].pk, reason="spam"
    ).case
    case.refresh_from_db()
    stale = case.version
    services.case_claim(moderator=english, case_id=case.pk, version=stale)
    with pytest.raises(Conflict) as exc:
        services.case_decide(moderator=english, case_id=case.pk, action="dismiss", version=stale)
    assert exc.value.code == "case_changed"


def test_appeals_close_after_30_days_and_only_for_the_author(world):
    english = moderator(["en"])
    case = services.report_create(
        reporter=world["reporter"], kind="note", target_id=world["note"].pk, reason="spam"
    ).case
    services.case_decide(moderator=english, case_id=case.pk, action="limit", reason="spam")
    with pytest.raises(NotFound):
        services.appeal_create(member=world["reporter"], case_id=case.pk, text="not mine")
    Case.objects.filter(pk=case.pk).update(decided_at=timezone.now() - timedelta(days=31))
    with pytest.raises(Conflict) as exc:
        services.appeal_create(member=world["author"], case_id=case.pk, text="please")
    assert exc.value.code == "appeal_window_closed"


def test_limit_keeps_a_note_visible_by_link_but_out_of_discover_and_topics(world):
    english = moderator(["en"])
    note = NoteFactory(author=world["author"], body="#coffee beans", language="en")
    from haven.notes.models import Hashtag, NoteHashtag

    NoteHashtag.objects.create(note=note, hashtag=Hashtag.objects.get_or_create(name="coffee")[0])
    viewer = world["other"]
    assert note.pk in [n.pk for n in topic_feed(viewer, "coffee").items]
    case = services.report_create(
        reporter=world["reporter"], kind="note", target_id=note.pk, reason="spam"
    ).case
    services.case_decide(moderator=english, case_id=case.pk, action="limit", reason="spam")
    assert get_visible_note(viewer, note.pk).pk == note.pk
    assert note.pk not in [n.pk for n in topic_feed(viewer, "coffee").items]
    assert note.pk not in [n.pk for n in discover_feed(viewer, record_seen=False).items]


def test_label_marks_sensitive_and_the_card_says_so(world):
    from haven.feeds.selectors import card_data
    from haven.notes.selectors import with_card_data

    english = moderator(["en"])
    note = world["note"]
    case = services.report_create(
        reporter=world["reporter"], kind="note", target_id=note.pk, reason="sexual"
    ).case
    services.case_decide(moderator=english, case_id=case.pk, action="label", reason="sexual")
    note.refresh_from_db()
    assert note.sensitive and note.moderation == "ok"
    cards = card_data(world["other"], list(with_card_data(Note.objects.filter(pk=note.pk))))
    assert cards[0]["sensitive"] is True
    own = card_data(world["author"], list(with_card_data(Note.objects.filter(pk=note.pk))))
    assert own[0]["sensitive"] is False


def test_suspension_blocks_login_hides_content_and_is_lifted_when_overturned(world):
    english, second = moderator(["en"]), moderator(["en"])
    author = world["author"]
    author.set_password(PASSWORD)
    author.save()
    case = services.report_create(
        reporter=world["reporter"], kind="member", target_id=author.pk, reason="scam"
    ).case
    services.case_decide(moderator=english, case_id=case.pk, action="suspend", reason="scam", suspend_days=7)
    author.refresh_from_db()
    assert not author.is_active and author.suspended_until > timezone.now() + timedelta(days=6)
    assert not visible_notes(world["other"]).filter(author=author).exists()
    assert not visible_notes(None).filter(author=author).exists()
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"login": author.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code in (200, 403)
    assert b"suspended until" in response.content
    api = client.post(
        "/api/v1/accounts/token",
        {"username_or_email": author.username, "password": PASSWORD, "name": "phone"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["code"] == "account_suspended"
    services.appeal_create(member=author, case_id=case.pk, text="I am not a scammer")
    services.appeal_decide(moderator=second, case_id=case.pk, outcome="overturned")
    author.refresh_from_db()
    assert author.is_active and author.suspended_until is None


def test_three_strikes_suspend_for_a_week(world):
    english = moderator(["en"])
    author = world["author"]
    for _ in range(3):
        note = NoteFactory(author=author)
        case = services.report_create(
            reporter=world["reporter"], kind="note", target_id=note.pk, reason="spam"
        ).case
        services.case_decide(moderator=english, case_id=case.pk, action="remove", reason="spam")
    author.refresh_from_db()
    assert not author.is_active
    assert timezone.now() + timedelta(days=6) < author.suspended_until < timezone.now() + timedelta(days=8)
    assert AuditEntry.objects.filter(action="member.suspend").exists()


def test_expired_suspensions_are_lifted_by_the_periodic_job(world):
    from haven.accounts.services import user_suspend
    from haven.moderation.tasks import moderation_housekeeping

    author = world["author"]
    user_suspend(user_id=author.pk, until=timezone.now() - timedelta(minutes=1), reason="spam")
    moderation_housekeeping.call()
    author.refresh_from_db()
    assert author.is_active and author.suspended_until is None


def test_dismissing_a_held_report_releases_it(world):
    english = moderator(["en"])
    case = services.report_create(
        reporter=world["reporter"], kind="comment", target_id=world["zh"].pk, reason="harassment"
    ).case
    world["zh"].refresh_from_db()
    assert world["zh"].moderation == "held"
    services.case_decide(moderator=english, case_id=case.pk, action="dismiss")
    world["zh"].refresh_from_db()
    assert world["zh"].moderation == "ok"


def test_a_decided_target_can_be_reported_again_in_a_new_case(world):
    english = moderator(["en"])
    first = services.report_create(
        reporter=world["reporter"], kind="note", target_id=world["note"].pk, reason="spam"
    )
    services.case_decide(moderator=english, case_id=first.case_id, action="dismiss")
    second = services.report_create(
        reporter=world["other"], kind="note", target_id=world["note"].pk, reason="scam"
    )
    assert second.case_id != first.case_id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_audit_log_is_append_only_in_postgresql():
    from django.db import DatabaseError

    entry = services.audit(actor=None, action="test.append")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.append"
