"""The periodic schedule (ARCHITECTURE.md rule 12): jobs declared once, enqueued when due by the worker.

Each app registers its periodic jobs from `AppConfig.ready()`:

    register_periodic("media_cleanup", task=tasks.cleanup_media, every=timedelta(days=1),
                      jitter=timedelta(hours=1), description="...")

`task` is a django.tasks task (idempotent, rule 6). The scheduler (`run_due`) runs inside every worker
process (`manage.py worker`, a thread beside django-tasks-db's worker) and every `tick` seconds
enqueues the jobs that are due. Which run is due lives in one `PeriodicJobState` row per job: a
scheduler claims a run with a compare-and-set UPDATE of `next_due_at`, so any number of schedulers on
any number of machines enqueue each run exactly once. A run is enqueued as `core.tasks.run_periodic`
(on the job task's queue and priority), which calls the job's function and records when it started,
when it finished and its last error on the state row (`manage.py periodic --list` shows them).

Missed runs are not caught up: after downtime a job runs once, then every `every` again. `jitter`
adds a random delay in [0, jitter) to each next due time, so daily jobs of many instances, or of one
instance's many jobs, do not all start at the same second.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from haven.core.models import PeriodicJobState

logger = logging.getLogger(__name__)

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
#: Shortest interval a job may declare (tests may register shorter ones with `allow_short=True`).
MIN_EVERY = timedelta(minutes=1)
#: Seconds between two scheduler passes in a worker.
DEFAULT_TICK = 30.0


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # django.tasks.Task
    every: timedelta
    jitter: timedelta = timedelta(0)
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    @property
    def task_path(self) -> str:
        return str(self.task.module_path)

    def next_due(self, now: datetime) -> datetime:
        return now + self.every + _random_delay(self.jitter)


_jobs: dict[str, PeriodicJob] = {}


def _random_delay(jitter: timedelta) -> timedelta:
    seconds = jitter.total_seconds()
    return timedelta(seconds=random.uniform(0, seconds)) if seconds > 0 else timedelta(0)


def register_periodic(
    name: str,
    *,
    task: Any,
    every: timedelta,
    jitter: timedelta = timedelta(0),
    kwargs: Mapping[str, Any] | None = None,
    description: str = "",
    allow_short: bool = False,
) -> PeriodicJob:
    """Declare that `task` runs every `every` (plus up to `jitter`). Idempotent: the last one wins.

    `kwargs` are passed to the task on every run (JSON-able values only).
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"periodic job name {name!r}: lowercase letters, digits, _ . - (at most 80)")
    if not callable(getattr(task, "call", None)) or not hasattr(task, "module_path"):
        raise TypeError(f"periodic job {name!r}: task must be a django.tasks task (decorated with @task)")
    if every < (timedelta(seconds=1) if allow_short else MIN_EVERY):
        raise ValueError(f"periodic job {name!r}: interval {every} is too short")
    if jitter < timedelta(0) or jitter > every:
        raise ValueError(f"periodic job {name!r}: jitter must be between 0 and the interval")
    job = PeriodicJob(
        name=name, task=task, every=every, jitter=jitter, kwargs=dict(kwargs or {}), description=description
    )
    _jobs[name] = job
    return job


def unregister_periodic(name: str) -> None:
    """Remove a job from the schedule (tests; an app that is switched off)."""
    _jobs.pop(name, None)


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered job, by name."""
    return [_jobs[name] for name in sorted(_jobs)]


def get_periodic(name: str) -> PeriodicJob | None:
    return _jobs.get(name)


def _selected(names: Iterable[str] | None) -> list[PeriodicJob]:
    if names is None:
        return periodic_jobs()
    wanted = set(names)
    unknown = wanted - set(_jobs)
    if unknown:
        raise KeyError(f"no periodic job named {', '.join(sorted(unknown))}")
    return [job for job in periodic_jobs() if job.name in wanted]


def _ensure_states(jobs: list[PeriodicJob], now: datetime) -> dict[str, PeriodicJobState]:
    """The state rows of `jobs`, creating missing ones (a new job is due after its jitter)."""
    names = [job.name for job in jobs]
    states = {s.name: s for s in PeriodicJobState.objects.filter(name__in=names)}
    missing = [job for job in jobs if job.name not in states]
    if missing:
        PeriodicJobState.objects.bulk_create(
            [PeriodicJobState(name=job.name, next_due_at=now + _random_delay(job.jitter)) for job in missing],
            ignore_conflicts=True,  # another scheduler created it first
        )
        states.update(
            {s.name: s for s in PeriodicJobState.objects.filter(name__in=[job.name for job in missing])}
        )
    return states


def _is_due(job: PeriodicJob, state: PeriodicJobState, now: datetime) -> bool:
    # The second test lets a shortened interval take effect without waiting for the old due time.
    return state.next_due_at <= now or (
        state.last_enqueued_at is not None and state.last_enqueued_at + job.every <= now
    )


def _claim(job: PeriodicJob, now: datetime) -> bool:
    """Compare-and-set: move the job's next due time past `now`; True for the one scheduler that did."""
    claimed = (
        PeriodicJobState.objects.filter(name=job.name)
        .filter(Q(next_due_at__lte=now) | Q(last_enqueued_at__lte=now - job.every))
        .update(next_due_at=job.next_due(now), last_enqueued_at=now)
    )
    return claimed == 1


