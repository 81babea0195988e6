"""Writes of privacy: data export requests and builds, account deletion with a grace period, erasure."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import personal_data, ratelimit
from haven.core.errors import Conflict, Forbidden, HavenError, NotFound, RateLimited
from haven.core.transactions import enqueue_on_commit
from haven.privacy import export as export_zip
from haven.privacy import states, tasks
from haven.privacy.models import DeletionRequest, ExportRequest, LifecycleEvent

logger = logging.getLogger(__name__)

#: A member may request one export per day.
EXPORT_INTERVAL = timedelta(days=1)


#: A ready export can be downloaded for this long, then its file is deleted.
def export_valid_for() -> timedelta:
    """How long a ready export can be downloaded (HAVEN_RETAIN_EXPORTS_DAYS, read at run time)."""
    return timedelta(days=max(1, int(getattr(settings, "RETAIN_EXPORTS_DAYS", 7))))


#: A build that has been running this long is considered dead (worker crash) and retried.
STALE_BUILD = timedelta(hours=1)
MAX_BUILD_ATTEMPTS = 3
#: An account is erased this long after its deletion was requested, unless the member logs in.
DELETION_GRACE = timedelta(days=30)
MAX_ERASE_ATTEMPTS = 5
#: Re-authentication attempts (password) per member per 15 minutes.
REAUTH_LIMIT = 10


def reauthenticate(*, user: User, password: str) -> None:
    """Confirm a sensitive action with the member's password (bounded attempts)."""
    ratelimit.hit("reauth", str(user.pk), limit=REAUTH_LIMIT, window_seconds=15 * 60)
    if not password or len(password) > 1024 or not user.check_password(password):
        raise Forbidden(_("That password is not right."), code="reauthentication_failed")


def _event(subject: str, subject_id: int, src: str, dst: str, detail: str = "") -> None:
    LifecycleEvent.objects.create(
        subject=subject, subject_id=subject_id, src=src, dst=dst, detail=detail[:200]
    )


# --- exports -------------------------------------------------------------------------------------


def export_request(*, user: User, password: str) -> ExportRequest:
    """Ask for a download of all the member's data; built by a task. One request per day."""
    reauthenticate(user=user, password=password)
    since = timezone.now() - EXPORT_INTERVAL
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # serialise a member's requests
        recent = (
            ExportRequest.objects.filter(user=user, requested_at__gt=since)
            .exclude(state=states.FAILED)
            .order_by("-requested_at")
            .first()
        )
        if recent is not None:
            retry_after = int((recent.requested_at + EXPORT_INTERVAL - timezone.now()).total_seconds()) + 1
            raise RateLimited(
                _("You can request one download of your data per day."),
                code="export_too_soon",
                details={"retry_after_seconds": max(retry_after, 1), "export_id": recent.pk},
            )
        export = ExportRequest.objects.create(user=user)
        _event("export", export.pk, "", states.REQUESTED)
        enqueue_on_commit(tasks.build_export, export_id=export.pk)
    return export


def export_build(*, export_id: int) -> ExportRequest | None:
    """Build one export's ZIP (idempotent: only a `requested` export is built)."""
    export = ExportRequest.objects.filter(pk=export_id).select_related("user").first()
    if export is None or export.state != states.REQUESTED or export.user is None:
        return export
    now = timezone.now()
    if not states.EXPORT_LIFECYCLE.transition(
        ExportRequest.objects.all(),
        pk=export.pk,
        field="state",
        src=states.REQUESTED,
        dst=states.BUILDING,
        state_changed_at=now,
        attempts=F("attempts") + 1,
    ):
        return export  # another worker took it
    _event("export", export.pk, states.REQUESTED, states.BUILDING)
    try:
        built = export_zip.build(export.user, export_id=export.pk)
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        export.refresh_from_db()
        code = exc.code if isinstance(exc, HavenError) else "build_failed"
        dst = states.FAILED if export.attempts >= MAX_BUILD_ATTEMPTS else states.REQUESTED
        if states.EXPORT_LIFECYCLE.transition(
            ExportRequest.objects.all(),
            pk=export.pk,
            field="state",
            src=states.BUILDING,
            dst=dst,
            state_changed_at=timezone.now(),
            error_code=code[:40],
        ):
            _event("export", export.pk, states.BUILDING, dst, code)
        return ExportRequest.objects.get(pk=export.pk)
    ready_at = timezone.now()
    moved = states.EXPORT_LIFECYCLE.transition(
        ExportRequest.objects.all(),
        pk=export.pk,
        field="state",
        src=states.BUILDING,
        dst=states.READY,
        state_changed_at=ready_at,
        ready_at=ready_at,
        expires_at=ready_at + export_valid_for(),
        file_name=built.file_name,
        byte_size=built.byte_size,
        sha256=built.sha256,
        sections=built.sections,
        error_code="",
    )
    if not moved:  # taken back as stale meanwhile: drop this file, the other run wins
        export_zip.delete(built.file_name)
        return ExportRequest.objects.get(pk=export.pk)
    _event("export", export.pk, states.BUILDING, states.READY)
    return ExportRequest.objects.get(pk=export.pk)


