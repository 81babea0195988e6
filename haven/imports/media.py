"""Media of an import: photos, videos and the profile photo read from the uploaded export itself.

Nothing is fetched: TikTok's signed links are never followed. Every file goes through the media app's
own pipeline, like an upload from the composer or the settings page: photos through
`media.services.image_upload` (the per-image limits, the member's residency region, re-encoded
renditions without metadata), videos through `media.services.video_from_file` (size checked,
container sniffed, transcoded by the worker), the avatar through `accounts.services.avatar_set`.

TikTok exports hold no video files; a member may put the videos they downloaded into the same ZIP.
`match_videos` pairs them with posts by the one rule the export supports (docs/imports.md, "Media").
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from haven.accounts.models import User
from haven.accounts.services import avatar_set
from haven.core.errors import HavenError
from haven.imports.models import ImportJob
from haven.imports.parsing import VIDEO_SUFFIXES, ImportLimits
from haven.imports.parsing.archive import ExportFiles
from haven.imports.parsing.result import Report
from haven.media import access as media_access
from haven.media import services as media_services
from haven.media.regions import storages_for
from haven.notes.models import MAX_IMAGES

logger = logging.getLogger(__name__)

__all__ = [
    "MediaSession",
    "PostMedia",
    "is_video",
    "link_keys",
    "match_videos",
    "post_media",
    "session",
    "session_for",
    "set_avatar",
    "usable_image_ids",
]

# A CDN object key (the last part of the path of TikTok's signed download link of an own post).
_OBJECT_KEY = re.compile(r"[A-Za-z0-9_-]{16,128}")
# A TikTok video id: 19 digits, not part of a longer run of digits.
_VIDEO_ID = re.compile(r"(?<!\d)\d{19}(?!\d)")
_COPY_CHUNK = 1024 * 1024

# Reasons a media file was left out (result["media_skipped"]; stable codes).
VIDEO_WITH_PHOTOS = "video_with_photos"  # a note has photos or one video, never both
SEVERAL_VIDEOS = "several_videos"
UPLOAD_UNAVAILABLE = "upload_unavailable"


def is_video(path: str) -> bool:
    return path.casefold().endswith(VIDEO_SUFFIXES)


# ---------------------------------------------------------------------------------------------
# TikTok: videos uploaded beside the export


def link_keys(link: str | None) -> tuple[str | None, str | None]:
    """(CDN object key, video id) that a post's link names, each None when absent.

    An own post's `Link` is a signed download URL whose last path part is the object key
    (`.../tos-useast5-ve-0068c003-tx/of7K9AuxRszUATd9aYDxP9gFSdNmPH2/?...`); a share link
    (`https://www.tiktokv.com/share/video/<19 digits>/`) or page link (`.../video/<19 digits>`) names
    the video id. The query (signature, expiry) is never used."""
    if not link:
        return None, None
    try:
        segments = [part for part in urlsplit(link).path.split("/") if part]
    except ValueError:
        return None, None
    if not segments:
        return None, None
    last = segments[-1]
    if len(segments) >= 2 and segments[-2] == "video" and _VIDEO_ID.fullmatch(last):
        return None, last
    if _OBJECT_KEY.fullmatch(last) and not last.isdigit():
        return last, None
    return None, None


def match_videos(links: Sequence[str | None], video_files: Sequence[str]) -> list[str | None]:
    """For each post link, the uploaded video file that is that post's video, or None.

    A file matches a post when its name without the extension equals the object key of the post's
    signed link (how downloaders name what they fetch from it), or when its name holds the 19-digit
    video id of the post's link as a whole run of digits. Each file goes to one post at most (the
    first post that names it); among several files for one post, the shortest path wins."""
    by_stem: dict[str, list[str]] = {}
    by_id: dict[str, list[str]] = {}
    for path in video_files:
        name = PurePosixPath(path).name
        by_stem.setdefault(name.rsplit(".", 1)[0], []).append(path)
        for video_id in _VIDEO_ID.findall(name):
            by_id.setdefault(video_id, []).append(path)
    used: set[str] = set()
    matches: list[str | None] = []
    for link in links:
        object_key, video_id = link_keys(link)
        candidates = by_stem.get(object_key, []) if object_key else by_id.get(video_id or "", [])
        found = next((path for path in candidates if path not in used), None)
        if found is not None:
            used.add(found)
        matches.append(found)
    return matches


# ---------------------------------------------------------------------------------------------
# The upload, opened once per import run


@dataclass
class MediaSession:
    """The upload of one import, opened at the first file needed, and the media counts of the run."""

    job: ImportJob
    counts: dict[str, Any] = field(default_factory=dict)
    _files: ExportFiles | None = None
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    _unavailable: bool = False

    def files(self) -> ExportFiles | None:
        """The upload's files, or None when it cannot be opened (gone, storage down)."""
        if self._files is not None or self._unavailable:
            return self._files
        try:
            self._files = ExportFiles.open(self._local_path(), ImportLimits.from_settings(), Report())
        except Exception:
            logger.warning(
                "imports: job %s: the upload could not be opened for media",
                self.job.pk,
                exc_info=True,
            )
            self._unavailable = True
            self.close()
        return self._files

    def _local_path(self) -> Path:
        if not self.job.file_name:
            raise FileNotFoundError("the upload is gone")
        storage = storages_for(self.job.storage_region).originals
        with contextlib.suppress(NotImplementedError):  # object storage has no local path: copy it
            return Path(storage.path(self.job.file_name))
        self._tmp = tempfile.TemporaryDirectory(prefix="haven-import-media-")
        target = Path(self._tmp.name) / "upload"
        limit = ImportLimits.from_settings().max_archive_bytes
        with storage.open(self.job.file_name, "rb") as source, target.open("wb") as out:
            copied = 0
            while chunk := source.read(_COPY_CHUNK):
                copied += len(chunk)
                if copied > limit:
                    raise ValueError("the upload outgrew the archive limit")
                out.write(chunk)
        return target

    def add(self, name: str, count: int = 1) -> None:
        if count > 0:
            self.counts[name] = self.counts.get(name, 0) + count

    def skip(self, reason: str, count: int = 1) -> None:
        if count > 0:
            skipped = self.counts.setdefault("media_skipped", {})
            skipped[reason] = skipped.get(reason, 0) + count

    def failed(self, code: str, count: int = 1) -> None:
        if count <= 0:
            return
        self.add("media_failed", count)
        errors = self.counts.setdefault("media_errors", {})
        errors[code[:40]] = errors.get(code[:40], 0) + count

    def attached(self, made: PostMedia) -> None:
        """Count what a created draft holds (photos_imported, videos_imported)."""
        self.add("photos_imported", len(made.image_ids))
        self.add("videos_imported", 1 if made.video_id is not None else 0)

    def close(self) -> None:
        if self._files is not None:
            self._files.close()
            self._files = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def merge_into(self, result: dict[str, Any]) -> None:
        for name, value in self.counts.items():
            if isinstance(value, dict):
                merged = result.setdefault(name, {})
                for key, count in value.items():
                    merged[key] = merged.get(key, 0) + count
            else:
                result[name] = result.get(name, 0) + value


