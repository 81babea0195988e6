"""Writes of media: upload, processing into renditions, deletion, clean-up, residency moves, erasure."""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import images
from haven.core.errors import Conflict, HavenError, InvalidInput, RateLimited
from haven.core.images import file_too_large
from haven.core.transactions import after_commit, enqueue_on_commit
from haven.media import access, regions, screening, tasks
from haven.media.models import MediaImage, MediaTransition, MediaVideo, VideoTransition
from haven.media.regions import residency_region_for, residency_regions, storages_for
from haven.media.states import (
    FAILED,
    MEDIA_LIFECYCLE,
    PROBING,
    PROCESSING,
    READY,
    REJECTED,
    TRANSCODING,
    UPLOADED,
    VIDEO_LIFECYCLE,
)

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


__all__ = [
    "image_cleanup",
    "image_delete",
    "image_delete_unused",
    "image_process",
    "image_retry",
    "image_upload",
    "media_delete_all_for_user",
    "media_files_for_export",
    "media_move_region",
    "media_move_region_later",
    "residency_region_for",
    "residency_regions",
    "video_cleanup",
    "video_delete",
    "video_delete_unused",
    "video_from_file",
    "video_poster_render",
    "video_process",
    "video_retry",
    "video_set_poster",
    "video_upload_check",
    "video_view_add",
]


def private_storage() -> Storage:
    """Where originals of the "default" region live: never served (see haven.media.regions)."""
    return storages_for(regions.DEFAULT_REGION).originals


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

    region = residency_region_for(owner)
    storage = storages_for(region).originals
    name = storage.save(
        f"originals/{owner.pk}/{uuid.uuid4().hex}.{images.EXTENSIONS[fmt]}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            image = MediaImage.objects.create(
                owner=owner,
                state=UPLOADED,
                storage_region=region,
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
    # The region is read again now: a move (media_move_region) may have changed it before our
    # claim, and it cannot change while the image is processing.
    region = MediaImage.objects.filter(pk=image.pk).values_list("storage_region", flat=True).first()
    written: list[str] = []
    renditions: Storage | None = None
    try:
        storages = storages_for(region or "")
        renditions = storages.renditions
        with storages.originals.open(image.original_path, "rb") as fh:
            data = fh.read()
        img = images.open_validated(data)
        token = secrets.token_hex(8)
        grid = images.render(img, max_side=GRID_MAX_SIDE, max_width=GRID_MAX_WIDTH)
        written.append(renditions.save(f"r/{image.pk}/{token}-grid.webp", ContentFile(grid)))
        detail = images.render(img, max_side=DETAIL_MAX_SIDE)
        written.append(renditions.save(f"r/{image.pk}/{token}-detail.webp", ContentFile(detail)))
        blurhash = images.blurhash_of(img)
        img.close()
        # Screen exactly the pixels that will be served (our own re-encoded detail rendition).
        screen_state, screen_detail = screening.screen_outcome(screening.decode_rendition(detail))
    except Exception as exc:
        if renditions is not None:
            _delete_files(renditions, written)
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
        screen_state=screen_state,
        screen_detail=screen_detail,
    )
    if not done:  # the image was deleted or reset meanwhile: do not leave orphan renditions
        _delete_files(renditions, written)


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
            _delete_later(image)
    except ProtectedError:  # a note attached it in the meantime
        raise in_use from None


def image_delete_unused(*, image_ids: Iterable[int]) -> int:
    """Delete those of `image_ids` (at most 100) that no note and no registered attachment uses any
    more: the rows now, the files once each deletion commits. For a deleted note's images (call it
    after the note's deletion committed); an image attached again meanwhile is kept. Idempotent."""
    ids = [int(pk) for pk in list(image_ids)[:100]]
    unused = MediaImage.objects.filter(pk__in=ids, note_uses__isnull=True)
    for relation in _attachments:
        unused = unused.filter(**{f"{relation}__isnull": True})
    deleted = 0
    for image in unused.only("pk", "storage_region", "original_path", "grid_path", "detail_path"):
        try:
            with transaction.atomic():
                image.delete()
                _delete_later(image)
        except (ProtectedError, IntegrityError):  # attached again just now
            continue
        deleted += 1
    return deleted


