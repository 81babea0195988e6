"""Reads of privacy: what the privacy center shows a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.core import personal_data
from haven.privacy import access, services, states
from haven.privacy.models import DeletionRequest, ExportRequest, StaffAccess

#: Exports listed in the privacy center (older ones are expired and their files gone).
EXPORTS_SHOWN = 10


@dataclass(frozen=True)
class KeptRecord:
    label: str
    reason: str


def exports_for(user: User) -> list[ExportRequest]:
    return list(access.exports_of(user).order_by("-requested_at")[:EXPORTS_SHOWN])


def deletion_for(user: User) -> DeletionRequest | None:
    return services.deletion_pending(user)


def deletion_recently_cancelled(user: User, within: timedelta = timedelta(days=2)) -> DeletionRequest | None:
    """The member's deletion that logging in cancelled lately (the privacy center says so)."""
    since = timezone.now() - within
    return (
        DeletionRequest.objects.filter(user=user, state=states.CANCELLED, cancelled_at__gte=since)
        .order_by("-cancelled_at")
        .first()
    )


def recent_staff_access(user: User, limit: int = 5) -> list[StaffAccess]:
    return list(access.staff_access_of(user).order_by("-at")[:limit])


def kept_records() -> list[KeptRecord]:
    """What erasure keeps, and why (listed on the privacy center and the privacy policy)."""
    return [KeptRecord(label=r.label, reason=r.kept) for r in personal_data.kept_records()]


def regions() -> list[tuple[str, str]]:
    return services.regions()
