"""Background tasks of imports: thin, idempotent wrappers that load a job by id and call a service."""

from __future__ import annotations

from django.tasks import task

from haven.imports import services


@task()
def parse_import(*, job_id: int) -> None:
    """Parse an uploaded export into findings for review (a no-op unless the job is `uploaded`)."""
    services.import_parse(job_id=job_id)


@task()
def run_import(*, job_id: int) -> None:
    """Create the drafts, profile fields and interests the member chose (a no-op unless `importing`)."""
    services.import_run(job_id=job_id)