#: Reverse relations of MediaImage (besides notes' `note_uses`) that attach an image to something,
#: registered by higher apps (messaging's message images and group photos): attached images are not
#: stale uploads.
_attachments: list[str] = []


def register_attachment(relation: str) -> None:
    """Register a reverse relation name of MediaImage whose rows keep an image from clean-up."""
    if relation not in _attachments:
        _attachments.append(relation)


def image_cleanup(*, now: Any = None) -> dict[str, int]:
    """Housekeeping: delete stale unattached uploads, retry stalled runs, remove orphan originals."""
    now = now or timezone.now()
    deleted = 0
    stale = MediaImage.objects.filter(created_at__lt=now - PENDING_WINDOW, note_uses__isnull=True)
    for relation in _attachments:
        stale = stale.filter(**{f"{relation}__isnull": True})
    for image in stale.only("pk", "storage_region", "original_path", "grid_path", "detail_path").iterator():
        try:
            with transaction.atomic():
                image.delete()
                _delete_later(image)
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


def _delete_later(image: MediaImage) -> None:
    """Delete the image's files (as they are now, in its recorded region) once the transaction commits."""
    after_commit(_delete_image_files, image.storage_region, image.original_path, _renditions(image))


def _renditions(image: MediaImage) -> list[str]:
    return [path for path in (image.grid_path, image.detail_path) if path]


def _delete_image_files(region: str, original: str, renditions: Iterable[str]) -> None:
    storages = storages_for(region)
    _delete_files(storages.originals, [original])
    _delete_files(storages.renditions, renditions)