def export_downloaded(*, export: ExportRequest) -> None:
    ExportRequest.objects.filter(pk=export.pk).update(download_count=F("download_count") + 1)


def exports_expire(*, now: datetime | None = None) -> int:
    """Expire ready exports past their date and failed ones older than a week; delete their files."""
    now = now or timezone.now()
    expired = 0
    due = ExportRequest.objects.filter(
        state=states.READY, expires_at__lte=now
    ) | ExportRequest.objects.filter(state=states.FAILED, state_changed_at__lte=now - export_valid_for())
    for export in due.order_by("pk")[:1000]:
        if states.EXPORT_LIFECYCLE.transition(
            ExportRequest.objects.all(),
            pk=export.pk,
            field="state",
            src=export.state,
            dst=states.EXPIRED,
            state_changed_at=now,
        ):
            if export.file_name:
                export_zip.delete(export.file_name)
                ExportRequest.objects.filter(pk=export.pk).update(file_name="")
            _event("export", export.pk, export.state, states.EXPIRED)
            expired += 1
    return expired


def exports_retry_stalled(*, now: datetime | None = None) -> int:
    """Send builds that died with their worker back to `requested` and enqueue them again."""
    now = now or timezone.now()
    retried = 0
    for export in ExportRequest.objects.filter(
        state=states.BUILDING, state_changed_at__lte=now - STALE_BUILD
    )[:100]:
        dst = states.REQUESTED if export.attempts < MAX_BUILD_ATTEMPTS else states.FAILED
        if states.EXPORT_LIFECYCLE.transition(
            ExportRequest.objects.all(),
            pk=export.pk,
            field="state",
            src=states.BUILDING,
            dst=dst,
            state_changed_at=now,
        ):
            _event("export", export.pk, states.BUILDING, dst, "stalled")
            if dst == states.REQUESTED:
                tasks.build_export.enqueue(export_id=export.pk)
                retried += 1
    for export in ExportRequest.objects.filter(state=states.REQUESTED, requested_at__lte=now - STALE_BUILD)[
        :100
    ]:
        tasks.build_export.enqueue(export_id=export.pk)  # the first nudge was lost
        retried += 1
    return retried


# --- account deletion ----------------------------------------------------------------------------


def _end_sessions(user: User) -> None:
    """Log the member out everywhere (sessions and API tokens), through accounts' services."""
    from haven.accounts import services as accounts_services

    end_all = getattr(accounts_services, "sessions_end_all", None)
    if end_all is not None:
        end_all(user=user)
    accounts_services.tokens_revoke_all(user=user)


def deletion_schedule(*, user: User, password: str) -> DeletionRequest:
    """Schedule the member's account for erasure after the grace period and log them out everywhere.

    Logging in again within the grace period cancels it (`deletion_cancel_on_login`).
    """
    reauthenticate(user=user, password=password)
    now = timezone.now()
    try:
        with transaction.atomic():
            deletion = DeletionRequest.objects.create(
                user=user, receipt_code=secrets.token_hex(8).upper(), erase_after=now + DELETION_GRACE
            )
            _event("deletion", deletion.pk, "", states.SCHEDULED)
            _end_sessions(user)
    except IntegrityError as exc:
        raise Conflict(
            _("Your account is already scheduled for deletion."), code="deletion_already_scheduled"
        ) from exc
    return deletion


def deletion_pending(user: User) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user=user, state=states.SCHEDULED).first()


def deletion_cancel_on_login(user: User) -> DeletionRequest | None:
    """Cancel a scheduled deletion because the member logged in within the grace period."""
    deletion = deletion_pending(user)
    if deletion is None:
        return None
    now = timezone.now()
    if states.DELETION_LIFECYCLE.transition(
        DeletionRequest.objects.all(),
        pk=deletion.pk,
        field="state",
        src=states.SCHEDULED,
        dst=states.CANCELLED,
        state_changed_at=now,
        cancelled_at=now,
    ):
        _event("deletion", deletion.pk, states.SCHEDULED, states.CANCELLED, "logged in")
    return DeletionRequest.objects.get(pk=deletion.pk)


