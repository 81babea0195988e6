"""Imports' entries in the personal-data registry.

Export: the member's import jobs (state, what was read and chosen, what was created, the interest
signal, and the findings while they are kept) and the items imports created (which draft came from
which post, with its original date and link). The uploaded export file itself is not copied into
the data download: it is the member's own download from the other platform, deleted after a week.

Erasure: the uploaded files are deleted first (outside the transaction), then the jobs with their
audit rows, and the imported-item rows. The drafts themselves are notes and go with notes' eraser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.imports import services
from haven.imports.models import ImportedItem, ImportJob, ImportTransition


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_jobs(user: Any) -> Iterator[dict[str, Any]]:
    for job in ImportJob.objects.filter(user_id=user.pk).order_by("pk").iterator(chunk_size=50):
        yield {
            "id": job.pk,
            "state": job.state,
            "source": job.source,
            "layout": job.layout,
            "file": job.original_name,
            "byte_size": job.byte_size,
            "error_code": job.error_code,
            "report": job.report,
            "choices": job.choices,
            "result": job.result,
            "interests": job.interests,
            "findings": job.findings,
            "created_at": _iso(job.created_at),
            "parsed_at": _iso(job.parsed_at),
            "confirmed_at": _iso(job.confirmed_at),
            "finished_at": _iso(job.finished_at),
            "history": [
                {"from": t.src, "to": t.dst, "detail": t.detail, "at": _iso(t.at)}
                for t in job.transitions.order_by("pk")[:50]
            ],
        }


def export_items(user: Any) -> Iterator[dict[str, Any]]:
    rows = ImportedItem.objects.filter(user_id=user.pk).order_by("pk")
    for item in rows.iterator(chunk_size=500):
        yield {
            "source": item.source,
            "kind": item.kind,
            "import_id": item.job_id,
            "note_id": item.note_id,
            "original_posted_at": _iso(item.original_posted_at),
            "original_link": item.original_link,
            "created_at": _iso(item.created_at),
        }


def register_all() -> None:
    personal_data.register(
        ImportJob,
        section="imports",
        owner_fields=("user",),
        personal_fields=("original_name", "report", "findings", "choices", "result", "interests"),
        exporter=export_jobs,
        eraser=services.imports_erase,
        outside_transaction=True,  # deletes the uploaded files
        order=50,
    )
    personal_data.register(
        ImportTransition,
        section="imports",
        owner_fields=(),
        exporter=None,  # exported inside each job ("history")
        eraser=None,
        erased_with="imports.ImportJob",
    )
    personal_data.register(
        ImportedItem,
        section="imports",
        owner_fields=("user",),
        personal_fields=("original_link", "original_posted_at"),
        exporter=export_items,
        eraser=personal_data.rows_deleter(ImportedItem),
        order=60,
    )
