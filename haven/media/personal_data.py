"""Media in the personal-data registry: uploads exported as originals, erased with their files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.accounts.models import User
from haven.core import images, personal_data
from haven.media import services
from haven.media.models import MediaImage


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


def register_all() -> None:
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
