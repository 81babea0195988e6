"""Background tasks of the kernel: the wrapper that runs a scheduled periodic job, retention pruning."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from haven.core import retention, schedule


@task()
def run_periodic(*, name: str) -> Any:
    """Run the registered periodic job `name` and record the run on its state row (haven.core.schedule)."""
    return schedule.run_job(name)


@task()
def retention_prune() -> dict[str, int]:
    """Delete or blank what every app declared it keeps only so long (haven.core.retention)."""
    return retention.retention_run()