def _delete_files(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete media file %s", name, exc_info=True)


def _delete_orphans(now: Any) -> int:
    """Originals with no row (an upload whose surrounding transaction rolled back), older than a day,
    in every region."""
    removed = 0
    for code in regions.region_codes():
        try:
            storage = storages_for(code).originals
        except Exception:
            logger.warning("media clean-up: region %s is not available", code, exc_info=True)
            continue
        removed += _delete_orphans_in(storage, now)
    return removed


def _delete_orphans_in(storage: Storage, now: Any) -> int:
    try:  # listed, not tested with exists(): an object store has no folder objects to find
        owner_dirs, _files = storage.listdir("originals")
    except FileNotFoundError:  # a folder storage without any upload yet
        return 0
    removed = 0
    for owner_dir in owner_dirs:
        _dirs, names = storage.listdir(f"originals/{owner_dir}")
        paths = [f"originals/{owner_dir}/{name}" for name in names]
        known = set(
            MediaImage.objects.filter(original_path__in=paths).values_list("original_path", flat=True)
        ) | set(MediaVideo.objects.filter(original_path__in=paths).values_list("original_path", flat=True))
        for path in paths:
            if path in known or storage.get_modified_time(path) > now - PENDING_WINDOW:
                continue
            _delete_files(storage, [path])
            removed += 1
    return removed


# --- Data residency and erasure --------------------------------------------------------------------

#: States in which an image's files may move: a processing run writes renditions into the region it
#: read at its claim, so an image is never moved while processing (it is moved on the next run).
MOVABLE_STATES = (UPLOADED, READY, FAILED)


def media_move_region_later(*, user: User) -> None:
    """Schedule moving the member's media into their current residency region (after commit)."""
    enqueue_on_commit(tasks.move_media_region, user_id=user.pk)


def media_move_region(*, user_id: int) -> dict[str, int]:
    """Copy each of the member's images into their residency region, then switch the row, then delete
    the old copies. Idempotent and safe to interrupt: a file is copied again only when missing or of
    another size, a row switches region by compare-and-set, and old files go only after that commits.

    Returns {"moved": images switched, "skipped": images left for a later run (processing, or
    changed while copying), "failed": images whose files could not be copied}.
    """
    user = User.objects.filter(pk=user_id).first()
    result = {"moved": 0, "skipped": 0, "failed": 0}
    if user is None:
        return result
    target_code = residency_region_for(user)
    target = storages_for(target_code)
    images_qs = MediaImage.objects.filter(owner_id=user_id).exclude(storage_region=target_code)
    for image in images_qs.order_by("pk").iterator():
        if image.state not in MOVABLE_STATES:
            result["skipped"] += 1
            continue
        try:
            source = storages_for(image.storage_region)
            copied = [
                *_copy_files(source.originals, target.originals, [image.original_path]),
                *_copy_files(source.renditions, target.renditions, _renditions(image)),
            ]
        except Exception:
            logger.warning("moving image %s to region %s failed", image.pk, target_code, exc_info=True)
            result["failed"] += 1
            continue
        with transaction.atomic():
            switched = MediaImage.objects.filter(
                pk=image.pk,
                storage_region=image.storage_region,
                state=image.state,
                state_changed_at=image.state_changed_at,
                state__in=MOVABLE_STATES,
            ).update(storage_region=target_code)
            if switched:
                _delete_later(image)
        if switched:
            result["moved"] += 1
        else:  # processed, retried or deleted meanwhile: the copies are not referenced
            _delete_files(target.originals, [p for p in copied if p == image.original_path])
            _delete_files(target.renditions, [p for p in copied if p != image.original_path])
            result["skipped"] += 1
    if result["moved"] or result["skipped"] or result["failed"]:
        logger.info("media of member %s moved to region %s: %s", user_id, target_code, result)
    return result


def _copy_files(source: Storage, target: Storage, names: Iterable[str]) -> list[str]:
    """Copy `names` from `source` to the same names in `target` (skipping complete copies); the names
    newly written."""
    written = []
    for name in names:
        if not name:
            continue
        size = source.size(name)
        if target.exists(name):
            if target.size(name) == size:
                continue
            target.delete(name)  # a partial copy of an interrupted run
        with source.open(name, "rb") as fh:
            saved = target.save(name, fh)
        if saved != name:  # the storage renamed it: never reference a name we did not choose
            target.delete(saved)
            raise OSError(f"storage wrote {name!r} as {saved!r}")
        written.append(name)
    return written


def media_delete_all_for_user(*, user: User) -> int:
    """Delete every file of the member's images (originals and renditions, in every region, stray
    files under their folders too) and the image rows; returns how many images there were.

    For account erasure, run before the database rows go: rows still used by a note (PROTECT) stay,
    their files already gone, and go when the notes are erased. Idempotent.
    """
    images = list(
        MediaImage.objects.filter(owner=user).only(
            "pk", "storage_region", "original_path", "grid_path", "detail_path"
        )
    )
    for image in images:
        _delete_image_files(image.storage_region, image.original_path, _renditions(image))
    image_ids = {image.pk for image in images}
    for code in regions.region_codes():  # stray files: interrupted moves and uploads
        try:
            storages = storages_for(code)
        except Exception:
            logger.warning("erasure: region %s is not available", code, exc_info=True)
            continue
        _delete_folder(storages.originals, f"originals/{user.pk}")
        for image_id in image_ids:
            _delete_folder(storages.renditions, f"r/{image_id}")
    unused = MediaImage.objects.filter(owner=user, note_uses__isnull=True)
    for relation in _attachments:
        unused = unused.filter(**{f"{relation}__isnull": True})
    unused.delete()  # attached rows go with the member's row (owner CASCADE) once detached
    return len(images)


def _delete_folder(storage: Storage, folder: str) -> None:
    try:
        _dirs, names = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:
        logger.warning("could not list media folder %s", folder, exc_info=True)
        return
    _delete_files(storage, [f"{folder}/{name}" for name in names])


def media_files_for_export(user: User) -> Iterator[tuple[str, Callable[[], IO[bytes]]]]:
    """(archive name, opener) of each original the member uploaded, read from its region's storage."""
    originals = (
        MediaImage.objects.filter(owner=user)
        .exclude(original_path="")
        .only("pk", "storage_region", "original_path", "original_format")
        .order_by("pk")
    )
    for image in originals.iterator():
        extension = images.EXTENSIONS.get(image.original_format) or image.original_path.rsplit(".", 1)[-1]
        yield f"media/{image.pk}.{extension}", _opener(image.storage_region, image.original_path)


def _opener(region: str, name: str) -> Callable[[], IO[bytes]]:
    def open_original() -> IO[bytes]:
        return storages_for(region).originals.open(name, "rb")

    return open_original


# --- Videos (docs/video.md) ----------------------------------------------------------------------------
#
# A video arrives as a local file (a completed resumable upload, haven.media.tus, or an import), is
# sniffed at once and kept privately; a worker probes it and renders the served files with ffmpeg
# (haven.media.ffmpeg: local input only, whitelisted protocol and demuxers, bounded CPU, memory and
# time). Renditions: 720p and 480p H.264/AAC MP4 with faststart, a muted preview for cards, a poster
# (WebP, detail and card sizes); all re-encoded, without metadata.

#: A member may hold this many videos not attached to a note yet (within PENDING_WINDOW).
MAX_PENDING_VIDEOS = 20
#: Short sides of the served renditions ("hd" is skipped when the source is no larger than "sd").
HD_SHORT_SIDE = 720
SD_SHORT_SIDE = 480
PREVIEW_SECONDS = 4
PREVIEW_SHORT_SIDE = 360
#: Progress (percent) reached after each step of a processing run, shown to the author.
_PROGRESS = {"probed": 5, "hd": 60, "sd": 85, "preview": 92, "poster": 98}
#: Where a poster frame is taken when the author has not chosen one: this far in (capped at mid-way).
DEFAULT_POSTER_MS = 1000
_COPY_CHUNK = 1024 * 1024


def _video_limits() -> Any:
    from haven.media import ffmpeg

    return ffmpeg.VideoLimits.from_settings()


def stale_video_processing() -> timedelta:
    """A probing or transcoding run older than this is considered dead (a worker crash) and retried."""
    return timedelta(seconds=4 * settings.HAVEN.video_process_seconds + 300)


def video_upload_check(*, owner: User) -> None:
    """Refuse (RateLimited "too_many_pending_videos") when the member already holds MAX_PENDING_VIDEOS
    videos not attached to a note; resumable uploads ask before the first byte."""
    pending = MediaVideo.objects.filter(
        owner=owner, created_at__gte=timezone.now() - PENDING_WINDOW, note__isnull=True
    ).count()
    if pending >= MAX_PENDING_VIDEOS:
        raise RateLimited(
            _("You have too many videos waiting to be posted. Post or delete some first."),
            code="too_many_pending_videos",
            details={"limit": MAX_PENDING_VIDEOS},
        )


def video_from_file(*, owner: User, path: Path, filename: str = "") -> MediaVideo:
    """Accept the video file at local `path` (a completed upload) for `owner`: check its size and sniff
    its container now, keep it privately and schedule its processing in a worker.

    The file at `path` is consumed: it is removed whether the video is accepted or refused. A refused
    file raises the ffmpeg module's VideoRejected (a 4xx with a stable code) and leaves nothing stored.
    """
    from haven.media import ffmpeg

    try:
        video_upload_check(owner=owner)
        limits = _video_limits()
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise file_too_large(limits.max_bytes)
        container = ffmpeg.sniff(path)
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_COPY_CHUNK), b""):
                digest.update(chunk)
        region = residency_region_for(owner)
        storage = storages_for(region).originals
        with path.open("rb") as fh:
            name = storage.save(f"originals/{owner.pk}/v-{uuid.uuid4().hex}.{container}", File(fh))
        try:
            with transaction.atomic():
                video = MediaVideo.objects.create(
                    owner=owner,
                    state=UPLOADED,
                    storage_region=region,
                    original_path=name,
                    original_container=container,
                    byte_size=size,
                    sha256=digest.hexdigest(),
                )
                VideoTransition.objects.create(video=video, src="", dst=UPLOADED, detail="upload")
                enqueue_on_commit(tasks.process_video, video_id=video.pk)
        except BaseException:
            storage.delete(name)
            raise
    finally:
        path.unlink(missing_ok=True)
    logger.info("video %s uploaded by member %s (%s, %d bytes)", video.pk, owner.pk, container, size)
    return video


