"""Staff access audit: the recorder behind haven.core.staff_audit, and the member's view of their entries.

Every time staff or a moderator sees a member's non-public data (in the admin, through
`core.staff_audit.StaffAuditAdminMixin`, or anywhere else through `record_staff_access`), one
append-only `StaffAccess` row is written: the role, what was seen, the reason, when. Members see
their entries (never the staff username); operators see all in the admin, read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import InvalidInput
from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor, invalid_cursor
from haven.core.staff_audit import MAX_REASON, MIN_REASON
from haven.privacy import access
from haven.privacy.models import StaffAccess

OPERATOR = "operator"
MODERATOR = "moderator"
STAFF = "staff"
#: Staff in this group are moderators (their role shows as "moderator" to members).
MODERATORS_GROUP = "moderators"
_CURSOR_SCOPE = "privacy.staff_access"


def staff_role(staff: Any) -> str:
    """operator (superuser), moderator (staff in the "moderators" group) or staff."""
    if getattr(staff, "is_superuser", False):
        return OPERATOR
    groups = getattr(staff, "groups", None)
    if groups is not None and getattr(staff, "pk", None) and groups.filter(name=MODERATORS_GROUP).exists():
        return MODERATOR
    return STAFF


def staff_access_record(
    *, staff: Any, member_id: int | None, what: str, reason: str, object_ref: str = "", path: str = ""
) -> StaffAccess:
    """Append one entry (the recorder registered with haven.core.staff_audit)."""
    if what not in StaffAccess.What.values:
        raise ValueError(f"unknown staff access kind {what!r}")
    reason = " ".join((reason or "").split())
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        raise InvalidInput(
            _("Give a reason of %(min)d to %(max)d characters.") % {"min": MIN_REASON, "max": MAX_REASON},
            code="staff_access_reason_required",
        )
    staff_id = getattr(staff, "pk", None)
    return StaffAccess.objects.create(
        staff_id=staff_id if staff_id else None,
        role=staff_role(staff),
        member_id=member_id,
        what=what,
        reason=reason,
        object_ref=object_ref[:80],
        path=path[:200],
    )


@dataclass(frozen=True)
class AccessEntry:
    """What a member is shown of one entry: never who, only the role."""

    id: int
    role: str
    role_label: str
    what: str
    what_label: str
    reason: str
    at: datetime


def _role_label(role: str) -> str:
    labels = {OPERATOR: _("Operator"), MODERATOR: _("Moderator"), STAFF: _("Staff")}
    return str(labels.get(role, role))


def staff_access_page(viewer: User, *, cursor: str | None = None, limit: int = 20) -> Page[AccessEntry]:
    """The viewer's own entries, newest first (keyset on id)."""
    size = clamp_page_size(limit)
    rows = access.staff_access_of(viewer).order_by("-id")
    data = decode_cursor(cursor, scope=_CURSOR_SCOPE)
    if data is not None:
        before = data.get("before")
        if not isinstance(before, int) or before < 1:
            raise invalid_cursor()
        rows = rows.filter(id__lt=before)
    batch = list(rows.only("id", "role", "what", "reason", "at")[: size + 1])
    more = len(batch) > size
    batch = batch[:size]
    what_labels = dict(StaffAccess.What.choices)
    items = [
        AccessEntry(
            id=row.pk,
            role=row.role,
            role_label=_role_label(row.role),
            what=row.what,
            what_label=str(what_labels.get(row.what, row.what)),
            reason=row.reason,
            at=row.at,
        )
        for row in batch
    ]
    next_cursor = encode_cursor({"before": batch[-1].pk}, scope=_CURSOR_SCOPE) if more and batch else None
    return Page(items=items, next_cursor=next_cursor)