_current: ContextVar[MediaSession | None] = ContextVar("haven_import_media", default=None)


@contextlib.contextmanager
def session(job: ImportJob, result: dict[str, Any]) -> Iterator[MediaSession]:
    """Open the job's upload (lazily) for everything imported inside the block; the media counts go
    into `result` and the upload is closed (a temporary copy removed) on the way out."""
    media = MediaSession(job)
    token = _current.set(media)
    try:
        yield media
    finally:
        _current.reset(token)
        media.close()
        media.merge_into(result)


@contextlib.contextmanager
def session_for(job: ImportJob) -> Iterator[MediaSession]:
    """The session of the run in progress for `job`, or one just for the block (its counts are only
    logged) when a caller imports outside `session`."""
    current = _current.get()
    if current is not None and current.job.pk == job.pk:
        yield current
        return
    with session(job, {}) as media:
        yield media
        if media.counts:
            logger.info("imports: job %s: media outside a session: %s", job.pk, media.counts)


# ---------------------------------------------------------------------------------------------
# Posts and the avatar


@dataclass
class PostMedia:
    """What was made for one post: photos (in the export's order) or one video, for note_create."""

    image_ids: list[int] = field(default_factory=list)
    video_id: int | None = None

    def discard(self) -> None:
        """Delete what was made when the draft is not created after all (another run made it)."""
        if self.image_ids:
            media_services.image_delete_unused(image_ids=self.image_ids)
        if self.video_id is not None:
            media_services.video_delete_unused(video_id=self.video_id)