def video_process(*, video_id: int) -> None:
    """Probe an uploaded video and render its served files. Safe to repeat; only the worker that wins
    the uploaded -> probing compare-and-set works. A file that is not an allowed video ends `rejected`
    (its original is deleted); a failure on our side ends `failed`, retried by the reconciler
    (video_cleanup) up to MAX_ATTEMPTS runs."""
    from haven.media import ffmpeg

    video = MediaVideo.objects.filter(pk=video_id).first()
    if video is None or video.state != UPLOADED:
        return
    if not _video_transition(video, src=UPLOADED, dst=PROBING, attempts=F("attempts") + 1, progress=0):
        return
    region = MediaVideo.objects.filter(pk=video.pk).values_list("storage_region", flat=True).first()
    written: list[str] = []
    renditions: Storage | None = None
    state = PROBING
    limits = _video_limits()
    try:
        storages = storages_for(region or "")
        renditions = storages.renditions
        with tempfile.TemporaryDirectory(prefix="haven-video-") as work:
            source = Path(work) / f"source.{video.original_container or 'bin'}"
            with storages.originals.open(video.original_path, "rb") as fh, source.open("wb") as out:
                shutil.copyfileobj(fh, out, _COPY_CHUNK)
            probe = ffmpeg.probe(source, limits)
            if not _video_transition(
                video,
                src=PROBING,
                dst=TRANSCODING,
                duration_ms=probe.duration_ms,
                width=probe.width,
                height=probe.height,
                has_audio=probe.has_audio,
                progress=_PROGRESS["probed"],
            ):
                return
            state = TRANSCODING
            token = secrets.token_hex(8)
            folder = f"r/v{video.pk}"
            paths: dict[str, str] = {"hd_path": "", "sd_path": ""}
            short = min(probe.width, probe.height)
            steps = [("sd_path", SD_SHORT_SIDE, "sd")]
            if short > SD_SHORT_SIDE:
                steps.insert(0, ("hd_path", HD_SHORT_SIDE, "hd"))
            start = _PROGRESS["probed"]
            for field, side, step in steps:
                out_file = Path(work) / f"{step}.mp4"
                end = _PROGRESS[step]
                ffmpeg.transcode(
                    source,
                    out_file,
                    probe=probe,
                    short_side=side,
                    limits=limits,
                    on_progress=_progress_reporter(video.pk, start, end),
                )
                paths[field] = _save_file(renditions, f"{folder}/{token}-{side}.mp4", out_file, written)
                _set_progress(video.pk, end)
                start = end
            preview_file = Path(work) / "preview.mp4"
            ffmpeg.preview(
                source,
                preview_file,
                probe=probe,
                limits=limits,
                seconds=PREVIEW_SECONDS,
                short_side=PREVIEW_SHORT_SIDE,
            )
            paths["preview_path"] = _save_file(
                renditions, f"{folder}/{token}-preview.mp4", preview_file, written
            )
            _set_progress(video.pk, _PROGRESS["preview"])
            at_ms = video.poster_at_ms or min(DEFAULT_POSTER_MS, probe.duration_ms // 2)
            poster = _poster_files(
                ffmpeg.poster_frame(source, probe=probe, at_ms=at_ms, limits=limits),
                renditions,
                folder,
                written,
            )
    except Exception as exc:
        if renditions is not None:
            _delete_files(renditions, written)
        _video_failed(video, state, exc)
        return
    done = _video_transition(
        video,
        src=TRANSCODING,
        dst=READY,
        **paths,
        poster_path=poster["detail"],
        poster_grid_path=poster["grid"],
        poster_at_ms=at_ms,
        blurhash=poster["blurhash"],
        screen_state=poster["screen_state"],
        screen_detail=poster["screen_detail"],
        progress=100,
        error_code="",
        processed_at=timezone.now(),
    )
    if not done:  # deleted or reset meanwhile: leave no orphan renditions
        _delete_files(renditions, written)


def _video_failed(video: MediaVideo, state: str, exc: Exception) -> None:
    from haven.media import ffmpeg

    code = exc.code if isinstance(exc, HavenError) else "processing_error"
    if isinstance(exc, ffmpeg.VideoRejected):
        if _video_transition(video, src=state, dst=REJECTED, detail=str(exc)[:200], error_code=code[:40]):
            region = video.storage_region
            after_commit(_delete_files_in, region, "originals", [video.original_path])
        return
    if not isinstance(exc, HavenError):
        logger.exception("processing video %s failed", video.pk)
    else:
        logger.warning("processing video %s failed: %s", video.pk, code)
    _video_transition(video, src=state, dst=FAILED, detail=str(exc)[:200], error_code=code[:40])


def _progress_reporter(video_id: int, start: int, end: int) -> Callable[[float], None]:
    """A callback for ffmpeg.transcode mapping its 0..1 fraction onto start..end percent (one UPDATE
    per whole percent at most)."""
    last = [start]

    def report(fraction: float) -> None:
        value = start + int((end - start) * max(0.0, min(1.0, fraction)))
        if value > last[0]:
            last[0] = value
            _set_progress(video_id, value)

    return report


def _set_progress(video_id: int, value: int) -> None:
    MediaVideo.objects.filter(pk=video_id, state=TRANSCODING, progress__lt=value).update(progress=value)


def _save_file(storage: Storage, name: str, path: Path, written: list[str]) -> str:
    with path.open("rb") as fh:
        saved = storage.save(name, File(fh))
    written.append(saved)
    return saved


def _poster_files(png: bytes, storage: Storage, folder: str, written: list[str]) -> dict[str, Any]:
    """The poster frame re-encoded (detail and card sizes, WebP, no metadata), its blurhash and the
    screeners' verdict on exactly the pixels served."""
    img = images.open_validated(png)
    token = secrets.token_hex(8)
    detail = images.render(img, max_side=DETAIL_MAX_SIDE)
    grid = images.render(img, max_side=GRID_MAX_SIDE, max_width=GRID_MAX_WIDTH)
    blurhash = images.blurhash_of(img)
    img.close()
    screen_state, screen_detail = screening.screen_outcome(screening.decode_rendition(detail))
    return {
        "detail": _save_bytes(storage, f"{folder}/{token}-poster.webp", detail, written),
        "grid": _save_bytes(storage, f"{folder}/{token}-poster-grid.webp", grid, written),
        "blurhash": blurhash,
        "screen_state": screen_state,
        "screen_detail": screen_detail,
    }


def _save_bytes(storage: Storage, name: str, data: bytes, written: list[str]) -> str:
    saved = storage.save(name, ContentFile(data))
    written.append(saved)
    return saved


def video_set_poster(*, owner: User, video_id: int, at_ms: int) -> MediaVideo:
    """Choose the poster frame of the owner's ready video (`at_ms` into it). Checked now; the frame is
    taken and re-encoded by the worker (task render_poster, never on the request path), and the
    video's `poster_at_ms` changes once the new poster is recorded."""
    video = access.owned_video_or_404(owner, video_id)
    if video.state != READY:
        raise Conflict(_("Choose a cover once the video is ready."), code="video_not_ready")
    if at_ms < 0 or at_ms > max(0, video.duration_ms):
        raise InvalidInput(_("That moment is not in the video."), code="bad_poster_time")
    with transaction.atomic():
        enqueue_on_commit(tasks.render_poster, video_id=video.pk, at_ms=at_ms)
    return video


def video_poster_render(*, video_id: int, at_ms: int) -> bool:
    """The worker's half of video_set_poster: the frame at `at_ms` of our own 720p or 480p rendition,
    re-encoded and screened; the old poster files are deleted once the new ones are recorded. False
    when the video is gone, not ready, or changed meanwhile (nothing is left behind then)."""
    from haven.media import ffmpeg

    video = MediaVideo.objects.filter(pk=video_id, state=READY).first()
    if video is None:
        return False
    at_ms = max(0, min(at_ms, video.duration_ms))
    storages = storages_for(video.storage_region)
    source_name = video.hd_path or video.sd_path
    limits = _video_limits()
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="haven-poster-") as work:
        source = Path(work) / "source.mp4"
        with storages.renditions.open(source_name, "rb") as fh, source.open("wb") as out:
            shutil.copyfileobj(fh, out, _COPY_CHUNK)
        probe = ffmpeg.probe(source, limits)
        poster = _poster_files(
            ffmpeg.poster_frame(source, probe=probe, at_ms=at_ms, limits=limits),
            storages.renditions,
            f"r/v{video.pk}",
            written,
        )
    with transaction.atomic():
        moved = MediaVideo.objects.filter(
            pk=video.pk, state=READY, poster_path=video.poster_path, poster_grid_path=video.poster_grid_path
        ).update(
            poster_path=poster["detail"],
            poster_grid_path=poster["grid"],
            poster_at_ms=at_ms,
            blurhash=poster["blurhash"],
            screen_state=poster["screen_state"],
            screen_detail=poster["screen_detail"],
        )
        if moved:
            after_commit(
                _delete_files_in,
                video.storage_region,
                "renditions",
                [video.poster_path, video.poster_grid_path],
            )
    if not moved:
        _delete_files(storages.renditions, written)
    return bool(moved)