def run_due(
    *, now: datetime | None = None, names: Iterable[str] | None = None, execute: bool = False
) -> list[str]:
    """Claim every due job (of `names`, default all) and enqueue it; returns the names claimed.

    With `execute=True` the claimed jobs run here, one after the other, instead of in a worker
    (`manage.py periodic --run-due`). Safe to call from any number of processes at once.
    """
    now = now or timezone.now()
    jobs = _selected(names)
    if not jobs:
        return []
    states = _ensure_states(jobs, now)
    claimed: list[str] = []
    for job in jobs:
        state = states.get(job.name)
        if state is None or not _is_due(job, state, now) or not _claim(job, now):
            continue
        claimed.append(job.name)
        if execute:
            try:
                run_job(job.name)
            except Exception:
                logger.exception("periodic job %s failed", job.name)
            continue
        try:
            _enqueue(job)
        except Exception:
            # Give the run back so the next pass tries again, then let the caller log the failure.
            PeriodicJobState.objects.filter(name=job.name, last_enqueued_at=now).update(
                next_due_at=now, last_enqueued_at=state.last_enqueued_at
            )
            raise
        logger.info("periodic job %s enqueued", job.name)
    return claimed


def _enqueue(job: PeriodicJob) -> None:
    """Enqueue one run of `job` as core.tasks.run_periodic, on the job task's backend, queue and priority."""
    from haven.core import tasks  # the task module imports this one

    tasks.run_periodic.using(
        queue_name=job.task.queue_name, priority=job.task.priority, backend=job.task.backend
    ).enqueue(name=job.name)


def run_now(name: str, *, now: datetime | None = None) -> Any:
    """Run one job here and now, whether due or not, and restart its interval (operators)."""
    job = _selected([name])[0]
    now = now or timezone.now()
    _ensure_states([job], now)
    PeriodicJobState.objects.filter(name=name).update(next_due_at=job.next_due(now), last_enqueued_at=now)
    return run_job(name)


def run_job(name: str) -> Any:
    """Call job `name`'s task function and record the run on its state row (the body of run_periodic)."""
    job = _jobs.get(name)
    if job is None:
        logger.warning("periodic job %s is not registered (any more); skipped", name)
        return None
    PeriodicJobState.objects.filter(name=name).update(last_started_at=timezone.now())
    try:
        result = job.task.call(**job.kwargs)
    except Exception as exc:
        PeriodicJobState.objects.filter(name=name).update(
            last_finished_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    PeriodicJobState.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_error="", runs=F("runs") + 1
    )
    return result


def job_states(*, now: datetime | None = None) -> list[tuple[PeriodicJob, PeriodicJobState | None]]:
    """Every registered job with its state row (None before the first scheduler pass)."""
    jobs = periodic_jobs()
    states = {s.name: s for s in PeriodicJobState.objects.filter(name__in=[job.name for job in jobs])}
    return [(job, states.get(job.name)) for job in jobs]


class SchedulerThread(threading.Thread):
    """Runs `run_due()` every `tick` seconds until `stop()`; one per worker process."""

    def __init__(self, *, tick: float = DEFAULT_TICK) -> None:
        super().__init__(name="haven-scheduler", daemon=True)
        self.tick = tick
        self._stop_event = threading.Event()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        logger.info("periodic scheduler started (%d jobs, every %.0f s)", len(_jobs), self.tick)
        while not self._stop_event.is_set():
            try:
                close_old_connections()
                run_due()
            except Exception:
                logger.exception("periodic scheduler pass failed; trying again in %.0f s", self.tick)
            self._stop_event.wait(self.tick)
        connection.close()
