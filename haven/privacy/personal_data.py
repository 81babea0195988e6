"""The privacy app's own models in the personal-data registry, and its hooks for lower apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.accounts.models import User
from haven.core import personal_data
from haven.privacy import export as export_zip
from haven.privacy.models import (
    ConsentChoice,
    ConsentEvent,
    DeletionRequest,
    ExportRequest,
    PolicyAcceptance,
    StaffAccess,
)


def _exports(user: User) -> Iterator[dict[str, Any]]:
    for e in ExportRequest.objects.filter(user=user).order_by("pk"):
        yield {
            "id": e.pk,
            "state": e.state,
            "requested_at": e.requested_at,
            "ready_at": e.ready_at,
            "expires_at": e.expires_at,
            "byte_size": e.byte_size,
            "download_count": e.download_count,
        }


def _erase_exports(user: User) -> int:
    rows = list(ExportRequest.objects.filter(user=user).only("pk", "file_name"))
    for export in rows:
        export_zip.delete(export.file_name)
    ExportRequest.objects.filter(user=user).delete()
    return len(rows)


def _deletions(user: User) -> Iterator[dict[str, Any]]:
    for d in DeletionRequest.objects.filter(user=user).order_by("pk"):
        yield {
            "id": d.pk,
            "receipt_code": d.receipt_code,
            "state": d.state,
            "requested_at": d.requested_at,
            "erase_after": d.erase_after,
            "cancelled_at": d.cancelled_at,
        }


def _erase_deletions(user: User) -> int:
    # Cancelled requests go; the one being carried out stays as the receipt (user set to NULL with
    # the User row; it holds the receipt code, dates and counts only).
    deleted, _ = DeletionRequest.objects.filter(user=user, state="cancelled").delete()
    return deleted


def _acceptances(user: User) -> Iterator[dict[str, Any]]:
    for a in PolicyAcceptance.objects.filter(user=user).order_by("pk"):
        yield {"id": a.pk, "policy": a.kind, "version": a.version, "accepted_at": a.accepted_at}


def _choices(user: User) -> Iterator[dict[str, Any]]:
    for c in ConsentChoice.objects.filter(user=user).order_by("pk"):
        yield {"id": c.pk, "purpose": c.purpose, "granted": c.granted, "changed_at": c.changed_at}


def _consent_events(user: User) -> Iterator[dict[str, Any]]:
    for c in ConsentEvent.objects.filter(user=user).order_by("pk"):
        yield {"id": c.pk, "purpose": c.purpose, "granted": c.granted, "at": c.at}


def _staff_access(user: User) -> Iterator[dict[str, Any]]:
    for a in StaffAccess.objects.filter(member=user).order_by("pk"):
        yield {"id": a.pk, "role": a.role, "what": a.what, "reason": a.reason, "at": a.at}


def _erase_staff_access(user: User) -> int:
    as_member = StaffAccess.objects.filter(member=user).update(member=None, object_ref="", path="")
    as_staff = StaffAccess.objects.filter(staff=user).update(staff=None)
    return as_member + as_staff


def register_all() -> None:
    """Called from PrivacyConfig.ready()."""
    personal_data.register(
        ExportRequest,
        section="privacy",
        owner_fields=["user"],
        exporter=_exports,
        eraser=_erase_exports,
        outside_transaction=True,
        order=10,
    )
    personal_data.register(
        DeletionRequest,
        section="privacy",
        owner_fields=["user"],
        exporter=_deletions,
        eraser=_erase_deletions,
        kept="The deletion receipt (its code, dates and counts of what was erased) is kept without any "
        "link to the account, so the member can show that the erasure happened.",
    )
    personal_data.register(
        PolicyAcceptance,
        section="consents",
        owner_fields=["user"],
        exporter=_acceptances,
        eraser=personal_data.rows_deleter(PolicyAcceptance),
    )
    personal_data.register(
        ConsentChoice,
        section="consents",
        owner_fields=["user"],
        exporter=_choices,
        eraser=personal_data.rows_deleter(ConsentChoice),
    )
    personal_data.register(
        ConsentEvent,
        section="consents",
        owner_fields=["user"],
        exporter=_consent_events,
        eraser=personal_data.rows_deleter(ConsentEvent),
    )
    personal_data.register(
        StaffAccess,
        section="staff_access",
        owner_fields=["member"],
        other_user_fields=["staff"],
        exporter=_staff_access,
        eraser=_erase_staff_access,
        kept="Records of staff access to members' data are kept for accountability, without the member "
        "(and, for an erased staff member, without the staff account): role, kind of data, reason and time.",
    )
