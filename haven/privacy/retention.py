"""Periodic work and retention of privacy: housekeeping of exports and deletions, and tombstones."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.core.schedule import register_periodic
from haven.privacy import services, states, tasks
from haven.privacy.models import DeletionRequest, ExportRequest, LifecycleEvent


def expire_exports(cutoff: datetime) -> int:
    """Archives that became ready before `cutoff` expire now and their files go. Housekeeping expires
    each at its own `expires_at`; this rule is the backstop when an operator shortens the period."""
    now = timezone.now()
    ExportRequest.objects.filter(state=states.READY, ready_at__lt=cutoff, expires_at__gt=now).update(
        expires_at=now
    )
    return services.exports_expire(now=now)


def prune_tombstones(cutoff: datetime) -> int:
    """Deletion receipts that ended (erased or cancelled) before `cutoff`, with their audit rows.

    A receipt holds no personal data; it is kept this long so the member can check that the erasure
    was done, then goes. Expired and failed export records older than `cutoff` go the same way.
    """
    done = DeletionRequest.objects.filter(
        state__in=[states.ERASED, states.CANCELLED], state_changed_at__lt=cutoff
    )
    deletion_ids = list(done.values_list("pk", flat=True)[:10000])
    exports = ExportRequest.objects.filter(
        state__in=[states.EXPIRED, states.FAILED], state_changed_at__lt=cutoff, file_name=""
    )
    export_ids = list(exports.values_list("pk", flat=True)[:10000])
    removed = delete_in_batches(
        LifecycleEvent.objects.filter(subject="deletion", subject_id__in=deletion_ids)
    ) + delete_in_batches(LifecycleEvent.objects.filter(subject="export", subject_id__in=export_ids))
    removed += delete_in_batches(DeletionRequest.objects.filter(pk__in=deletion_ids))
    removed += delete_in_batches(ExportRequest.objects.filter(pk__in=export_ids))
    return removed


def register() -> None:
    register_periodic(
        "privacy_housekeeping",
        task=tasks.privacy_housekeeping,
        every=timedelta(hours=1),
        jitter=timedelta(minutes=5),
        description="Expire data exports, retry stalled builds, erase accounts whose grace period ended.",
    )
    register_retention(
        "exports",
        setting="RETAIN_EXPORTS_DAYS",
        days=7,
        prune=expire_exports,
        description=_("Data export archives ready for download"),
    )
    register_retention(
        "tombstones",
        setting="RETAIN_TOMBSTONES_DAYS",
        days=30,
        prune=prune_tombstones,
        description=_("Deletion receipts and records of expired exports (no personal data)"),
    )
