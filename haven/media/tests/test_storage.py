"""Media storage in both profiles: what an upload stores, serving it with ranges, and no orphans.

Each test runs against the storage of the run: local folders, or an S3 bucket when the run has
HAVEN_STORAGE_URL=s3://... (CI's scaled profile; haven/media/tests/storage.py). The listings are of
the storage itself, so a file left behind by any code path shows up.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from pydantic import ValidationError

from config.env import HavenSettings
from haven.accounts import services as account_services
from haven.media import regions, services, serving
from haven.media.models import MediaImage, MediaVideo
from haven.media.selectors import rendition_url
from haven.media.tests.factories import UserFactory, gps_jpeg, png, upload
from haven.notes import services as note_services

pytestmark = pytest.mark.django_db


def uploaded(owner, django_capture_on_commit_callbacks) -> MediaImage:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        image = services.image_upload(owner=owner, file=upload(gps_jpeg((900, 700))))
    image.refresh_from_db()
    assert image.state == MediaImage.State.READY
    return image


def keys_of(image: MediaImage) -> set[str]:
    return {f"private/{image.original_path}", f"media/{image.grid_path}", f"media/{image.detail_path}"}


def stored_bytes(image: MediaImage, path: str) -> bytes:
    with regions.storages_for(image.storage_region).renditions.open(path, "rb") as handle:
        return bytes(handle.read())


def content(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def test_an_upload_is_stored_privately_and_served_with_ranges(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    image = uploaded(UserFactory(), django_capture_on_commit_callbacks)
    assert storage_listing() == keys_of(image)
    assert image.original_path.startswith("originals/") and image.grid_path.startswith(f"r/{image.pk}/")

    url = rendition_url(image, "detail")
    expected = stored_bytes(image, image.detail_path)
    whole = Client().get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "image/webp"
    assert content(whole) == expected and whole["Content-Length"] == str(len(expected))
    assert whole["Accept-Ranges"] == "bytes" and whole["ETag"]
    assert whole["Cache-Control"].startswith("private, max-age=")

    head = Client().get(url, headers={"Range": "bytes=0-3"})
    assert head.status_code == 206 and content(head) == b"RIFF"
    assert head["Content-Range"] == f"bytes 0-3/{len(expected)}"
    tail = Client().get(url, headers={"Range": "bytes=-7", "Accept-Encoding": "gzip"})
    assert tail.status_code == 206 and content(tail) == expected[-7:]
    assert not tail.has_header("Content-Encoding")
    beyond = Client().get(url, headers={"Range": f"bytes={len(expected)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(expected)}"
    assert Client().get(url, headers={"If-None-Match": whole["ETag"]}).status_code == 304
    assert Client().head(url).status_code == 200

    # Missing and forbidden look the same: a URL without its signature is a 404.
    assert Client().get(url.split("?")[0]).status_code == 404


def test_a_rendition_gone_from_the_storage_is_404(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    image = uploaded(UserFactory(), django_capture_on_commit_callbacks)
    regions.storages_for(image.storage_region).renditions.delete(image.grid_path)
    assert f"media/{image.grid_path}" not in storage_listing()
    assert Client().get(rendition_url(image, "grid")).status_code == 404
    assert Client().get(rendition_url(image, "grid"), headers={"Range": "bytes=0-1"}).status_code == 404


def test_deleting_a_note_deletes_its_files(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    """Deleting a note deletes the files of its images that nothing else uses; shared ones stay."""
    author = UserFactory()
    own, shared, pending = (uploaded(author, django_capture_on_commit_callbacks) for _ in range(3))
    first = note_services.note_create(
        author=author, title="first", image_ids=[own.pk, shared.pk], publish=False
    )
    note_services.note_publish(actor=author, note_id=first.pk)
    second = note_services.note_create(author=author, title="second", image_ids=[shared.pk])
    assert storage_listing() == keys_of(own) | keys_of(shared) | keys_of(pending)

    with django_capture_on_commit_callbacks(execute=True):
        note_services.note_delete(actor=author, note_id=first.pk)
    assert storage_listing() == keys_of(shared) | keys_of(pending)  # an upload not in a note yet stays
    assert not MediaImage.objects.filter(pk=own.pk).exists()
    assert Client().get(rendition_url(shared, "grid")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        note_services.note_delete(actor=author, note_id=second.pk)
    assert storage_listing() == keys_of(pending)
    assert set(MediaImage.objects.filter(owner=author).values_list("pk", flat=True)) == {pending.pk}


def test_a_deletion_that_rolls_back_keeps_the_files(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    author = UserFactory()
    image = uploaded(author, django_capture_on_commit_callbacks)
    note = note_services.note_create(author=author, title="kept", image_ids=[image.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # the transaction never commits
        note_services.note_delete(actor=author, note_id=note.pk)
    assert callbacks and storage_listing() == keys_of(image)


def test_avatars_are_stored_and_served_from_the_default_storage(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        account_services.avatar_set(user=member, file=io.BytesIO(png((300, 200))))
    assert member.avatar.startswith(f"avatars/{member.pk}/")
    assert storage_listing() == {f"media/{member.avatar}"}

    request = RequestFactory().get(f"/media/{member.avatar}", headers={"Range": "bytes=0-3"})
    response = serving.serve_avatar(request, member.avatar)
    assert response.status_code == 206 and content(response) == b"RIFF"
    assert response["Cache-Control"] == f"public, max-age={serving.AVATAR_MAX_AGE}"
    for bad in ("avatars/../private/x.webp", "originals/1/x.jpg", f"avatars/{member.pk}/x.svg"):
        with pytest.raises(serving.Http404):
            serving.serve_avatar(RequestFactory().get("/"), bad)

    with django_capture_on_commit_callbacks(execute=True):
        account_services.avatar_remove(user=member)
    assert storage_listing() == set()


def test_cleanup_removes_orphan_originals_from_the_storage(
    media_storage, storage_listing, django_capture_on_commit_callbacks
):
    """An original without a row (an upload whose transaction rolled back) goes after a day, in an
    object store too (where "originals/" is a key prefix, not a folder that exists)."""
    author = UserFactory()
    image = uploaded(author, django_capture_on_commit_callbacks)
    note_services.note_create(author=author, title="kept", image_ids=[image.pk])
    stray = f"originals/{author.pk}/stray.jpg"
    regions.storages_for("default").originals.save(stray, io.BytesIO(b"left behind"))
    video_original = f"originals/{author.pk}/v-kept.mp4"  # a video's original shares the folder
    regions.storages_for("default").originals.save(video_original, io.BytesIO(b"not an orphan"))
    MediaVideo.objects.create(owner=author, original_path=video_original, state=MediaVideo.State.READY)
    kept = keys_of(image) | {f"private/{video_original}"}
    assert services.image_cleanup()["orphans"] == 0  # too young yet
    assert storage_listing() == kept | {f"private/{stray}"}
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.image_cleanup(now=later)["orphans"] == 1
    assert storage_listing() == kept


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/srv/haven",
        "file:///srv/haven",
        "s3://haven",
        "s3://my.bucket-1?endpoint=http://127.0.0.1:8333&region=us-east-1&prefix=a/b&addressing=virtual",
    ],
)
def test_storage_urls_that_are_accepted(url):
    assert HavenSettings(storage_url=url).storage_url == url


@pytest.mark.parametrize(
    "url",
    [
        "relative/folder",
        "http://s3.example/bucket",
        "s3://UPPER",
        "s3://b",  # too short for a bucket name
        "s3://bucket/key",
        "s3://bucket?endpoint=ftp://s3.example",
        "s3://bucket?endpoint=s3.example",
        "s3://bucket?prefix=../escape",
        "s3://bucket?secret=1",
        "s3://bucket?region=a&region=b",
        "s3://bucket?addressing=weird",
    ],
)
def test_storage_urls_that_are_refused(url):
    with pytest.raises(ValidationError):
        HavenSettings(storage_url=url)


def test_the_storage_url_is_the_default_region_so_both_cannot_name_it():
    with pytest.raises(ValidationError, match="HAVEN_STORAGE_URL"):
        HavenSettings(storage_url="s3://haven", storage_regions="default=/srv/haven")
    assert HavenSettings(storage_url="s3://haven", storage_regions="eu=/srv/eu").storage_regions == {
        "eu": "/srv/eu"
    }


def test_s3_locations_map_onto_private_storages_with_app_urls(settings):
    options = regions.s3_options("s3://haven?endpoint=http://127.0.0.1:9&region=us-east-1&prefix=/a/b/")
    assert options["prefix"] == "a/b" and options["bucket_name"] == "haven"
    assert options["client_config"].s3 == {"addressing_style": "path"}  # what SeaweedFS/MinIO/Garage need
    assert options["default_acl"] is None and options["object_parameters"] == {}
    assert 0 < options["max_memory_size"] <= 8 * 1024 * 1024  # opened files spill to disk
    assert regions.s3_options("s3://haven?region=eu-west-1")["client_config"].s3 == {"addressing_style": None}
    settings.STORAGE_REGIONS = {"default": "s3://haven?endpoint=http://127.0.0.1:9&prefix=site"}
    storages_ = regions.storages_for("default")
    assert (storages_.originals.location, storages_.renditions.location) == ("site/private", "site/media")
    assert storages_.renditions.url("avatars/1/a b.webp") == "/media/avatars/1/a%20b.webp"
    assert regions.storages_for("default") is storages_  # one connection pool per location


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://haven?endpoint=http://127.0.0.1:9", "s3 haven.media.regions.default_storage_backend"),
        ("/srv/haven-media", "- /srv/haven-media/media /srv/haven-media/private"),
    ],
)
def test_settings_route_all_media_to_the_storage_url(url, expected, tmp_path):
    """config.settings with HAVEN_STORAGE_URL: S3 becomes the region "default" and the default storage;
    a folder becomes MEDIA_ROOT and PRIVATE_MEDIA_ROOT."""
    script = (
        "from config import settings as s; d = s.STORAGE_REGIONS.get('default');"
        "print('s3' if d else '-', "
        "s.STORAGES['default']['BACKEND'] if d else f'{s.MEDIA_ROOT} {s.PRIVATE_MEDIA_ROOT}')"
    )
    env = {**os.environ, "HAVEN_STORAGE_URL": url, "HAVEN_DATA_DIR": str(tmp_path), "PYTHONPATH": "."}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == expected, done.stderr[-2000:]