def video_retry(*, video_id: int) -> bool:
    """Send a failed (or stalled) video back to `uploaded` and schedule processing again."""
    video = MediaVideo.objects.filter(pk=video_id).first()
    if video is None or video.state not in {FAILED, PROBING, TRANSCODING}:
        return False
    with transaction.atomic():
        moved = _video_transition(
            video, src=video.state, dst=UPLOADED, detail="retry", error_code="", progress=0
        )
        if moved:
            enqueue_on_commit(tasks.process_video, video_id=video.pk)
    return moved


def video_delete(*, owner: User, video_id: int) -> None:
    """Delete the owner's video and all its files; refused while a note shows it."""
    video = access.owned_video_or_404(owner, video_id)
    in_use = Conflict(_("This video is used in a note; delete the note first."), code="video_in_use")
    if MediaVideo.objects.filter(pk=video.pk, note__isnull=False).exists():
        raise in_use
    try:
        with transaction.atomic():
            video.delete()
            _delete_video_later(video)
    except ProtectedError:
        raise in_use from None


def video_delete_unused(*, video_id: int) -> bool:
    """Delete a video (rows and files, after commit) once no note uses it; for notes' deletion."""
    video = MediaVideo.objects.filter(pk=video_id, note__isnull=True).first()
    if video is None:
        return False
    try:
        with transaction.atomic():
            video.delete()
            _delete_video_later(video)
    except ProtectedError:
        return False
    return True


