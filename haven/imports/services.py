"""Writes of imports: upload, parse (in a task), confirm and import (in a task), cancel, delete, expire."""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.accounts.services import MAX_BIO, MAX_DISPLAY_NAME, profile_update
from haven.core import ratelimit
from haven.core.errors import Conflict, HavenError, InvalidInput
from haven.core.retention import delete_in_batches
from haven.core.transactions import after_commit, enqueue_on_commit
from haven.imports import access, tasks
from haven.imports import media as import_media
from haven.imports.models import ImportedItem, ImportJob, ImportTransition
from haven.imports.parsing import ImportFailed, ImportLimits, ParsedExport, parse_export
from haven.imports.parsing import errors as parse_errors
from haven.imports.states import (
    ACTIVE,
    CANCELLED,
    DONE,
    EXPIRED,
    FAILED,
    IMPORT_LIFECYCLE,
    IMPORTING,
    PARSING,
    REVIEW,
    UPLOADED,
)
from haven.media.regions import residency_region_for, storages_for
from haven.notes.models import BODY_MAX, Visibility
from haven.notes.services import note_create
from haven.people import selectors as people_selectors
from haven.people import services as people_services
from haven.recommend.services import topic_follows_set

logger = logging.getLogger(__name__)

#: Uploads a member may start per day (each one is parsed by a worker).
UPLOADS_PER_DAY = 10
#: Posts offered as drafts from one export; the rest are counted in the report ("posts_over_limit").
MAX_POSTS = 2_000
#: Hashtags kept as an interest signal, liked/favourite links kept, followed handles kept for matching.
MAX_HASHTAGS = 500
MAX_LINKS = 5_000
MAX_FOLLOWING = 10_000
#: Posts between two progress writes while importing.
PROGRESS_EVERY = 20
#: Jobs one retention run expires (the next run takes the rest).
EXPIRE_BATCH = 2_000

#: What the member may choose on the review screen (all booleans).
CHOICES = ("display_name", "bio", "avatar", "posts", "hashtags", "likes", "following", "notify_on_join")

# Error codes (stable; docs/imports.md lists them).
IN_PROGRESS = "import_in_progress"
EMPTY = "import_empty"
NOT_READY = "import_not_in_review"
NOT_CANCELLABLE = "import_not_cancellable"
BUSY = "import_busy"
BAD_CHOICE = "invalid_import_choice"
INTERNAL = "import_internal_error"
STALLED = "import_stalled"

_NAME_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_VISIBILITY = {"everyone": Visibility.PUBLIC, "friends": Visibility.FOLLOWERS, "only_you": Visibility.PRIVATE}


# ---------------------------------------------------------------------------------------------
# The lifecycle


def _move(job: ImportJob, *, src: str, dst: str, detail: str = "", **updates: Any) -> bool:
    """Compare-and-set `job` from `src` to `dst` with `updates`, leaving an audit row; False if lost."""
    with transaction.atomic():
        moved = IMPORT_LIFECYCLE.transition(
            ImportJob.objects.all(),
            pk=job.pk,
            field="state",
            src=src,
            dst=dst,
            updated_at=timezone.now(),
            **updates,
        )
        if not moved:
            return False
        ImportTransition.objects.create(job_id=job.pk, src=src, dst=dst, detail=detail[:60])
    job.state = dst
    for name, value in updates.items():
        setattr(job, name, value)
    return True


def _delete_upload(job: ImportJob) -> None:
    """Delete the stored upload (idempotent) and forget its name."""
    if not job.file_name:
        return
    try:
        storages_for(job.storage_region).originals.delete(job.file_name)
    except Exception:  # a region gone or storage down: retention tries again later
        logger.warning("imports: could not delete the upload of job %s", job.pk, exc_info=True)
        return
    ImportJob.objects.filter(pk=job.pk, file_name=job.file_name).update(file_name="")
    job.file_name = ""


def _delete_upload_later(job: ImportJob) -> None:
    after_commit(_delete_upload, job)


def clean_name(name: str) -> str:
    """A safe basename for the upload (the parser reads single files by name: user_data.json, *.txt)."""
    base = Path(str(name or "").replace("\\", "/")).name
    base = _NAME_SAFE.sub("", base).strip(" .")[:100]
    return base or "upload"


