"""Media on a real S3-compatible server (HAVEN_STORAGE_URL=s3://..., CI's scaled profile: scripts/s3-up).

The bucket is listed and read with boto3 directly, beside the storage backend under test; ranged
reads are checked to be ranged GETs of the object, not downloads of the whole file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from django.test import Client

from haven.media import regions, services, serving
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.media.tests.factories import UserFactory, gps_jpeg, upload
from haven.media.tests.storage import StorageUnderTest, s3_client, s3_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not s3_url(),
        reason="needs an S3 server: set HAVEN_STORAGE_URL=s3://... (scripts/s3-up prints it)",
    ),
]


@pytest.fixture
def s3(media_storage: StorageUnderTest) -> tuple[Any, str, str]:
    """(boto3 client, bucket, this test's key prefix)."""
    assert media_storage.kind == "s3"
    return s3_client(media_storage.url)


@pytest.fixture
def object_reads(settings: Any) -> Iterator[list[dict[str, Any]]]:
    """The parameters of every GetObject the default region's renditions storage sends."""
    calls: list[dict[str, Any]] = []
    storage: Any = regions.storages_for("default").renditions
    client = storage.connection.meta.client

    def record(params: dict[str, Any], **_kwargs: Any) -> None:
        calls.append(dict(params))

    client.meta.events.register("provide-client-params.s3.GetObject", record)
    yield calls
    client.meta.events.unregister("provide-client-params.s3.GetObject", record)


def uploaded(django_capture_on_commit_callbacks: Any) -> MediaImage:
    with django_capture_on_commit_callbacks(execute=True):
        image = services.image_upload(owner=UserFactory.create(), file=upload(gps_jpeg((900, 700))))
    image.refresh_from_db()
    assert image.state == MediaImage.State.READY
    return image


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def body_of(client: Any, bucket: str, key: str) -> bytes:
    return bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())


def test_uploads_go_to_the_bucket_originals_private(
    s3, storage_listing, settings, django_capture_on_commit_callbacks
):
    client, bucket, prefix = s3
    image = uploaded(django_capture_on_commit_callbacks)
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/")["Contents"]}
    assert keys == {
        f"{prefix}/private/{image.original_path}",
        f"{prefix}/media/{image.grid_path}",
        f"{prefix}/media/{image.detail_path}",
    }
    original = body_of(client, bucket, f"{prefix}/private/{image.original_path}")
    assert len(original) == image.byte_size and original[:2] == b"\xff\xd8"
    assert body_of(client, bucket, f"{prefix}/media/{image.grid_path}")[:4] == b"RIFF"
    # Nothing on the local disk; nothing readable from the bucket without credentials.
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    anonymous = boto3.client(
        "s3",
        endpoint_url=client.meta.endpoint_url,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED),
    )
    for key in (f"{prefix}/private/{image.original_path}", f"{prefix}/media/{image.grid_path}"):
        with pytest.raises(ClientError) as refused:
            anonymous.get_object(Bucket=bucket, Key=key)
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] in (401, 403)
    # The storage hands out the app's URLs, never the bucket's.
    assert regions.storages_for("default").renditions.url(image.grid_path) == f"/media/{image.grid_path}"


def test_renditions_are_served_through_the_app_with_ranged_gets(
    s3, object_reads, django_capture_on_commit_callbacks
):
    client, bucket, prefix = s3
    image = uploaded(django_capture_on_commit_callbacks)
    stored = body_of(client, bucket, f"{prefix}/media/{image.detail_path}")
    url = rendition_url(image, "detail")

    object_reads.clear()
    whole = Client().get(url)
    assert whole.status_code == 200 and content(whole) == stored
    assert whole["Content-Length"] == str(len(stored))
    assert (
        whole["ETag"] == client.head_object(Bucket=bucket, Key=f"{prefix}/media/{image.detail_path}")["ETag"]
    )
    assert [call.get("Range") for call in object_reads] == [None]

    object_reads.clear()
    part = Client().get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and content(part) == stored[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(stored)}"
    assert [call.get("Range") for call in object_reads] == ["bytes=100-199"]

    object_reads.clear()
    suffix = Client().get(url, headers={"Range": "bytes=-10"})
    assert suffix.status_code == 206 and content(suffix) == stored[-10:]
    assert [call.get("Range") for call in object_reads] == [f"bytes={len(stored) - 10}-{len(stored) - 1}"]

    object_reads.clear()
    assert Client().get(url, headers={"Range": f"bytes={len(stored)}-"}).status_code == 416
    assert Client().head(url).status_code == 200
    assert Client().get(url, headers={"If-None-Match": whole["ETag"]}).status_code == 304
    assert object_reads == []  # HEAD, 416 and 304 read no object body


def test_a_missing_object_is_404_and_a_refusing_server_503(
    s3, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    client, bucket, prefix = s3
    image = uploaded(django_capture_on_commit_callbacks)
    client.delete_object(Bucket=bucket, Key=f"{prefix}/media/{image.grid_path}")
    assert Client().get(rendition_url(image, "grid")).status_code == 404

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")  # a new storage with wrong credentials
    with pytest.raises(serving.StorageUnavailable):
        serving.serve_file(
            Client().get("/").wsgi_request,
            regions.storages_for("default").renditions,
            image.detail_path,
            content_type="image/webp",
            cache_control="private",
        )
    response = Client().get(rendition_url(image, "detail"))
    assert response.status_code == 503 and response["Retry-After"]
    with pytest.raises(serving.StorageUnavailable):  # an upload is refused with a 503 too, not a 500
        services.image_upload(owner=image.owner, file=upload(gps_jpeg((300, 200))))
    assert MediaImage.objects.filter(owner=image.owner).count() == 1


def test_region_cleanup_and_erasure_work_on_the_bucket(
    s3, storage_listing, django_capture_on_commit_callbacks
):
    image = uploaded(django_capture_on_commit_callbacks)
    stray = f"originals/{image.owner_id}/stray.jpg"
    regions.storages_for("default").originals.save(stray, io.BytesIO(b"x"))
    assert f"private/{stray}" in storage_listing()
    services.media_delete_all_for_user(user=image.owner)
    assert storage_listing() == set()