def video_cleanup(*, now: Any = None) -> dict[str, int]:
    """The reconciler: delete stale unattached videos, retry stalled or failed runs (up to MAX_ATTEMPTS)
    and give up on the rest."""
    now = now or timezone.now()
    deleted = 0
    stale = MediaVideo.objects.filter(created_at__lt=now - PENDING_WINDOW, note__isnull=True)
    for video in stale.iterator():
        try:
            with transaction.atomic():
                video.delete()
                _delete_video_later(video)
        except ProtectedError:
            continue
        deleted += 1
    retried = failed = 0
    stalled = MediaVideo.objects.filter(
        state__in=(PROBING, TRANSCODING), state_changed_at__lt=now - stale_video_processing()
    )
    failing = MediaVideo.objects.filter(state=FAILED, attempts__lt=MAX_ATTEMPTS)
    for video in [*stalled.iterator(), *failing.iterator()]:
        if video.attempts >= MAX_ATTEMPTS:
            failed += int(
                _video_transition(video, src=video.state, dst=FAILED, error_code="processing_timeout")
            )
        else:
            retried += int(video_retry(video_id=video.pk))
    return {
        "videos_deleted": deleted,
        "videos_retried": retried,
        "videos_failed": failed,
        "video_orphans": _delete_video_orphans(now),
    }