def import_upload(
    *, user: User, file: IO[bytes] | File[bytes], name: str = "", size: int | None = None
) -> ImportJob:
    """Store an uploaded export privately and schedule its parsing.

    Refused before anything is stored: too many uploads today (rate_limited), another import still
    running (import_in_progress, 409), an empty file (import_empty) or one over the archive limit
    (import_too_large, 413). The parse itself runs in a worker (tasks.parse_import).
    """
    ratelimit.hit("import_upload", str(user.pk), limit=UPLOADS_PER_DAY, window_seconds=86_400)
    if access.jobs_of(user).filter(state__in=ACTIVE).exists():
        raise Conflict(
            _("You already have an import in progress. Finish or cancel it first."), code=IN_PROGRESS
        )
    if size is None:
        size = getattr(file, "size", None)
    if size is None:
        raise InvalidInput(_("The upload has no size."), code=EMPTY)
    if size <= 0:
        raise InvalidInput(_("The file is empty."), code=EMPTY)
    if size > ImportLimits.from_settings().max_archive_bytes:
        raise ImportFailed(parse_errors.TOO_LARGE, details={"limit": "max_archive_bytes"})
    region = residency_region_for(user)
    storage = storages_for(region).originals
    original = clean_name(name or getattr(file, "name", "") or "")
    stored = storage.save(
        f"imports/{user.pk}/{uuid.uuid4().hex}.upload", file if isinstance(file, File) else File(file)
    )
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                user=user,
                state=UPLOADED,
                original_name=original,
                storage_region=region,
                file_name=stored,
                byte_size=size,
            )
            ImportTransition.objects.create(job=job, src="", dst=UPLOADED, detail="upload")
            enqueue_on_commit(tasks.parse_import, job_id=job.pk)
    except IntegrityError as exc:  # another upload of this member won the one-active-job race
        storage.delete(stored)
        raise Conflict(
            _("You already have an import in progress. Finish or cancel it first."), code=IN_PROGRESS
        ) from exc
    except BaseException:
        storage.delete(stored)
        raise
    return job


def import_parse(*, job_id: int) -> None:
    """Parse an uploaded job's export into findings for review (the body of tasks.parse_import).

    Safe to run twice: only the run that wins uploaded -> parsing works. A refused export ends
    `failed` with the parser's code; a cancel while parsing wins over the result.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.state != UPLOADED:
        return
    if not _move(job, src=UPLOADED, dst=PARSING, progress=10):
        return
    limits = ImportLimits.from_settings()
    try:
        with tempfile.TemporaryDirectory(prefix="haven-import-") as tmp:
            path = Path(tmp) / (job.original_name or "upload")
            _copy_upload(job, path, limit=limits.max_archive_bytes)
            parsed = parse_export(path, limits=limits)
    except ImportFailed as exc:
        _fail(job, src=PARSING, code=exc.code)
        return
    except Exception:
        logger.exception("imports: parsing job %s failed", job.pk)
        _fail(job, src=PARSING, code=INTERNAL)
        return
    findings, report = findings_of(parsed)
    _move(
        job,
        src=PARSING,
        dst=REVIEW,
        source=parsed.source,
        layout=parsed.layout,
        findings=findings,
        report=report,
        progress=100,
        parsed_at=timezone.now(),
    )


def _copy_upload(job: ImportJob, path: Path, *, limit: int) -> None:
    storage = storages_for(job.storage_region).originals
    with storage.open(job.file_name, "rb") as source, path.open("wb") as target:
        copied = 0
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                raise ImportFailed(parse_errors.TOO_LARGE, details={"limit": "max_archive_bytes"})
            target.write(chunk)


def _fail(job: ImportJob, *, src: str, code: str) -> None:
    with transaction.atomic():
        if _move(
            job, src=src, dst=FAILED, detail=code, error_code=code, findings=None, finished_at=timezone.now()
        ):
            _delete_upload_later(job)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def findings_of(parsed: ParsedExport) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON kept for review (bounded) and the report (counts and reasons only, never content)."""
    hashtags: dict[str, None] = {}
    for tag in [*parsed.caption_hashtags(), *parsed.hashtags_used, *parsed.favourite_hashtags]:
        hashtags.setdefault(tag, None)
    kept = parsed.posts[:MAX_POSTS]
    # Archive paths of each post's media (never shown: the API and pages read `media`, a count).
    # Instagram names its files; TikTok's videos are matched among the files uploaded beside the export.
    media_paths = [list(post.media) for post in kept]
    if parsed.source == "tiktok" and parsed.video_files:
        for paths, video in zip(
            media_paths, import_media.match_videos([p.link for p in kept], parsed.video_files), strict=True
        ):
            if video:
                paths.append(video)
    per_post = ImportLimits.from_settings().max_media_per_post
    posts = [
        {
            "caption": post.caption,
            "hashtags": post.hashtags,
            "posted_at": _iso(post.posted_at),
            "visibility": post.visibility,
            "link": post.link,
            "media": len(paths),
            "missing_media": post.missing_media,
            "media_paths": paths[:per_post],
        }
        for post, paths in zip(kept, media_paths, strict=True)
    ]
    profile = parsed.profile
    findings = {
        "profile": {
            "username": profile.username,
            "display_name": profile.display_name,
            "bio": profile.bio,
            # A profile photo inside the upload (Instagram). TikTok's avatar_url is a signed, expiring
            # remote link: never fetched, so it is not offered.
            "has_avatar": bool(profile.avatar_path),
            "avatar_path": profile.avatar_path,
        },
        "posts": posts,
        "hashtags": list(hashtags)[:MAX_HASHTAGS],
        "liked": [item.link for item in parsed.liked[:MAX_LINKS]],
        "favourites": [item.link for item in parsed.favourites[:MAX_LINKS]],
        "following": [account.handle for account in parsed.following[:MAX_FOLLOWING]],
    }
    over = {
        "posts": max(0, len(parsed.posts) - MAX_POSTS),
        "hashtags": max(0, len(hashtags) - MAX_HASHTAGS),
        "liked": max(0, len(parsed.liked) - MAX_LINKS),
        "favourites": max(0, len(parsed.favourites) - MAX_LINKS),
        "following": max(0, len(parsed.following) - MAX_FOLLOWING),
    }
    report = {
        "counts": parsed.counts(),
        "rows": dict(parsed.report.rows),
        "skipped": [
            {"section": s.section, "reason": s.reason, "count": s.count} for s in parsed.report.skipped
        ],
        "skipped_by_reason": parsed.report.skipped_by_reason(),
        "never_imported": list(parsed.report.never_imported),
        "over_limit": {k: v for k, v in over.items() if v},
    }
    if parsed.video_files:
        matched = sum(1 for paths in media_paths for path in paths if import_media.is_video(path))
        report["videos"] = {"files": len(parsed.video_files), "matched": matched}
    return findings, report


