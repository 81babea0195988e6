"""Retention of the kernel's own data and of django-tasks-db's finished task rows (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from haven.core.models import IdempotencyRecord
from haven.core.retention import delete_in_batches, register_retention
from haven.core.schedule import register_periodic


def prune_idempotency_records(cutoff: datetime) -> int:
    """Stored Idempotency-Key outcomes older than `cutoff` (a client retries within minutes, not days)."""
    return delete_in_batches(IdempotencyRecord.objects.filter(created_at__lt=cutoff))


def prune_task_results(cutoff: datetime) -> int:
    """Finished (succeeded or failed) background task rows of django-tasks-db that ended before `cutoff`."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    return delete_in_batches(DBTaskResult.objects.finished().filter(finished_at__lt=cutoff))


def register() -> None:
    from haven.core import tasks

    register_periodic(
        "retention",
        task=tasks.retention_prune,
        every=timedelta(days=1),
        jitter=timedelta(hours=1),
        description="Prune every kind of data past its retention period (manage.py retention --list).",
    )
    register_retention(
        "idempotency_keys",
        setting="RETAIN_IDEMPOTENCY_DAYS",
        days=7,
        prune=prune_idempotency_records,
        description=_("Stored replies to requests sent with an Idempotency-Key (safe retries)"),
    )
    register_retention(
        "task_results",
        setting="RETAIN_TASK_RESULTS_DAYS",
        days=14,
        prune=prune_task_results,
        description=_("Records of finished background tasks"),
    )
