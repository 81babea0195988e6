"""Data residency of media: files go to the owner's region, are served, moved and deleted from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pydantic import ValidationError

from config.env import HavenSettings
from haven.media import regions, services
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.media.tests.factories import UserFactory, attach_to_note, gps_jpeg, upload

pytestmark = pytest.mark.django_db


def files_under(root: Path) -> set[str]:
    root = Path(root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def eu(settings, tmp_path) -> Path:
    settings.STORAGE_REGIONS = {"eu": str(tmp_path / "eu"), "us": f"file://{tmp_path / 'us'}"}
    return tmp_path / "eu"


def uploaded(owner, django_capture_on_commit_callbacks) -> MediaImage:
    with django_capture_on_commit_callbacks(execute=True):
        image = services.image_upload(owner=owner, file=upload(gps_jpeg((800, 600))))
    image.refresh_from_db()
    assert image.state == "ready"
    return image


def image_files(image: MediaImage) -> set[str]:
    return {image.original_path, image.grid_path, image.detail_path}


def test_uploads_are_written_to_the_owners_region_only(eu, django_capture_on_commit_callbacks):
    owner = UserFactory(data_region="eu")
    image = uploaded(owner, django_capture_on_commit_callbacks)
    assert image.storage_region == "eu"
    assert files_under(eu / "private") == {image.original_path}
    assert files_under(eu / "media") == {image.grid_path, image.detail_path}
    assert files_under(settings.MEDIA_ROOT) == set() and files_under(settings.PRIVATE_MEDIA_ROOT) == set()
    # a member of the default region still writes to the data folder
    other = uploaded(UserFactory(), django_capture_on_commit_callbacks)
    assert other.storage_region == "default"
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == {other.original_path}
    assert files_under(eu / "private") == {image.original_path}


def test_a_region_that_is_not_configured_refuses_the_upload(eu, django_capture_on_commit_callbacks):
    owner = UserFactory(data_region="mars")
    with pytest.raises(regions.RegionUnavailable) as caught:
        services.image_upload(owner=owner, file=upload(gps_jpeg()))
    assert caught.value.status == 503 and caught.value.code == "storage_region_unavailable"
    assert not MediaImage.objects.exists()
    assert files_under(eu.parent) == set()


def test_renditions_are_served_from_the_recorded_region(eu, django_capture_on_commit_callbacks):
    owner = UserFactory(data_region="eu")
    image = uploaded(owner, django_capture_on_commit_callbacks)
    response = Client().get(rendition_url(image, "grid"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (eu / "media" / image.grid_path).read_bytes()
    # the recorded region wins over the owner's current one
    owner.data_region = "us"
    owner.save(update_fields=["data_region"])
    assert Client().get(rendition_url(image, "detail")).status_code == 200


def test_deleting_an_image_removes_its_files_in_its_region(eu, django_capture_on_commit_callbacks):
    owner = UserFactory(data_region="eu")
    image = uploaded(owner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.image_delete(owner=owner, image_id=image.pk)
    assert files_under(eu) == set()


def test_moving_a_member_copies_switches_and_cleans_up(eu, tmp_path, django_capture_on_commit_callbacks):
    owner = UserFactory()
    images = [uploaded(owner, django_capture_on_commit_callbacks) for _ in range(2)]
    first_original = (Path(settings.PRIVATE_MEDIA_ROOT) / images[0].original_path).read_bytes()
    # an interrupted earlier run left a partial copy behind
    partial = eu / "private" / images[0].original_path
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")
    owner.data_region = "eu"
    owner.save(update_fields=["data_region"])

    with django_capture_on_commit_callbacks(execute=True):
        services.media_move_region_later(user=owner)  # the task runs inline in tests

    assert set(MediaImage.objects.values_list("storage_region", flat=True)) == {"eu"}
    assert files_under(settings.MEDIA_ROOT) == set() and files_under(settings.PRIVATE_MEDIA_ROOT) == set()
    assert files_under(eu / "private") == {image.original_path for image in images}
    assert files_under(eu / "media") == {p for image in images for p in (image.grid_path, image.detail_path)}
    assert partial.read_bytes() == first_original
    for image in images:
        image.refresh_from_db()
        assert Client().get(rendition_url(image, "grid")).status_code == 200
    # idempotent: nothing left to do
    assert services.media_move_region(user_id=owner.pk) == {"moved": 0, "skipped": 0, "failed": 0}


def test_an_image_being_processed_is_not_moved(eu, django_capture_on_commit_callbacks):
    owner = UserFactory()
    image = uploaded(owner, django_capture_on_commit_callbacks)
    MediaImage.objects.filter(pk=image.pk).update(state="processing")
    owner.data_region = "eu"
    owner.save(update_fields=["data_region"])
    assert services.media_move_region(user_id=owner.pk) == {"moved": 0, "skipped": 1, "failed": 0}
    assert MediaImage.objects.get(pk=image.pk).storage_region == "default"
    assert files_under(eu) == set()


def test_delete_all_for_user_reaches_every_region(eu, django_capture_on_commit_callbacks):
    owner = UserFactory()
    at_home = uploaded(owner, django_capture_on_commit_callbacks)
    owner.data_region = "eu"
    owner.save(update_fields=["data_region"])
    abroad = uploaded(owner, django_capture_on_commit_callbacks)
    in_a_note = uploaded(owner, django_capture_on_commit_callbacks)
    attach_to_note(in_a_note)
    stray = Path(settings.PRIVATE_MEDIA_ROOT) / "originals" / str(owner.pk) / "stray.jpg"
    stray.write_bytes(b"left by an interrupted upload")
    bystander = uploaded(UserFactory(data_region="eu"), django_capture_on_commit_callbacks)

    assert services.media_delete_all_for_user(user=owner) == 3

    assert files_under(settings.PRIVATE_MEDIA_ROOT) == set() and files_under(settings.MEDIA_ROOT) == set()
    assert files_under(eu / "private") | files_under(eu / "media") == image_files(bystander)
    # rows: unattached ones are gone; the one a note uses waits for the notes eraser
    assert set(MediaImage.objects.filter(owner=owner).values_list("pk", flat=True)) == {in_a_note.pk}
    assert not MediaImage.objects.filter(pk__in=[at_home.pk, abroad.pk]).exists()
    assert services.media_delete_all_for_user(user=owner) == 1  # idempotent


def test_export_opens_each_original_from_its_region(eu, django_capture_on_commit_callbacks):
    owner = UserFactory()
    home = uploaded(owner, django_capture_on_commit_callbacks)
    owner.data_region = "eu"
    owner.save(update_fields=["data_region"])
    abroad = uploaded(owner, django_capture_on_commit_callbacks)
    files = dict(services.media_files_for_export(owner))
    assert set(files) == {f"media/{home.pk}.jpg", f"media/{abroad.pk}.jpg"}
    with files[f"media/{abroad.pk}.jpg"]() as fh:
        assert fh.read() == (eu / "private" / abroad.original_path).read_bytes()


def test_regions_offered_and_chosen(eu):
    assert regions.residency_regions() == [
        ("default", "This server"),
        ("eu", "European Union"),
        ("us", "United States"),
    ]
    assert regions.residency_region_for(UserFactory.build(data_region="eu")) == "eu"
    assert regions.residency_region_for(object()) == "default"


def test_s3_regions_need_django_storages(settings):
    settings.STORAGE_REGIONS = {"eu": "s3://haven-eu?endpoint=https://s3.example&region=eu-central-1"}
    try:
        import storages  # noqa: F401
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match="django-storages"):
            regions.storages_for("eu")
    else:
        storages_ = regions.storages_for("eu")
        assert storages_.originals.bucket_name == "haven-eu"
        assert storages_.originals.location == "private" and storages_.renditions.location == "media"


def test_the_setting_is_typed():
    parsed = HavenSettings(storage_regions="eu=/srv/haven-eu, us=s3://bucket?endpoint=https://s3.example")
    assert parsed.storage_regions == {"eu": "/srv/haven-eu", "us": "s3://bucket?endpoint=https://s3.example"}
    assert HavenSettings(storage_regions='{"asia": "file:///srv/asia"}').storage_regions == {
        "asia": "file:///srv/asia"
    }
    for bad in ("eu=relative/path", "EU=/srv/eu", "eu", "eu=http://example.com"):
        with pytest.raises(ValidationError):
            HavenSettings(storage_regions=bad)


@pytest.fixture
def s3_eu(settings, monkeypatch):
    """A region in an S3 bucket (moto's in-process S3: no network)."""
    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="eu-central-1")
        client.create_bucket(
            Bucket="haven-eu", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
        settings.STORAGE_REGIONS = {"eu": "s3://haven-eu?region=eu-central-1&prefix=haven"}

        def keys() -> set[str]:
            return {item["Key"] for item in client.list_objects_v2(Bucket="haven-eu").get("Contents", [])}

        yield keys


def test_an_s3_region_stores_serves_moves_and_deletes(s3_eu, django_capture_on_commit_callbacks):
    owner = UserFactory(data_region="eu")
    image = uploaded(owner, django_capture_on_commit_callbacks)
    assert s3_eu() == {f"haven/private/{image.original_path}"} | {
        f"haven/media/{p}" for p in (image.grid_path, image.detail_path)
    }
    assert files_under(settings.MEDIA_ROOT) == set() and files_under(settings.PRIVATE_MEDIA_ROOT) == set()
    response = Client().get(rendition_url(image, "grid"))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"RIFF"

    mover = UserFactory()
    at_home = uploaded(mover, django_capture_on_commit_callbacks)
    mover.data_region = "eu"
    mover.save(update_fields=["data_region"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.media_move_region(user_id=mover.pk)["moved"] == 1
    assert f"haven/private/{at_home.original_path}" in s3_eu()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == set()

    services.media_delete_all_for_user(user=owner)
    services.media_delete_all_for_user(user=mover)
    assert s3_eu() == set()