def _delete_video_orphans(now: Any) -> int:
    """Rendition files under r/v<id>/ of videos that no longer exist (a run that died between writing
    and recording, a deletion whose after-commit clean-up was lost), older than a day, in every region."""
    removed = 0
    for code in regions.region_codes():
        try:
            storage = storages_for(code).renditions
        except Exception:
            logger.warning("media clean-up: region %s is not available", code, exc_info=True)
            continue
        try:
            folders, _files = storage.listdir("r")
        except (FileNotFoundError, NotADirectoryError):
            continue
        ids = {int(name[1:]) for name in folders if name.startswith("v") and name[1:].isdigit()}
        known = set(MediaVideo.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for video_id in sorted(ids - known):
            folder = f"r/v{video_id}"
            _dirs, names = storage.listdir(folder)
            old = [
                f"{folder}/{n}"
                for n in names
                if storage.get_modified_time(f"{folder}/{n}") < now - PENDING_WINDOW
            ]
            _delete_files(storage, old)
            removed += len(old)
    return removed


def video_view_add(*, video_id: int) -> None:
    """Count one view of a ready video (buffered in the scaled profile like the other counters)."""
    from haven.media import counters

    counters.view_add(video_id)


def _video_transition(video: MediaVideo, *, src: str, dst: str, detail: str = "", **updates: Any) -> bool:
    """Compare-and-set `video` from `src` to `dst` with an audit row; False when another writer won."""
    with transaction.atomic():
        moved = VIDEO_LIFECYCLE.transition(
            MediaVideo.objects.all(),
            pk=video.pk,
            field="state",
            src=src,
            dst=dst,
            state_changed_at=timezone.now(),
            **updates,
        )
        if moved:
            VideoTransition.objects.create(video_id=video.pk, src=src, dst=dst, detail=detail[:200])
    if moved:
        video.state = dst
    return moved


def _delete_video_later(video: MediaVideo) -> None:
    after_commit(
        _delete_video_files, video.storage_region, video.original_path, video.rendition_paths(), video.pk
    )


def _delete_video_files(region: str, original: str, renditions: Iterable[str], video_id: int) -> None:
    storages = storages_for(region)
    _delete_files(storages.originals, [original])
    _delete_files(storages.renditions, renditions)
    _delete_folder(storages.renditions, f"r/v{video_id}")  # strays of interrupted runs


def _delete_files_in(region: str, which: str, names: Iterable[str]) -> None:
    storages = storages_for(region)
    _delete_files(storages.originals if which == "originals" else storages.renditions, names)


def caption_set(**kwargs: Any) -> Any:
    """Add or replace a caption track of the owner's video (haven.media.captions.caption_set); the
    note showing the video is indexed again (search reads its captions)."""
    from haven.media import captions

    caption = captions.caption_set(**kwargs)
    _video_note_changed(caption.video_id)
    return caption


def caption_delete(**kwargs: Any) -> None:
    from haven.media import captions

    captions.caption_delete(**kwargs)
    _video_note_changed(int(kwargs["video_id"]))


def _video_note_changed(video_id: int) -> None:
    """Tell search that the note showing video `video_id` (if any) changed, and let moderation score
    its text again (it includes the captions) when it is published."""
    from haven.core import reportables, searchables

    rows = list(
        MediaVideo.objects.filter(pk=video_id, note__isnull=False).values_list("note", "note__status")
    )
    if rows:
        searchables.changed("note", [note_id for note_id, _status in rows])
    for note_id, status in rows:
        if status == "published":
            after_commit(reportables.content_created, "note", note_id)


def captions_of(video_id: int) -> list[Any]:
    from haven.media import captions

    return list(captions.captions_of(video_id))


def videos_delete_all_for_user(*, user: User) -> int:
    """Delete every file of the member's videos (originals, renditions, strays in every region) and
    the video rows no note holds any more; for account erasure (run before the rows go). Idempotent."""
    videos = list(
        MediaVideo.objects.filter(owner=user).only(
            "pk",
            "storage_region",
            "original_path",
            "hd_path",
            "sd_path",
            "preview_path",
            "poster_path",
            "poster_grid_path",
        )
    )
    for video in videos:
        _delete_video_files(video.storage_region, video.original_path, video.rendition_paths(), video.pk)
    for code in regions.region_codes():
        try:
            storages = storages_for(code)
        except Exception:
            logger.warning("erasure: region %s is not available", code, exc_info=True)
            continue
        for video in videos:
            _delete_folder(storages.renditions, f"r/v{video.pk}")
    MediaVideo.objects.filter(owner=user, note__isnull=True).delete()
    return len(videos)


def video_files_for_export(user: User) -> Iterator[tuple[str, Callable[[], IO[bytes]]]]:
    """(archive name, opener) of each video original the member uploaded."""
    originals = (
        MediaVideo.objects.filter(owner=user)
        .exclude(original_path="")
        .only("pk", "storage_region", "original_path", "original_container")
        .order_by("pk")
    )
    for video in originals.iterator():
        extension = video.original_container or video.original_path.rsplit(".", 1)[-1]
        yield f"media/videos/{video.pk}.{extension}", _opener(video.storage_region, video.original_path)
