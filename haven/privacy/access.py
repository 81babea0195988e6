"""Who may see what of privacy: a member sees only their own exports, deletion and access log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from haven.accounts.models import User
from haven.core.errors import NotFound
from haven.privacy.models import ExportRequest, StaffAccess
from haven.privacy.states import READY


def exports_of(viewer: User) -> QuerySet[ExportRequest]:
    """The viewer's own export requests; nobody else's, staff included."""
    return ExportRequest.objects.filter(user_id=viewer.pk)


def export_downloadable(viewer: User, export_id: int) -> ExportRequest:
    """The viewer's own export, ready and not expired; anything else is NotFound (missing = forbidden)."""
    export = (
        exports_of(viewer)
        .filter(pk=export_id, state=READY, expires_at__gt=timezone.now())
        .exclude(file_name="")
        .first()
    )
    if export is None:
        raise NotFound(code="export_not_found")
    return export


def staff_access_of(viewer: User) -> QuerySet[StaffAccess]:
    """Entries of staff access to the viewer's own data."""
    return StaffAccess.objects.filter(member_id=viewer.pk)
