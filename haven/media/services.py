"""Writes of media: upload, processing into renditions, deletion and clean-up of stale uploads."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import images
from haven.core.errors import Conflict, HavenError, RateLimited
from haven.core.transactions import after_commit, enqueue_on_commit
from haven.media import access, tasks
from haven.media.models import MediaImage, MediaTransition
from haven.media.states import FAILED, MEDIA_LIFECYCLE, PROCESSING, READY, UPLOADED

logger = logging.getLogger(__name__)

#: A member may hold this many uploads that are not attached to a note yet (within PENDING_WINDOW).
MAX_PENDING_UPLOADS = 100
#: Unattached uploads older than this are deleted by `media_cleanup`.
PENDING_WINDOW = timedelta(hours=24)
#: A run stuck in `processing` this long is considered dead (worker crash) and retried.
STALE_PROCESSING = timedelta(minutes=15)
#: Processing attempts before an image is given up as failed.
MAX_ATTEMPTS = 3

GRID_MAX_WIDTH = 540
GRID_MAX_SIDE = 1080
DETAIL_MAX_SIDE = 1440


def private_storage() -> Storage:
    """Where originals live: never served. Built per call because the setting can change (tests)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def image_upload(*, owner: User, file: bytes | IO[bytes]) -> MediaImage:
    """Validate an uploaded image now, keep the original privately and schedule its processing.

    Bad input is refused with a 4xx error before anything is stored; when the database write fails,
    the stored original is removed again, so a refused upload leaves nothing behind.
    """
    pending = MediaImage.objects.filter(
        owner=owner, created_at__gte=timezone.now() - PENDING_WINDOW, note_uses__isnull=True
    ).count()
    if pending >= MAX_PENDING_UPLOADS:
        raise RateLimited(
            _("You have too many photos waiting to be posted. Post or delete some first."),
            code="too_many_pending_uploads",
            details={"limit": MAX_PENDING_UPLOADS},
        )
    data = images.read_limited(file)
    img = images.open_validated(data)
    fmt = img.format or ""
    width, height = img.size
    img.close()

    storage = private_storage()
    name = storage.save(
        f"originals/{owner.pk}/{uuid.uuid4().hex}.{images.EXTENSIONS[fmt]}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            image = MediaImage.objects.create(
                owner=owner,
                state=UPLOADED,
                original_path=name,
                original_format=fmt,
                byte_size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                width=width,
                height=height,
            )
            MediaTransition.objects.create(image=image, src="", dst=UPLOADED, detail="upload")
            enqueue_on_commit(tasks.process_image, image_id=image.pk)
    except BaseException:
        storage.delete(name)
        raise
    return image


def image_process(*, image_id: int) -> None:
    """Turn an uploaded original into served renditions (grid, detail) and a blurhash. Safe to repeat.

    Only the worker that wins the uploaded -> processing compare-and-set does the work; any failure
    leaves the image `failed` with an `error_code` and no rendition files.
    """
    image = MediaImage.objects.filter(pk=image_id).first()
    if image is None or image.state != UPLOADED:
        return
    if not _transition(image, src=UPLOADED, dst=PROCESSING, attempts=F("attempts") + 1):
        return  # another worker won
    written: list[str] = []
    try:
        with private_storage().open(image.original_path, "rb") as fh:
            data = fh.read()
        img = images.open_validated(data)
        token = secrets.token_hex(8)
        grid = images.render(img, max_side=GRID_MAX_SIDE, max_width=GRID_MAX_WIDTH)
        written.append(default_storage.save(f"r/{image.pk}/{token}-grid.webp", ContentFile(grid)))
        detail = images.render(img, max_side=DETAIL_MAX_SIDE)
        written.append(default_storage.save(f"r/{image.pk}/{token}-detail.webp", ContentFile(detail)))
        blurhash = images.blurhash_of(img)
        img.close()
    except Exception as exc:
        _delete_files(default_storage, written)
        code = exc.code if isinstance(exc, HavenError) else "processing_error"
        if not isinstance(exc, HavenError):
            logger.exception("processing image %s failed", image_id)
        _transition(image, src=PROCESSING, dst=FAILED, detail=str(exc)[:200], error_code=code[:40])
        return
    done = _transition(
        image,
        src=PROCESSING,
        dst=READY,
        grid_path=written[0],
        detail_path=written[1],
        blurhash=blurhash,
        error_code="",
        processed_at=timezone.now(),
    )
    if not done:  # the image was deleted or reset meanwhile: do not leave orphan renditions
        _delete_files(default_storage, written)