def account_erase(*, deletion_id: int, now: datetime | None = None) -> DeletionRequest | None:
    """Erase a member whose grace period has passed, through every registration of the registry.

    Files go first (media in every storage region, export ZIPs), then the database rows in one
    transaction, registrations in their declared order, the `User` row last; caches and Redis keys
    are purged by the registrations that own them. The deletion row stays as the receipt, without
    any personal data. Idempotent: a deletion that is not due, or already erased, is left alone.
    """
    now = now or timezone.now()
    deletion = DeletionRequest.objects.filter(pk=deletion_id).first()
    if deletion is None or deletion.state != states.SCHEDULED or deletion.erase_after > now:
        return deletion
    if not states.DELETION_LIFECYCLE.transition(
        DeletionRequest.objects.all(),
        pk=deletion.pk,
        field="state",
        src=states.SCHEDULED,
        dst=states.ERASING,
        state_changed_at=now,
        attempts=F("attempts") + 1,
    ):
        return DeletionRequest.objects.get(pk=deletion.pk)
    _event("deletion", deletion.pk, states.SCHEDULED, states.ERASING)
    user = User.objects.filter(pk=deletion.user_id).first() if deletion.user_id is not None else None
    try:
        counts = erase_member(user) if user is not None else {}
    except Exception as exc:
        logger.exception("erasure of deletion %s failed", deletion.pk)
        code = exc.code if isinstance(exc, HavenError) else "erase_failed"
        DeletionRequest.objects.filter(pk=deletion.pk, state=states.ERASING).update(
            state=states.SCHEDULED, error_code=code[:40], state_changed_at=timezone.now()
        )
        _event("deletion", deletion.pk, states.ERASING, states.SCHEDULED, code)
        return DeletionRequest.objects.get(pk=deletion.pk)
    DeletionRequest.objects.filter(pk=deletion.pk).update(
        state=states.ERASED,
        erased_at=timezone.now(),
        state_changed_at=timezone.now(),
        counts=counts,
        error_code="",
    )
    _event("deletion", deletion.pk, states.ERASING, states.ERASED)
    return DeletionRequest.objects.get(pk=deletion.pk)


def erase_member(user: User) -> dict[str, int]:
    """Run every eraser of the registry for `user`, then delete the `User` row. Returns the counts."""
    counts: dict[str, int] = {}
    registrations = personal_data.registrations()
    file_erasers = [r for r in registrations if r.outside_transaction and r.eraser is not None]
    # Files first (outside the transaction: a storage cannot roll back). Registrations that hold
    # files erase them in their own eraser, which is idempotent, so a retry after a crash is safe.
    for registration in file_erasers:
        assert registration.eraser is not None
        counts[registration.label] = registration.eraser(user)
    with transaction.atomic():
        for registration in registrations:
            if registration.eraser is None or registration in file_erasers:
                continue
            counts[registration.label] = registration.eraser(user)
        deleted, _by_model = User.objects.filter(pk=user.pk).delete()
        counts["accounts.User"] = 1 if deleted else 0
    return {label: n for label, n in counts.items() if n}


def privacy_housekeeping(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: expire exports, retry stalled builds, erase accounts whose grace ended."""
    now = now or timezone.now()
    erased = 0
    stalled = DeletionRequest.objects.filter(state=states.ERASING, state_changed_at__lte=now - STALE_BUILD)
    for deletion in stalled[:100]:  # a worker died mid-erasure: erase again (erasers are idempotent)
        if DeletionRequest.objects.filter(pk=deletion.pk, state=states.ERASING).update(
            state=states.SCHEDULED
        ):
            _event("deletion", deletion.pk, states.ERASING, states.SCHEDULED, "stalled")
    due = DeletionRequest.objects.filter(
        state=states.SCHEDULED, erase_after__lte=now, attempts__lt=MAX_ERASE_ATTEMPTS
    )
    for deletion_id in due.order_by("erase_after").values_list("pk", flat=True)[:200]:
        result = account_erase(deletion_id=deletion_id, now=now)
        erased += int(result is not None and result.state == states.ERASED)
    return {
        "exports_expired": exports_expire(now=now),
        "exports_retried": exports_retry_stalled(now=now),
        "accounts_erased": erased,
    }


def receipt(*, receipt_code: str) -> DeletionRequest:
    """A deletion receipt by its code (public: it holds no personal data)."""
    code = (receipt_code or "").strip().upper()[:32]
    deletion = DeletionRequest.objects.filter(receipt_code=code).first() if code else None
    if deletion is None:
        raise NotFound(code="receipt_not_found")
    return deletion


def data_region_set(*, user: User, region: str) -> User:
    """Move the member's data region; their media files move by a task of media."""
    from haven.media import services as media_services

    if region not in dict(regions()):
        raise HavenError(_("Choose one of the offered regions."), code="invalid_region")
    if user.data_region == region:
        return user
    User.objects.filter(pk=user.pk).update(data_region=region)
    user.data_region = region
    media_services.media_move_region_later(user=user)
    return user


def regions() -> list[tuple[str, str]]:
    """(code, label) of the storage regions a member may choose (HAVEN_STORAGE_REGIONS)."""
    from haven.media.regions import residency_regions

    return residency_regions()
