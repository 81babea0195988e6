"""Who may see or change which import job: a member sees and acts on their own jobs only.

The rule: an ImportJob (and what hangs off it) is visible to its `user` and to nobody else, staff
included (operators use the admin). Missing and someone else's job look the same: NotFound
"import_not_found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.imports.models import ImportedItem, ImportJob


def jobs_of(user: Any) -> QuerySet[ImportJob]:
    """The member's own import jobs (an anonymous visitor has none)."""
    if not getattr(user, "is_authenticated", False):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user_id=user.pk)


def job_or_404(user: Any, job_id: int) -> ImportJob:
    job = jobs_of(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Import not found."), code="import_not_found")
    return job


def items_of(user: Any) -> QuerySet[ImportedItem]:
    """What the member's imports created (drafts by their original date)."""
    if not getattr(user, "is_authenticated", False):
        return ImportedItem.objects.none()
    return ImportedItem.objects.filter(user_id=user.pk)