# ---------------------------------------------------------------------------------------------
# Review and import


def clean_choices(choices: Mapping[str, Any]) -> dict[str, bool]:
    unknown = sorted(set(choices) - set(CHOICES))
    if unknown:
        raise InvalidInput(_("Unknown import choice."), code=BAD_CHOICE, details={"unknown": unknown[:10]})
    return {name: bool(choices.get(name, False)) for name in CHOICES}


def import_confirm(*, user: User, job_id: int, choices: Mapping[str, Any]) -> ImportJob:
    """The member's choices: start creating drafts, profile fields and interests (tasks.run_import).

    Confirming again while importing or once done changes nothing and returns the job.
    """
    clean = clean_choices(choices)
    job = access.job_or_404(user, job_id)
    if job.state in (IMPORTING, DONE):
        return job
    if job.state != REVIEW:
        raise Conflict(_("This import is not waiting for your review."), code=NOT_READY)
    with transaction.atomic():
        if _move(job, src=REVIEW, dst=IMPORTING, choices=clean, progress=0, confirmed_at=timezone.now()):
            enqueue_on_commit(tasks.run_import, job_id=job.pk)
            return job
    job.refresh_from_db()
    if job.state in (IMPORTING, DONE):
        return job
    raise Conflict(_("This import is not waiting for your review."), code=NOT_READY)