def post_media(media: MediaSession, user: User, post: Mapping[str, Any]) -> PostMedia:
    """Read a post's media files from the upload into the media pipeline, for its draft.

    Photos: at most the composer's MAX_IMAGES, in the export's order; the rest are counted
    (`media_over_limit`). A post whose only media is one video becomes a video draft; a video beside
    photos, or several videos, are skipped with a reason. A file that fails (too big, corrupt, not an
    image or video) is counted in `media_failed`; the draft is still created with its caption."""
    made = PostMedia()
    per_post = ImportLimits.from_settings().max_media_per_post
    paths = [str(p) for p in (post.get("media_paths") or []) if p][:per_post]
    if not paths:
        return made
    files = media.files()
    if files is None:
        media.skip(UPLOAD_UNAVAILABLE, len(paths))
        return made
    videos = [p for p in paths if is_video(p)]
    photos = [p for p in paths if not is_video(p)]
    if len(videos) == 1 and not photos:
        made.video_id = _video(media, files, user, videos[0])
        return made
    media.skip(VIDEO_WITH_PHOTOS if photos else SEVERAL_VIDEOS, len(videos))
    media.add("media_over_limit", len(photos) - MAX_IMAGES)
    for path in photos[:MAX_IMAGES]:
        image_id = _photo(media, files, user, path)
        if image_id is not None:
            made.image_ids.append(image_id)
    return made


def _read(files: ExportFiles, path: str, limit: int) -> bytes:
    if path not in files.entries:
        raise KeyError(path)
    return b"".join(files.stream(path, limit=limit))


def _photo(media: MediaSession, files: ExportFiles, user: User, path: str) -> int | None:
    try:
        data = _read(files, path, settings.HAVEN.max_upload_bytes)
        image = media_services.image_upload(owner=user, file=data)
    except KeyError:
        media.failed("media_missing")
        return None
    except HavenError as exc:  # too large, corrupt, not an allowed image, too many pending
        code = "file_too_large" if exc.code == "import_too_large" else exc.code
        media.failed(code)
        return None
    return image.pk


def _video(media: MediaSession, files: ExportFiles, user: User, path: str) -> int | None:
    from haven.media.ffmpeg import VideoLimits  # as media.services does: ffmpeg only where videos are

    limit = VideoLimits.from_settings().max_bytes
    with tempfile.TemporaryDirectory(prefix="haven-import-video-") as tmp:
        target = Path(tmp) / "video"
        try:
            if path not in files.entries:
                raise KeyError(path)
            with target.open("wb") as out:
                for chunk in files.stream(path, limit=limit):
                    out.write(chunk)
            video = media_services.video_from_file(owner=user, path=target, filename=PurePosixPath(path).name)
        except KeyError:
            media.failed("media_missing")
            return None
        except HavenError as exc:  # too large, not an allowed container, too many pending videos
            media.failed("file_too_large" if exc.code == "import_too_large" else exc.code)
            return None
    return video.pk


def usable_image_ids(user: User, image_ids: Sequence[int]) -> list[int]:
    """Those of `image_ids` that may still go into a note (a photo whose processing failed may not)."""
    usable = []
    for image_id in image_ids:
        try:
            media_access.usable_images(user, [image_id])
        except HavenError:
            continue
        usable.append(image_id)
    return usable


def set_avatar(media: MediaSession, user: User, path: str) -> str | None:
    """Set the member's avatar from the export's profile photo (re-encoded square WebP, metadata
    stripped, as on the settings page). Returns None when set, else an error code."""
    files = media.files()
    if files is None:
        return UPLOAD_UNAVAILABLE
    try:
        data = _read(files, path, settings.HAVEN.max_upload_bytes)
        avatar_set(user=user, file=io.BytesIO(data))
    except KeyError:
        return "media_missing"
    except HavenError as exc:
        return "file_too_large" if exc.code == "import_too_large" else exc.code
    return None
