"""Reads of imports: a job's status and review as plain dicts for the API and the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haven.imports import access
from haven.imports.models import ImportedItem, ImportJob
from haven.imports.parsing import ImportFailed

#: Posts shown on the review screen and in the API's review (all of them are imported).
REVIEW_POSTS = 50
REVIEW_SKIPS = 100
#: Jobs listed per member (newest first).
LIST_MAX = 50

_GENERIC = {
    "import_internal_error": _("Something went wrong while reading this export. Please try again later."),
    "import_stalled": _("This import stopped before it finished. Delete it and upload your export again."),
}


def jobs_for(user: Any) -> list[ImportJob]:
    return list(access.jobs_of(user).order_by("-created_at", "-pk")[:LIST_MAX])


def error_message(code: str) -> str:
    if not code:
        return ""
    try:
        return ImportFailed(code).message  # the parser's own codes
    except ValueError:
        pass
    return str(_GENERIC.get(code, _GENERIC["import_internal_error"]))


def status(job: ImportJob) -> dict[str, Any]:
    counts = (job.report or {}).get("counts") or {}
    return {
        "id": job.pk,
        "state": job.state,
        "source": job.source,
        "layout": job.layout,
        "file": job.original_name,
        "byte_size": job.byte_size,
        "progress": job.progress,
        "error_code": job.error_code,
        "error_message": error_message(job.error_code),
        "counts": {k: int(v) for k, v in counts.items()},
        "result": {k: int(v) for k, v in (job.result or {}).items() if isinstance(v, int)},
        "created_at": job.created_at,
        "parsed_at": job.parsed_at,
        "finished_at": job.finished_at,
    }


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def review(job: ImportJob) -> dict[str, Any]:
    """What the review screen offers (the job must be in review: the caller checks)."""
    findings = job.findings or {}
    report = job.report or {}
    posts = findings.get("posts") or []
    profile = findings.get("profile") or {}
    return {
        "id": job.pk,
        "source": job.source,
        "profile": {
            "username": profile.get("username"),
            "display_name": profile.get("display_name"),
            "bio": profile.get("bio"),
            "has_avatar": bool(profile.get("has_avatar")),
        },
        "counts": {
            "posts": len(posts),
            "public_posts": sum(1 for p in posts if p.get("visibility") == "everyone"),
            "hashtags": len(findings.get("hashtags") or []),
            "liked": len(findings.get("liked") or []),
            "favourites": len(findings.get("favourites") or []),
            "following": len(findings.get("following") or []),
        },
        "posts": [
            {
                "caption": p.get("caption") or "",
                "hashtags": list(p.get("hashtags") or []),
                "posted_at": _time(p.get("posted_at")),
                "visibility": p.get("visibility") or "unknown",
                "has_link": bool(p.get("link")),
                "media": int(p.get("media") or 0),
            }
            for p in posts[:REVIEW_POSTS]
        ],
        "hashtags": list(findings.get("hashtags") or []),
        "never_imported": list(report.get("never_imported") or []),
        "skipped": list(report.get("skipped") or [])[:REVIEW_SKIPS],
    }


def drafts_of(job: ImportJob) -> QuerySet[ImportedItem]:
    """The drafts this job created, with their original dates (newest first)."""
    return (
        ImportedItem.objects.filter(job_id=job.pk, user_id=job.user_id, note__isnull=False)
        .select_related("note")
        .order_by("-original_posted_at", "-pk")
    )