def image_retry(*, image_id: int) -> bool:
    """Send a failed (or stalled) image back to `uploaded` and schedule processing again."""
    image = MediaImage.objects.filter(pk=image_id).first()
    if image is None or image.state not in {FAILED, PROCESSING}:
        return False
    with transaction.atomic():
        moved = _transition(image, src=image.state, dst=UPLOADED, detail="retry", error_code="")
        if moved:
            enqueue_on_commit(tasks.process_image, image_id=image.pk)
    return moved


def image_delete(*, owner: User, image_id: int) -> None:
    """Delete the owner's image and its files; refused while a note uses it."""
    image = access.owned_image_or_404(owner, image_id)
    in_use = Conflict(_("This photo is used in a note; remove it from the note first."), code="image_in_use")
    if image.note_uses.count():
        raise in_use
    try:
        with transaction.atomic():
            image.delete()
            after_commit(_delete_image_files, image.original_path, [image.grid_path, image.detail_path])
    except ProtectedError:  # a note attached it in the meantime
        raise in_use from None


def image_cleanup(*, now: Any = None) -> dict[str, int]:
    """Housekeeping: delete stale unattached uploads, retry stalled runs, remove orphan originals."""
    now = now or timezone.now()
    deleted = 0
    stale = MediaImage.objects.filter(created_at__lt=now - PENDING_WINDOW, note_uses__isnull=True)
    for image in stale.only("pk", "original_path", "grid_path", "detail_path").iterator():
        try:
            with transaction.atomic():
                image.delete()
                after_commit(_delete_image_files, image.original_path, [image.grid_path, image.detail_path])
        except ProtectedError:
            continue  # attached just now
        deleted += 1

    retried = failed = 0
    stalled = MediaImage.objects.filter(state=PROCESSING, state_changed_at__lt=now - STALE_PROCESSING)
    for image in stalled.iterator():
        if image.attempts >= MAX_ATTEMPTS:
            failed += int(_transition(image, src=PROCESSING, dst=FAILED, error_code="processing_timeout"))
        else:
            retried += int(image_retry(image_id=image.pk))
    return {"deleted": deleted, "retried": retried, "failed": failed, "orphans": _delete_orphans(now)}


def _transition(image: MediaImage, *, src: str, dst: str, detail: str = "", **updates: Any) -> bool:
    """Compare-and-set `image` from `src` to `dst`, recording an audit row; False when another writer won."""
    with transaction.atomic():
        moved = MEDIA_LIFECYCLE.transition(
            MediaImage.objects.all(),
            pk=image.pk,
            field="state",
            src=src,
            dst=dst,
            state_changed_at=timezone.now(),
            **updates,
        )
        if moved:
            MediaTransition.objects.create(image_id=image.pk, src=src, dst=dst, detail=detail[:200])
    if moved:
        image.state = dst
    return moved


def _delete_image_files(original: str, renditions: Iterable[str]) -> None:
    _delete_files(private_storage(), [original])
    _delete_files(default_storage, renditions)


def _delete_files(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete media file %s", name, exc_info=True)


def _delete_orphans(now: Any) -> int:
    """Originals with no row (an upload whose surrounding transaction rolled back), older than a day."""
    storage = private_storage()
    if not storage.exists("originals"):
        return 0
    removed = 0
    owner_dirs, _files = storage.listdir("originals")
    for owner_dir in owner_dirs:
        _dirs, names = storage.listdir(f"originals/{owner_dir}")
        paths = [f"originals/{owner_dir}/{name}" for name in names]
        known = set(
            MediaImage.objects.filter(original_path__in=paths).values_list("original_path", flat=True)
        )
        for path in paths:
            if path in known or storage.get_modified_time(path) > now - PENDING_WINDOW:
                continue
            _delete_files(storage, [path])
            removed += 1
    return removed
