"""Background tasks of privacy: thin, idempotent wrappers around services."""

from __future__ import annotations

from django.tasks import task


@task()
def build_export(*, export_id: int) -> None:
    """Build the ZIP of one export request (a no-op unless it is waiting to be built)."""
    from haven.privacy import services

    services.export_build(export_id=export_id)


@task()
def erase_account(*, deletion_id: int) -> None:
    """Erase the account of one deletion whose grace period has passed (a no-op otherwise)."""
    from haven.privacy import services

    services.account_erase(deletion_id=deletion_id)


@task()
def privacy_housekeeping() -> dict[str, int]:
    """Expire old exports, retry stalled builds, and erase accounts whose grace period ended."""
    from haven.privacy import services

    return services.privacy_housekeeping()