def post_key(post: Mapping[str, Any]) -> str:
    """A stable key for a post of an export: its original date and caption (links are signed and
    change between exports), or its link without the query when it has neither."""
    posted_at, caption = post.get("posted_at") or "", post.get("caption") or ""
    if posted_at or caption:
        basis = f"{posted_at}|{caption}"
    else:
        basis = "link|" + str(post.get("link") or "").split("?", 1)[0]
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def import_run(*, job_id: int) -> None:
    """Create what the member chose (the body of tasks.run_import). Safe to run twice or after a crash:
    every post has a stable key, and a post whose key exists for this member is skipped."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state != IMPORTING:
        return
    user, findings, choices = job.user, job.findings or {}, job.choices or {}
    result: dict[str, Any] = {"drafts_created": 0, "drafts_skipped": 0, "drafts_failed": 0, "captions_cut": 0}
    profile = findings.get("profile") or {}
    changes: dict[str, Any] = {}
    if choices.get("display_name") and profile.get("display_name"):
        changes["display_name"] = str(profile["display_name"])[:MAX_DISPLAY_NAME]
    if choices.get("bio") and profile.get("bio"):
        changes["bio"] = str(profile["bio"])[:MAX_BIO]
    if changes:
        try:
            profile_update(user=user, **changes)
            result["profile"] = sorted(changes)
        except HavenError as exc:
            result["profile_error"] = exc.code
    # The upload is opened once (at the first file needed) for the avatar and the posts' media.
    with import_media.session(job, result) as media:
        if choices.get("avatar") and profile.get("avatar_path"):
            error = import_media.set_avatar(media, user, str(profile["avatar_path"]))
            result["avatar"] = error is None
            if error:
                result["avatar_error"] = error
        if choices.get("posts"):
            _import_posts(job, findings.get("posts") or [], result)
    interests: dict[str, Any] = {"source": job.source}
    if choices.get("hashtags"):
        # Followed as topics (bounded by recommend's cap; invalid names skipped), and kept as an
        # interest signal for the first feed too.
        interests["hashtags"] = list(findings.get("hashtags") or [])
        result["topics_followed"] = len(_follow_topics(user, interests["hashtags"]))
    if choices.get("likes"):
        interests["liked"] = list(findings.get("liked") or [])
        interests["favourites"] = list(findings.get("favourites") or [])
    if choices.get("following"):
        notify = bool(choices.get("notify_on_join"))
        _keep_following(job, findings.get("following") or [], result, notify=notify)
    with transaction.atomic():
        # The findings (captions, handles) are no longer needed: the drafts, topics and the people
        # app's contact list hold what the member chose; nothing else is kept.
        if _move(
            job,
            src=IMPORTING,
            dst=DONE,
            result=result,
            interests=interests,
            findings={},
            progress=100,
            finished_at=timezone.now(),
        ):
            _delete_upload_later(job)


def _keep_following(job: ImportJob, handles: list[str], result: dict[str, Any], *, notify: bool) -> None:
    """The accounts followed on the platform become the member's contact list in people (merged with
    an earlier import's; invalid handles skipped), matched against members' former handles; the
    number offered as exact matches goes in the result (the done screen offers them in one tap)."""
    platform = job.source or "tiktok"
    try:
        merged = people_services.contacts_merge(
            user=job.user, platform=platform, handles=handles[:MAX_FOLLOWING], notify_on_join=notify
        )
    except HavenError as exc:  # never fatal: the drafts and topics stand
        logger.info("imports: job %s: the following list was not kept (%s)", job.pk, exc.code)
        result["following_error"] = exc.code
        return
    result["contacts_kept"] = merged.stored
    result["contacts_skipped"] = merged.skipped + merged.dropped
    found = people_selectors.matches_for(job.user, platform=platform, limit=people_selectors.MAX_MATCHES)
    result["people_here"] = sum(1 for match in found if match.kind == people_selectors.EXACT)
    result["people_likely"] = sum(1 for match in found if match.kind != people_selectors.EXACT)


def _follow_topics(user: User, hashtags: list[str]) -> list[str]:
    try:
        return topic_follows_set(user=user, topics=hashtags[:MAX_HASHTAGS], source="import")
    except HavenError as exc:  # never fatal: the hashtags stay an interest signal
        logger.info("imports: topics could not be followed for member %s (%s)", user.pk, exc.code)
        return []


def _import_posts(job: ImportJob, posts: list[dict[str, Any]], result: dict[str, Any]) -> None:
    source = job.source or "tiktok"
    existing = set(
        ImportedItem.objects.filter(
            user_id=job.user_id, source=source, kind=ImportedItem.Kind.POST
        ).values_list("key", flat=True)
    )
    total = max(1, len(posts))
    for index, post in enumerate(posts, start=1):
        key = post_key(post)
        if key in existing:
            result["drafts_skipped"] += 1
        else:
            outcome = _import_post(job, source, key, post)
            result[outcome] += 1
            if outcome == "drafts_created" and len(post.get("caption") or "") > BODY_MAX:
                result["captions_cut"] += 1
            existing.add(key)
        if index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk, state=IMPORTING).update(
                progress=min(99, index * 100 // total)
            )


def _import_post(job: ImportJob, source: str, key: str, post: Mapping[str, Any]) -> str:
    caption = str(post.get("caption") or "")[:BODY_MAX]
    visibility = _VISIBILITY.get(str(post.get("visibility")), Visibility.PRIVATE)
    link = str(post.get("link") or "")
    # The post's photos or video, read from the upload into the media pipeline before the draft's
    # transaction; discarded again when the draft is not created (another run made it, a refusal).
    with import_media.session_for(job) as media_session:
        made = import_media.post_media(media_session, job.user, post)
    try:
        with transaction.atomic():
            try:
                note = note_create(
                    author=job.user,
                    body=caption,
                    visibility=visibility,
                    publish=False,
                    image_ids=made.image_ids,
                    video_id=made.video_id,
                )
            except HavenError as exc:
                if exc.code not in ("invalid_images", "invalid_video"):
                    raise
                # A file whose processing failed meanwhile may not go into a note: the draft goes without.
                usable = import_media.usable_image_ids(job.user, made.image_ids)
                dropped = len(made.image_ids) - len(usable) + (1 if made.video_id is not None else 0)
                with import_media.session_for(job) as media_session:
                    media_session.failed("media_processing_failed", dropped)
                made = import_media.PostMedia(image_ids=usable)
                note = note_create(
                    author=job.user, body=caption, visibility=visibility, publish=False, image_ids=usable
                )
            ImportedItem.objects.create(
                user_id=job.user_id,
                job=job,
                source=source,
                kind=ImportedItem.Kind.POST,
                key=key,
                note=note,
                original_posted_at=_parse_time(post.get("posted_at")),
                original_link=link if len(link) <= 2048 else "",
            )
    except IntegrityError:  # another run created it first
        made.discard()
        return "drafts_skipped"
    except HavenError as exc:
        made.discard()
        logger.info("imports: job %s: a post was refused (%s)", job.pk, exc.code)
        return "drafts_failed"
    with import_media.session_for(job) as media_session:
        media_session.attached(made)
    return "drafts_created"


# ---------------------------------------------------------------------------------------------
# Cancel, delete, expire


def import_cancel(*, user: User, job_id: int) -> ImportJob:
    """Stop an import before it creates anything: the upload and findings go. Cancelling twice is fine."""
    job = access.job_or_404(user, job_id)
    if job.state == CANCELLED:
        return job
    for src in (UPLOADED, PARSING, REVIEW):
        if job.state != src:
            continue
        with transaction.atomic():
            if _move(job, src=src, dst=CANCELLED, findings=None, finished_at=timezone.now()):
                _delete_upload_later(job)
                return job
        job.refresh_from_db()
        if job.state == CANCELLED:
            return job
    raise Conflict(_("This import can no longer be cancelled."), code=NOT_CANCELLABLE)


def import_delete(*, user: User, job_id: int) -> None:
    """Delete an import job, its upload and findings. Drafts it created stay (they are notes now)."""
    job = access.job_or_404(user, job_id)
    if job.state == IMPORTING:
        raise Conflict(_("This import is still creating your drafts. Try again in a moment."), code=BUSY)
    with transaction.atomic():
        deleted = ImportJob.objects.filter(pk=job.pk).exclude(state=IMPORTING).delete()[0]
        if not deleted:
            raise Conflict(_("This import is still creating your drafts. Try again in a moment."), code=BUSY)
        _delete_upload_later(job)


def imports_expire(cutoff: datetime) -> int:
    """Retention: jobs started before `cutoff` lose their upload and findings; one still waiting for
    review expires, one stalled while parsing or importing fails. Returns the jobs changed."""
    changed = 0
    stale = ImportJob.objects.filter(created_at__lt=cutoff).exclude(file_name="", findings__isnull=True)
    for job in list(stale.order_by("pk")[:EXPIRE_BATCH]):
        if job.state in (UPLOADED, PARSING, REVIEW):
            _move(job, src=job.state, dst=EXPIRED, finished_at=timezone.now())
        elif job.state == IMPORTING:
            _move(
                job, src=IMPORTING, dst=FAILED, detail=STALLED, error_code=STALLED, finished_at=timezone.now()
            )
        _delete_upload(job)
        if job.file_name:
            continue  # storage down: kept for the next run
        ImportJob.objects.filter(pk=job.pk).update(findings=None)
        changed += 1
    return changed


def imports_erase(user: Any) -> int:
    """Erasure: delete every upload of the member, then their jobs (transitions go with them)."""
    for job in ImportJob.objects.filter(user_id=user.pk).exclude(file_name=""):
        _delete_upload(job)
    return delete_in_batches(ImportJob.objects.filter(user_id=user.pk))


__all__ = [
    "CHOICES",
    "findings_of",
    "import_cancel",
    "import_confirm",
    "import_delete",
    "import_parse",
    "import_run",
    "import_upload",
    "imports_erase",
    "imports_expire",
    "post_key",
]
