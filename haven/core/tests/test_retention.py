"""Retention: each declared kind loses exactly what is older than its period, tunable by setting."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.core import retention
from haven.core.models import IdempotencyRecord

# The kernel imports no app (import-linter), so the apps' models are looked up by label.
SeenNote = apps.get_model("feeds", "SeenNote")
Notification = apps.get_model("notifications", "Notification")
Note = apps.get_model("notes", "Note")

NOW = timezone.now().replace(microsecond=0)
SECOND = timedelta(seconds=1)


def member(name: str):
    return get_user_model().objects.create(username=name, email=f"{name}@example.com")


def notification(recipient, n: int):
    return Notification.objects.create(
        recipient=recipient,
        actor=member(f"actor{n}"),
        verb="like_note",
        note_id=n,
        group_key=f"like_note:{n}",
    )


def days_ago(days: int, plus: timedelta = timedelta(0)):
    return NOW - timedelta(days=days) + plus


@pytest.fixture(autouse=True)
def _clean_registry():
    yield
    retention.unregister_retention("t.boom")
    retention.unregister_retention("t.fixed")


def test_apps_declare_their_kinds():
    kinds = {rule.kind for rule in retention.retention_rules()}
    assert {"idempotency_keys", "task_results", "seen_notes", "notifications"} <= kinds
    for rule in retention.retention_rules():
        assert str(rule.description)


@pytest.mark.django_db
def test_idempotency_records_older_than_the_period_go(settings):
    settings.RETAIN_IDEMPOTENCY_DAYS = 7
    user = member("ida")
    old, edge, fresh = (
        IdempotencyRecord.objects.create(
            user=user, scope="s", key=key, request_hash="h", status_code=201, response={}
        )
        for key in ("old", "edge", "fresh")
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=days_ago(7, -SECOND))
    IdempotencyRecord.objects.filter(pk=edge.pk).update(created_at=days_ago(7))
    IdempotencyRecord.objects.filter(pk=fresh.pk).update(created_at=days_ago(7, SECOND))
    assert retention.retention_run(now=NOW, kinds=["idempotency_keys"]) == {"idempotency_keys": 1}
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"edge", "fresh"}
    assert retention.retention_run(now=NOW, kinds=["idempotency_keys"]) == {"idempotency_keys": 0}


@pytest.mark.django_db
def test_seen_notes_and_read_notifications_follow_their_settings(settings):
    settings.RETAIN_SEEN_NOTES_DAYS = 30
    settings.RETAIN_NOTIFICATIONS_DAYS = 180
    reader = member("rea")
    notes = [Note.objects.create(author=member(f"author{n}"), title="t") for n in range(2)]
    SeenNote.objects.create(user=reader, note=notes[0])
    SeenNote.objects.create(user=reader, note=notes[1])
    SeenNote.objects.filter(note=notes[0]).update(seen_at=days_ago(30, -SECOND))
    SeenNote.objects.filter(note=notes[1]).update(seen_at=days_ago(30, SECOND))
    read_old, unread_old, read_new = (notification(reader, n) for n in (1, 2, 3))
    Notification.objects.filter(pk__in=[read_old.pk, unread_old.pk]).update(created_at=days_ago(181))
    Notification.objects.filter(pk__in=[read_old.pk, read_new.pk]).update(read_at=days_ago(1))

    counts = retention.retention_run(now=NOW, kinds=["seen_notes", "notifications"])

    assert counts == {"seen_notes": 1, "notifications": 1}
    assert list(SeenNote.objects.values_list("note_id", flat=True)) == [notes[1].pk]
    assert set(Notification.objects.values_list("pk", flat=True)) == {unread_old.pk, read_new.pk}
    # an operator who wants a shorter period changes one setting
    settings.RETAIN_SEEN_NOTES_DAYS = 1
    assert retention.retention_run(now=NOW, kinds=["seen_notes"]) == {"seen_notes": 1}


@pytest.mark.django_db
def test_finished_task_results_go_running_ones_stay(settings):
    settings.RETAIN_TASK_RESULTS_DAYS = 14

    def row(status: str, finished_days: int | None) -> DBTaskResult:
        return DBTaskResult.objects.create(
            id=uuid.uuid4(),
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="haven.media.tasks.cleanup_media",
            backend_name="default",
            run_after=NOW,
            finished_at=days_ago(finished_days, -SECOND) if finished_days is not None else None,
        )

    row("SUCCESSFUL", 14)
    row("FAILED", 20)
    ok_new, running = row("SUCCESSFUL", 13), row("RUNNING", None)
    assert retention.retention_run(now=NOW, kinds=["task_results"]) == {"task_results": 2}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {ok_new.pk, running.pk}


@pytest.mark.django_db
def test_zero_days_keeps_forever_and_a_failing_kind_does_not_stop_the_others(settings):
    settings.RETAIN_IDEMPOTENCY_DAYS = 0
    seen: list = []

    def boom(cutoff):
        raise RuntimeError("nope")

    retention.register_retention("t.boom", days=1, prune=boom, description="x")

    def fixed(cutoff):
        seen.append(cutoff)
        return 5

    retention.register_retention("t.fixed", days=3, prune=fixed, description="y")
    with pytest.raises(RuntimeError, match=r"t\.boom"):
        retention.retention_run(now=NOW)
    assert seen == [NOW - timedelta(days=3)]
    assert retention.retention_run(now=NOW, kinds=["t.fixed", "idempotency_keys"]) == {"t.fixed": 5}


def test_registration_is_checked():
    with pytest.raises(ValueError):
        retention.register_retention("t.fixed", prune=lambda c: 0, description="no period")
    with pytest.raises(ValueError):
        retention.register_retention("Bad Kind", days=1, prune=lambda c: 0, description="x")


@pytest.mark.django_db
def test_retention_command_lists_the_table_and_runs(settings):
    settings.RETAIN_NOTIFICATIONS_DAYS = 90
    out = StringIO()
    call_command("retention", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:3] == ["kind", "days", "setting"]
    row = next(line for line in lines if line.startswith("notifications"))
    assert row.split()[1:3] == ["90", "HAVEN_RETAIN_NOTIFICATIONS_DAYS"]
    out = StringIO()
    call_command("retention", "--markdown", stdout=out)
    assert "| `seen_notes` | 30 | `HAVEN_RETAIN_SEEN_NOTES_DAYS` |" in out.getvalue()
    out = StringIO()
    call_command("retention", "--run", "seen_notes", stdout=out)
    assert out.getvalue().strip() == "seen_notes: 0"


def test_the_operator_guide_lists_every_declared_kind():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs" / "operator-guide.md").read_text()
    for rule in retention.retention_rules():
        assert f"`{rule.kind}`" in guide, f"docs/operator-guide.md: add {rule.kind} to the Retention table"


@pytest.mark.django_db
def test_login_history_older_than_a_year_goes(settings):
    settings.RETAIN_LOGIN_HISTORY_DAYS = 365
    LoginEvent = apps.get_model("accounts", "LoginEvent")
    user = member("lou")
    _old, fresh = (
        LoginEvent.objects.create(user=user, at=days_ago(365, delta), outcome="success", method="password")
        for delta in (-SECOND, SECOND)
    )
    assert retention.retention_run(now=NOW, kinds=["login_history"]) == {"login_history": 1}
    assert list(LoginEvent.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_every_privacy_kind_is_declared_and_housekeeping_is_periodic():
    from haven.core import schedule

    kinds = {rule.kind for rule in retention.retention_rules()}
    assert {"login_history", "ip_addresses", "exports", "tombstones"} <= kinds
    assert "privacy_housekeeping" in {job.name for job in schedule.periodic_jobs()}


@pytest.mark.django_db
def test_ip_addresses_are_blanked_after_the_period_and_the_rows_stay(settings):
    settings.RETAIN_IP_DAYS = 90
    LoginEvent = apps.get_model("accounts", "LoginEvent")
    UserSession = apps.get_model("accounts", "UserSession")
    user = member("ivy")
    old_event, fresh_event = (
        LoginEvent.objects.create(
            user=user, at=days_ago(90, delta), ip_address="203.0.113.9", outcome="success", method="password"
        )
        for delta in (-SECOND, SECOND)
    )
    old_session, fresh_session = (
        UserSession.objects.create(
            user=user,
            key_hash=f"k{i}",
            key_sealed="x",
            last_seen_at=days_ago(90, delta),
            ip_address="2001:db8::1",
        )
        for i, delta in enumerate((-SECOND, SECOND))
    )
    assert retention.retention_run(now=NOW, kinds=["ip_addresses"]) == {"ip_addresses": 2}
    for row, kept in ((old_event, False), (fresh_event, True), (old_session, False), (fresh_session, True)):
        row.refresh_from_db()
        assert (row.ip_address is not None) is kept
    assert LoginEvent.objects.count() == 2 and UserSession.objects.count() == 2


@pytest.mark.django_db
def test_export_archives_and_tombstones_follow_their_settings(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    settings.RETAIN_EXPORTS_DAYS = 7
    settings.RETAIN_TOMBSTONES_DAYS = 30
    ExportRequest = apps.get_model("privacy", "ExportRequest")
    DeletionRequest = apps.get_model("privacy", "DeletionRequest")
    LifecycleEvent = apps.get_model("privacy", "LifecycleEvent")
    user = member("exa")
    exports_dir = tmp_path / "exports"
    exports_dir.mkdir()
    (exports_dir / "old.zip").write_bytes(b"PK")
    (exports_dir / "new.zip").write_bytes(b"PK")
    old = ExportRequest.objects.create(
        user=user,
        state="ready",
        ready_at=days_ago(7, -SECOND),
        expires_at=NOW + timedelta(days=30),
        file_name="old.zip",
    )
    new = ExportRequest.objects.create(
        user=user,
        state="ready",
        ready_at=days_ago(7, SECOND),
        expires_at=NOW + timedelta(days=30),
        file_name="new.zip",
    )
    assert retention.retention_run(now=NOW, kinds=["exports"]) == {"exports": 1}
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, old.file_name, new.state) == ("expired", "", "ready")
    assert not (exports_dir / "old.zip").exists() and (exports_dir / "new.zip").exists()

    erased = DeletionRequest.objects.create(
        user=None, state="erased", receipt_code="R1", erase_after=days_ago(60), requested_at=days_ago(90)
    )
    recent = DeletionRequest.objects.create(
        user=None, state="cancelled", receipt_code="R2", erase_after=days_ago(0), requested_at=days_ago(10)
    )
    scheduled = DeletionRequest.objects.create(
        user=user, state="scheduled", receipt_code="R3", erase_after=NOW, requested_at=days_ago(40)
    )
    DeletionRequest.objects.filter(pk__in=[erased.pk, scheduled.pk]).update(
        state_changed_at=days_ago(30, -SECOND)
    )
    DeletionRequest.objects.filter(pk=recent.pk).update(state_changed_at=days_ago(30, SECOND))
    ExportRequest.objects.filter(pk=old.pk).update(state_changed_at=days_ago(30, -SECOND))
    LifecycleEvent.objects.create(subject="deletion", subject_id=erased.pk, src="erasing", dst="erased")
    LifecycleEvent.objects.create(subject="export", subject_id=old.pk, src="ready", dst="expired")
    LifecycleEvent.objects.create(subject="deletion", subject_id=recent.pk, src="scheduled", dst="cancelled")
    retention.retention_run(now=NOW, kinds=["tombstones"])
    assert set(DeletionRequest.objects.values_list("receipt_code", flat=True)) == {"R2", "R3"}
    assert list(ExportRequest.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(LifecycleEvent.objects.values_list("subject_id", flat=True)) == [recent.pk]
