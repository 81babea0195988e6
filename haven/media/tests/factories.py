"""factory_boy factories and sample image files for media tests."""

from __future__ import annotations

import io
from typing import Any

import factory
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from haven.accounts.tests.factories import UserFactory
from haven.media.models import MediaImage

__all__ = ["MediaImageFactory", "UserFactory", "attach_to_note", "gps_jpeg", "png", "upload"]


class MediaImageFactory(factory.django.DjangoModelFactory):
    """An uploaded image row (no file behind it). `MediaImageFactory(state="ready")` for a processed one."""

    class Meta:
        model = MediaImage

    owner = factory.SubFactory(UserFactory)
    state = MediaImage.State.UPLOADED
    original_path = factory.Sequence(lambda n: f"originals/test/{n}.jpg")
    original_format = "JPEG"
    width = 1080
    height = 1440


def gps_jpeg(size: tuple[int, int] = (1600, 1200), *, orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF carries a camera make, GPS coordinates and optionally an orientation."""
    img = Image.new("RGB", size, (30, 120, 200))
    img.paste((250, 200, 0), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HavenCam"
    exif[ExifTags.Base.Model] = "SecretPhone 9"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 2.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 4.5)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def png(size: tuple[int, int] = (64, 64), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def attach_to_note(image: MediaImage) -> Any:
    """Put `image` into a draft note of its owner (notes sit above media, so the models are looked up)."""
    note = apps.get_model("notes", "Note").objects.create(author=image.owner, title="t")
    return apps.get_model("notes", "NoteImage").objects.create(note=note, image=image, position=0)
