"""Tests of media services, selectors and access rules against real rows and files."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import ExifTags, Image

from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited, TooLarge, UnsupportedMedia
from haven.media import access, selectors, services, tasks
from haven.media.models import MediaImage, MediaTransition
from haven.media.states import MEDIA_LIFECYCLE
from haven.media.tests.factories import MediaImageFactory, UserFactory, attach_to_note, gps_jpeg, png, upload

pytestmark = pytest.mark.django_db


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def assert_nothing_stored() -> None:
    assert MediaImage.objects.count() == 0
    assert MediaTransition.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def transitions(image: MediaImage) -> list[tuple[str, str]]:
    return list(image.transitions.order_by("pk").values_list("src", "dst"))


@pytest.fixture
def member():
    return UserFactory()


def uploaded(member, data: bytes, django_capture_on_commit_callbacks) -> MediaImage:
    with django_capture_on_commit_callbacks(execute=True):
        image = services.image_upload(owner=member, file=upload(data))
    image.refresh_from_db()
    return image


def test_upload_keeps_original_privately_and_processes(member, django_capture_on_commit_callbacks) -> None:
    data = gps_jpeg((1600, 1200))
    image = uploaded(member, data, django_capture_on_commit_callbacks)

    assert image.state == "ready"
    assert image.owner == member
    assert (image.original_format, image.width, image.height) == ("JPEG", 1600, 1200)
    assert image.byte_size == len(data)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert image.original_path.startswith(f"originals/{member.pk}/") and image.original_path.endswith(".jpg")
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / image.original_path).read_bytes() == data
    assert not (Path(settings.MEDIA_ROOT) / image.original_path).exists()
    assert image.grid_path.startswith(f"r/{image.pk}/") and image.grid_path.endswith("-grid.webp")
    assert image.detail_path.startswith(f"r/{image.pk}/") and image.detail_path.endswith("-detail.webp")
    assert image.blurhash and image.processed_at and image.error_code == "" and image.attempts == 1
    assert transitions(image) == [("", "uploaded"), ("uploaded", "processing"), ("processing", "ready")]
    with default_storage.open(image.grid_path) as fh:
        assert Image.open(fh).size == (540, 405)
    with default_storage.open(image.detail_path) as fh:
        assert Image.open(fh).size == (1440, 1080)


def test_served_renditions_carry_no_metadata(member, django_capture_on_commit_callbacks) -> None:
    data = gps_jpeg((1200, 800), orientation=6)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    image = uploaded(member, data, django_capture_on_commit_callbacks)
    assert (image.width, image.height) == (800, 1200)  # upright
    served = files_under(settings.MEDIA_ROOT)
    assert len(served) == 2
    for path in served:
        raw = path.read_bytes()
        img = Image.open(io.BytesIO(raw))
        assert img.format == "WEBP"
        assert img.height > img.width  # orientation applied to pixels, not left as a tag
        assert not img.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(img.info)
        for secret in (b"GPS", b"Exif", b"HavenCam", b"SecretPhone"):
            assert secret not in raw


def test_heic_upload(member, django_capture_on_commit_callbacks) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    buffer = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (320, 240), (10, 160, 90))).save(buffer, quality=70)
    except Exception as exc:
        pytest.skip(f"pillow-heif cannot encode HEIC here: {exc}")
    image = uploaded(member, buffer.getvalue(), django_capture_on_commit_callbacks)
    assert image.original_format == "HEIF" and image.original_path.endswith(".heic")
    assert image.state == "ready"


def _huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "error", "code"),
    [
        (_huge_png, TooLarge, "image_too_large"),
        (lambda: gps_jpeg((800, 600))[:4000], InvalidInput, "corrupt_image"),
        (
            lambda: b"<!doctype html><html><body>not a photo</body></html>",
            UnsupportedMedia,
            "unsupported_format",
        ),
        (lambda: gps_jpeg((200, 200)) + b"\0" * 100_001, TooLarge, "file_too_large"),
    ],
    ids=["huge-dimensions", "truncated-jpeg", "html-named-jpg", "over-byte-limit"],
)
def test_bad_uploads_are_refused_and_leave_nothing(member, monkeypatch, make, error, code) -> None:
    monkeypatch.setattr(settings.HAVEN, "max_upload_bytes", 100_000)
    data = make()
    if code == "file_too_large":
        assert len(data) > 100_000
    with pytest.raises(error) as err:
        services.image_upload(owner=member, file=upload(data, "photo.jpg"))
    assert err.value.code == code
    assert_nothing_stored()


def test_failed_database_write_removes_the_stored_original(member, monkeypatch) -> None:
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(MediaTransition.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.image_upload(owner=member, file=upload(gps_jpeg((100, 100))))
    assert_nothing_stored()


def test_pending_upload_quota(member) -> None:
    MediaImageFactory.create_batch(services.MAX_PENDING_UPLOADS - 1, owner=member)
    old = MediaImageFactory(owner=member)
    MediaImage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    attach_to_note(MediaImageFactory(owner=member, state="ready"))
    services.image_upload(owner=member, file=upload(png()))  # the 100th pending one
    with pytest.raises(RateLimited) as err:
        services.image_upload(owner=member, file=upload(png()))
    assert err.value.code == "too_many_pending_uploads"
    services.image_upload(owner=UserFactory(), file=upload(png()))  # others are not affected


def test_processing_twice_is_harmless(member, django_capture_on_commit_callbacks) -> None:
    image = uploaded(member, gps_jpeg((300, 200)), django_capture_on_commit_callbacks)
    before = (image.grid_path, image.detail_path, image.processed_at)
    services.image_process(image_id=image.pk)
    tasks.process_image.call(image_id=image.pk)
    image.refresh_from_db()
    assert (image.grid_path, image.detail_path, image.processed_at) == before
    assert len(transitions(image)) == 3
    assert len(files_under(settings.MEDIA_ROOT)) == 2


def test_processing_is_skipped_when_another_worker_holds_the_image(member) -> None:
    image = MediaImageFactory(owner=member, state="processing")
    services.image_process(image_id=image.pk)
    image.refresh_from_db()
    assert image.state == "processing" and image.attempts == 0
    services.image_process(image_id=999_999)  # a deleted image is a no-op


def test_processing_failure_leaves_failed_with_code(member) -> None:
    image = services.image_upload(owner=member, file=upload(gps_jpeg((300, 200))))
    (Path(settings.PRIVATE_MEDIA_ROOT) / image.original_path).write_bytes(b"garbage now")
    services.image_process(image_id=image.pk)
    image.refresh_from_db()
    assert image.state == "failed"
    assert image.error_code == "unsupported_format"
    assert transitions(image) == [("", "uploaded"), ("uploaded", "processing"), ("processing", "failed")]
    assert files_under(settings.MEDIA_ROOT) == []
    assert selectors.rendition_url(image, "grid") == ""
    services.image_process(image_id=image.pk)  # still harmless
    assert len(transitions(image)) == 3


def test_missing_original_fails_with_processing_error(member) -> None:
    image = MediaImageFactory(owner=member, original_path="originals/nope/missing.jpg")
    services.image_process(image_id=image.pk)
    image.refresh_from_db()
    assert (image.state, image.error_code) == ("failed", "processing_error")


def test_retry_after_failure(member, django_capture_on_commit_callbacks) -> None:
    data = gps_jpeg((300, 200))
    image = services.image_upload(owner=member, file=upload(data))
    original = Path(settings.PRIVATE_MEDIA_ROOT) / image.original_path
    original.write_bytes(b"broken")
    services.image_process(image_id=image.pk)
    original.write_bytes(data)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.image_retry(image_id=image.pk) is True
    image.refresh_from_db()
    assert (image.state, image.error_code, image.attempts) == ("ready", "", 2)
    assert services.image_retry(image_id=image.pk) is False  # ready images stay ready


def test_lifecycle_graph_refuses_undeclared_transitions() -> None:
    assert MEDIA_LIFECYCLE.can("uploaded", "processing")
    assert MEDIA_LIFECYCLE.can("processing", "uploaded")
    with pytest.raises(Conflict) as err:
        MEDIA_LIFECYCLE.check("ready", "processing")
    assert err.value.code == "invalid_transition"
    assert not MEDIA_LIFECYCLE.can("uploaded", "ready")


def test_delete_removes_row_and_files(member, django_capture_on_commit_callbacks) -> None:
    image = uploaded(member, gps_jpeg((300, 200)), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.image_delete(owner=member, image_id=image.pk)
    assert_nothing_stored()


def test_delete_refused_while_in_a_note_or_for_others(member) -> None:
    image = MediaImageFactory(owner=member, state="ready")
    with pytest.raises(NotFound):
        services.image_delete(owner=UserFactory(), image_id=image.pk)
    attach_to_note(image)
    with pytest.raises(Conflict) as err:
        services.image_delete(owner=member, image_id=image.pk)
    assert err.value.code == "image_in_use"
    assert MediaImage.objects.filter(pk=image.pk).exists()


def test_cleanup_deletes_stale_unattached_uploads(member, django_capture_on_commit_callbacks) -> None:
    stale = uploaded(member, gps_jpeg((300, 200)), django_capture_on_commit_callbacks)
    fresh = uploaded(member, gps_jpeg((300, 200)), django_capture_on_commit_callbacks)
    used = MediaImageFactory(owner=member, state="ready")
    attach_to_note(used)
    day_old = timezone.now() - timedelta(hours=25)
    MediaImage.objects.filter(pk__in=[stale.pk, used.pk]).update(created_at=day_old)
    orphan = Path(settings.PRIVATE_MEDIA_ROOT) / "originals" / str(member.pk) / "orphan.jpg"
    orphan.write_bytes(b"left behind by a rolled back transaction")
    import os

    os.utime(orphan, (day_old.timestamp(), day_old.timestamp()))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.image_cleanup()

    assert result["deleted"] == 1 and result["orphans"] == 1
    assert set(MediaImage.objects.values_list("pk", flat=True)) == {fresh.pk, used.pk}
    assert not orphan.exists()
    remaining = {p.name for p in files_under(settings.MEDIA_ROOT)} | {
        p.name for p in files_under(settings.PRIVATE_MEDIA_ROOT)
    }
    assert remaining == {Path(p).name for p in (fresh.grid_path, fresh.detail_path, fresh.original_path)}


def test_cleanup_retries_or_fails_stalled_processing(member, django_capture_on_commit_callbacks) -> None:
    long_ago = timezone.now() - timedelta(hours=1)
    retry = MediaImageFactory(owner=member, state="processing", attempts=1, original_path="originals/x/a.jpg")
    give_up = MediaImageFactory(owner=member, state="processing", attempts=services.MAX_ATTEMPTS)
    recent = MediaImageFactory(owner=member, state="processing", attempts=1)
    MediaImage.objects.filter(pk__in=[retry.pk, give_up.pk]).update(state_changed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.image_cleanup()
    assert (result["retried"], result["failed"]) == (1, 1)
    states = dict(MediaImage.objects.values_list("pk", "state"))
    assert states[give_up.pk] == "failed" and states[recent.pk] == "processing"
    # retried: sent back to uploaded and processed again (its original is missing, so it fails cleanly)
    assert transitions(MediaImage.objects.get(pk=retry.pk))[-3:] == [
        ("processing", "uploaded"),
        ("uploaded", "processing"),
        ("processing", "failed"),
    ]
    assert MediaImage.objects.get(pk=give_up.pk).error_code == "processing_timeout"


def test_cleanup_command(member) -> None:
    image = MediaImageFactory(owner=member)
    MediaImage.objects.filter(pk=image.pk).update(created_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("media_cleanup", stdout=out)
    assert "deleted: 1" in out.getvalue()
    assert not MediaImage.objects.exists()


def test_usable_images_keeps_order_and_refuses_bad_ids(member) -> None:
    a, b = MediaImageFactory(owner=member, state="ready"), MediaImageFactory(owner=member)
    failed = MediaImageFactory(owner=member, state="failed")
    foreign = MediaImageFactory(state="ready")
    assert access.usable_images(member, [b.pk, a.pk]) == [b, a]
    assert access.usable_images(member, []) == []
    for ids in ([a.pk, foreign.pk], [a.pk, failed.pk], [a.pk, 999_999], [a.pk, a.pk]):
        with pytest.raises(InvalidInput) as err:
            access.usable_images(member, ids)
        assert err.value.code == "invalid_images"


def test_owned_image_or_404(member) -> None:
    image = MediaImageFactory(owner=member)
    assert access.owned_image_or_404(member, image.pk) == image
    with pytest.raises(NotFound):
        access.owned_image_or_404(UserFactory(), image.pk)
    with pytest.raises(NotFound):
        access.owned_image_or_404(member, 999_999)


def test_rendition_url_and_status() -> None:
    pending = MediaImageFactory()
    assert selectors.rendition_url(pending, "grid") == ""
    ready = MediaImageFactory(state="ready", grid_path="r/1/t-grid.webp", detail_path="r/1/t-detail.webp")
    # outside a note (the uploader's composer) a URL is signed and bound to the uploader
    assert selectors.rendition_url(ready, "grid").startswith(f"/media/r/{ready.pk}/t-grid.webp?n=0&e=")
    assert selectors.rendition_url(ready, "detail").startswith(f"/media/r/{ready.pk}/t-detail.webp?n=0&e=")
    status = selectors.image_status(ready)
    assert status["state"] == "ready" and "grid.webp?" in status["grid_url"]
