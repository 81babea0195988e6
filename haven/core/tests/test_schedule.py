"""The periodic schedule: a due job is enqueued once per interval, however many schedulers run."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import task
from django.utils import timezone

from haven.core import schedule
from haven.core.models import PeriodicJobState

CALLS: list[str] = []


@task()
def tick(label: str = "x") -> int:
    CALLS.append(label)
    return len(CALLS)


@task()
def broken() -> None:
    raise ValueError("disk on fire")


@pytest.fixture(autouse=True)
def _immediate_tasks_and_clean_registry(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    CALLS.clear()
    yield
    for name in ("t.tick", "t.broken", "t.other"):
        schedule.unregister_periodic(name)


T0 = timezone.now().replace(microsecond=0)
HOUR = timedelta(hours=1)


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_per_interval():
    schedule.register_periodic("t.tick", task=tick, every=HOUR, kwargs={"label": "a"})
    assert schedule.run_due(now=T0, names=["t.tick"]) == ["t.tick"]  # a new job is due at once
    assert CALLS == ["a"]
    assert schedule.run_due(now=T0, names=["t.tick"]) == []  # a second scheduler, same instant
    assert schedule.run_due(now=T0 + HOUR - timedelta(seconds=1), names=["t.tick"]) == []
    assert CALLS == ["a"]
    assert schedule.run_due(now=T0 + HOUR, names=["t.tick"]) == ["t.tick"]
    assert CALLS == ["a", "a"]
    state = PeriodicJobState.objects.get(name="t.tick")
    assert state.last_enqueued_at == T0 + HOUR
    assert state.next_due_at == T0 + 2 * HOUR
    assert state.runs == 2 and state.last_error == "" and state.last_finished_at is not None


@pytest.mark.django_db
def test_two_schedulers_with_a_stale_view_claim_a_run_once():
    job = schedule.register_periodic("t.tick", task=tick, every=HOUR)
    # Both schedulers read the state and see the job due ...
    seen_by_a = schedule._ensure_states([job], T0)["t.tick"]
    seen_by_b = schedule._ensure_states([job], T0)["t.tick"]
    assert schedule._is_due(job, seen_by_a, T0) and schedule._is_due(job, seen_by_b, T0)
    # ... but only one compare-and-set wins.
    assert [schedule._claim(job, T0), schedule._claim(job, T0)] == [True, False]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_concurrent_schedulers_enqueue_once():
    schedule.register_periodic("t.tick", task=tick, every=HOUR)
    schedule.run_due(now=T0 - 2 * HOUR, names=["t.tick"])  # creates the row, first run
    CALLS.clear()
    barrier = threading.Barrier(4)
    results: list[list[str]] = []

    def scheduler() -> None:
        try:
            barrier.wait()
            results.append(schedule.run_due(now=T0, names=["t.tick"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert CALLS == ["x"]


@pytest.mark.django_db
def test_jitter_delays_the_next_run_within_bounds():
    schedule.register_periodic("t.tick", task=tick, every=HOUR, jitter=timedelta(minutes=10))
    schedule.run_due(now=T0 - 2 * HOUR, names=["t.tick"])  # first pass creates the row
    schedule.run_due(now=T0, names=["t.tick"])
    state = PeriodicJobState.objects.get(name="t.tick")
    if state.last_enqueued_at == T0:
        assert T0 + HOUR <= state.next_due_at <= T0 + HOUR + timedelta(minutes=10)


@pytest.mark.django_db
def test_a_shortened_interval_applies_without_waiting_for_the_old_due_time():
    schedule.register_periodic("t.tick", task=tick, every=timedelta(days=1))
    schedule.run_due(now=T0, names=["t.tick"])
    schedule.register_periodic("t.tick", task=tick, every=HOUR)
    assert schedule.run_due(now=T0 + HOUR, names=["t.tick"]) == ["t.tick"]


@pytest.mark.django_db
def test_a_failed_run_records_its_error_and_the_next_success_clears_it():
    schedule.register_periodic("t.broken", task=broken, every=HOUR)
    assert schedule.run_due(now=T0, names=["t.broken"]) == ["t.broken"]  # the backend keeps the failure
    state = PeriodicJobState.objects.get(name="t.broken")
    assert state.last_error == "ValueError: disk on fire" and state.runs == 0
    schedule.register_periodic("t.broken", task=tick, every=HOUR)
    schedule.run_due(now=T0 + HOUR, names=["t.broken"])
    state.refresh_from_db()
    assert state.last_error == "" and state.runs == 1


@pytest.mark.django_db
def test_a_failed_enqueue_gives_the_run_back(monkeypatch):
    schedule.register_periodic("t.tick", task=tick, every=HOUR)
    schedule.run_due(now=T0, names=["t.tick"])

    def down(job):
        raise ConnectionError("queue down")

    monkeypatch.setattr(schedule, "_enqueue", down)
    with pytest.raises(ConnectionError):
        schedule.run_due(now=T0 + HOUR, names=["t.tick"])
    monkeypatch.undo()
    assert schedule.run_due(now=T0 + HOUR, names=["t.tick"]) == ["t.tick"]
    assert CALLS == ["x", "x"]


def test_registration_is_checked():
    with pytest.raises(ValueError):
        schedule.register_periodic("Bad Name", task=tick, every=HOUR)
    with pytest.raises(ValueError):
        schedule.register_periodic("t.tick", task=tick, every=timedelta(seconds=5))
    with pytest.raises(ValueError):
        schedule.register_periodic("t.tick", task=tick, every=HOUR, jitter=2 * HOUR)
    with pytest.raises(TypeError):
        schedule.register_periodic("t.tick", task=lambda: None, every=HOUR)


def test_apps_register_their_jobs():
    names = {job.name for job in schedule.periodic_jobs()}
    assert {"retention", "media_cleanup"} <= names


@pytest.mark.django_db
def test_periodic_command_lists_and_runs_due_jobs():
    schedule.register_periodic("t.tick", task=tick, every=HOUR)
    out = StringIO()
    call_command("periodic", "--list", stdout=out)
    assert "t.tick" in out.getvalue() and "retention" in out.getvalue()
    out = StringIO()
    call_command("periodic", "--run-due", stdout=out)
    assert "t.tick" in out.getvalue() and CALLS == ["x"]
    out = StringIO()
    call_command("periodic", "--run", "t.tick", stdout=out)
    assert CALLS == ["x", "x"]


def test_the_scheduler_thread_runs_passes_and_stops_promptly(monkeypatch):
    passes = threading.Event()
    monkeypatch.setattr(schedule, "run_due", lambda **kw: passes.set())
    thread = schedule.SchedulerThread(tick=60)
    thread.start()
    assert passes.wait(5)
    thread.stop(timeout=2)
    assert not thread.is_alive()
