"""Media in the personal-data registry: uploads exported as originals, erased with their files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.accounts.models import User
from haven.core import images, personal_data
from haven.media import services
from haven.media.models import MediaImage, MediaUpload, MediaVideo, VideoCaption


def _images(user: User) -> Iterator[dict[str, Any]]:
    for image in MediaImage.objects.filter(owner=user).order_by("pk"):
        yield {
            "id": image.pk,
            "state": image.state,
            "format": image.original_format,
            "byte_size": image.byte_size,
            "width": image.width,
            "height": image.height,
            "storage_region": image.storage_region,
            "uploaded_at": image.created_at,
            "file": f"files/media/{image.pk}.{_extension(image)}" if image.original_path else None,
        }


def _extension(image: MediaImage) -> str:
    return images.EXTENSIONS.get(image.original_format) or image.original_path.rsplit(".", 1)[-1]


def _files(user: User) -> Iterator[personal_data.ExportFile]:
    for archive_name, opener in services.media_files_for_export(user):
        yield personal_data.ExportFile(archive_name=archive_name, open=opener)


def _erase(user: User) -> int:
    # Files in every region first (outside the transaction); rows still used by a note go with the
    # note's erasure and then with the User row (MediaImage.owner cascades).
    return services.media_delete_all_for_user(user=user)


def _videos(user: User) -> Iterator[dict[str, Any]]:
    for video in MediaVideo.objects.filter(owner=user).order_by("pk"):
        yield {
            "id": video.pk,
            "state": video.state,
            "container": video.original_container,
            "byte_size": video.byte_size,
            "duration_ms": video.duration_ms,
            "width": video.width,
            "height": video.height,
            "poster_at_ms": video.poster_at_ms,
            "views": video.view_count,
            "storage_region": video.storage_region,
            "uploaded_at": video.created_at,
            "file": f"files/media/videos/{video.pk}.{video.original_container}"
            if video.original_path
            else None,
        }


def _captions(user: User) -> Iterator[dict[str, Any]]:
    for caption in VideoCaption.objects.filter(video__owner=user).order_by("video_id", "language"):
        yield {
            "video_id": caption.video_id,
            "language": caption.language,
            "source": caption.source,
            "translated_from": caption.translated_from,
            "cue_count": caption.cue_count,
            "webvtt": caption.vtt,
            "updated_at": caption.updated_at,
        }


def _uploads(user: User) -> Iterator[dict[str, Any]]:
    for upload in MediaUpload.objects.filter(owner=user).order_by("created_at"):
        yield {
            "id": str(upload.id),
            "state": upload.state,
            "filename": upload.filename,
            "length": upload.length,
            "offset": upload.offset,
            "created_at": upload.created_at,
        }


def _video_files(user: User) -> Iterator[personal_data.ExportFile]:
    for archive_name, opener in services.video_files_for_export(user):
        yield personal_data.ExportFile(archive_name=archive_name, open=opener)


def _erase_videos(user: User) -> int:
    return services.videos_delete_all_for_user(user=user)


def _erase_uploads(user: User) -> int:
    """Partial files of resumable uploads, then their rows (idempotent)."""
    from haven.media import tus

    uploads = list(MediaUpload.objects.filter(owner=user))
    for upload in uploads:
        tus.partial_file(upload).unlink(missing_ok=True)
    MediaUpload.objects.filter(owner=user).delete()
    return len(uploads)


def register_all() -> None:
    personal_data.register(
        MediaVideo,
        section="videos",
        owner_fields=["owner"],
        exporter=_videos,
        eraser=_erase_videos,
        files=_video_files,
        outside_transaction=True,
        order=20,
    )
    personal_data.register(
        VideoCaption,
        section="video_captions",
        owner_fields=[],
        exporter=_captions,
        eraser=None,
        erased_with="media.MediaVideo",
    )
    personal_data.register(
        MediaUpload,
        section="video_uploads",
        owner_fields=["owner"],
        exporter=_uploads,
        eraser=_erase_uploads,
        outside_transaction=True,
        order=20,
    )
    personal_data.register(
        MediaImage,
        section="media",
        owner_fields=["owner"],
        exporter=_images,
        eraser=_erase,
        files=_files,
        outside_transaction=True,
        order=20,
    )
