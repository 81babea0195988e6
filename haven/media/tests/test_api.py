"""HTTP contract tests of /api/v1/media: upload, status, delete, and every refusal with its code."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from PIL import Image

from haven.accounts.tests.factories import bearer, token_for
from haven.media import api as media_api
from haven.media.models import MediaImage
from haven.media.tests.factories import MediaImageFactory, UserFactory, attach_to_note, gps_jpeg, png, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/media/images"


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def assert_nothing_stored() -> None:
    assert MediaImage.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def post_image(client, data: bytes, name: str = "photo.jpg", **extra):
    return client.post(URL, {"file": upload(data, name)}, **extra)


def test_upload_then_poll_until_ready(member_client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_image(member_client, gps_jpeg((1600, 1200)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "state", "width", "height", "blurhash", "grid_url", "detail_url", "error_code"}
    assert (body["width"], body["height"]) == (1600, 1200)
    assert body["state"] in {"uploaded", "processing", "ready"}

    status = member_client.get(f"{URL}/{body['id']}")
    assert status.status_code == 200
    data = status.json()
    assert data["state"] == "ready"
    assert data["error_code"] == ""
    assert data["blurhash"]
    grid, detail = urlsplit(data["grid_url"]).path, urlsplit(data["detail_url"]).path
    assert grid.startswith(f"{settings.MEDIA_URL}r/") and grid.endswith("-grid.webp")
    assert detail.startswith(f"{settings.MEDIA_URL}r/") and detail.endswith("-detail.webp")
    # an upload is not in any note yet: its URLs are signed for the uploader's composer
    assert "s=" in urlsplit(data["grid_url"]).query
    assert member_client.get(data["grid_url"]).status_code == 200
    assert member_client.get(grid).status_code == 404


def test_uploaded_gps_photo_is_served_without_any_metadata(
    member_client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        image_id = post_image(member_client, gps_jpeg((1200, 900))).json()["id"]
    data = member_client.get(f"{URL}/{image_id}").json()
    for url in (data["grid_url"], data["detail_url"]):
        response = member_client.get(url)
        assert response.status_code == 200
        raw = b"".join(response.streaming_content)
        img = Image.open(io.BytesIO(raw))
        img.load()
        assert not img.getexif()
        assert "exif" not in img.info and "xmp" not in img.info
        assert b"GPS" not in raw and b"Exif" not in raw and b"HavenCam" not in raw
    # the original is private: nothing under MEDIA_ROOT but the two renditions
    assert {p.name for p in files_under(settings.MEDIA_ROOT)} == {
        urlsplit(data["grid_url"]).path.rsplit("/", 1)[1],
        urlsplit(data["detail_url"]).path.rsplit("/", 1)[1],
    }


def test_upload_with_bearer_token(client, member, django_capture_on_commit_callbacks) -> None:
    _token, raw = token_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_image(client, png((300, 200)), "pic.png", **bearer(raw))
    assert response.status_code == 201
    assert MediaImage.objects.get().owner == member


def test_upload_requires_authentication(client) -> None:
    response = post_image(client, png())
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert_nothing_stored()


def test_upload_without_file_is_422(member_client) -> None:
    response = member_client.post(URL, {})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def _huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (_huge_png, 413, "image_too_large"),
        (lambda: gps_jpeg((800, 600))[:5000], 400, "corrupt_image"),
        (
            lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>",
            415,
            "unsupported_format",
        ),
        (lambda: gps_jpeg((200, 200)) + b"\0" * 5000, 413, "file_too_large"),
    ],
    ids=["huge-dimensions", "truncated-jpeg", "html-named-jpg", "over-byte-limit"],
)
def test_bad_uploads_are_refused_with_codes(member_client, monkeypatch, make, status, code) -> None:
    monkeypatch.setattr(settings.HAVEN, "max_upload_bytes", 100_000 if code != "file_too_large" else 1000)
    response = post_image(member_client, make(), "photo.jpg")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert_nothing_stored()


def test_declared_body_over_the_limit_is_413_before_reading(member_client, monkeypatch) -> None:
    monkeypatch.setattr(settings.HAVEN, "max_upload_bytes", 1000)
    response = post_image(member_client, png(), CONTENT_LENGTH=str(1000 + media_api.MULTIPART_SLACK + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert_nothing_stored()


def test_django_request_data_too_big_is_413_not_500(member_client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = member_client.post(URL, {"file": upload(png()), "note": "x" * 1000})
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert_nothing_stored()


def test_unreadable_multipart_is_400(member_client) -> None:
    response = member_client.generic(
        "POST", URL, b"--zz\r\n", content_type="multipart/form-data"
    )  # no boundary
    assert response.status_code == 400
    assert response.json()["code"] == "bad_upload"
    garbled = member_client.generic(
        "POST",
        URL,
        b"--zz\r\nContent-Disposition: form-data; name=",
        content_type="multipart/form-data; boundary=zz",
    )
    assert garbled.status_code == 422  # parsed, but no file in it
    assert_nothing_stored()


def test_upload_rate_limit(member_client, monkeypatch, django_capture_on_commit_callbacks) -> None:
    monkeypatch.setattr(media_api, "UPLOADS_PER_MINUTE", 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_image(member_client, png()).status_code == 201
    response = post_image(member_client, png())
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_pending_quota_over_http(member_client, member, monkeypatch) -> None:
    from haven.media import services

    monkeypatch.setattr(services, "MAX_PENDING_UPLOADS", 2)
    MediaImageFactory.create_batch(2, owner=member)
    response = post_image(member_client, png())
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_pending_uploads"


def test_get_is_owner_only(member_client, member, client) -> None:
    mine = MediaImageFactory(owner=member, state="failed", error_code="corrupt_image")
    theirs = MediaImageFactory()
    response = member_client.get(f"{URL}/{mine.pk}")
    assert response.status_code == 200
    assert response.json()["state"] == "failed"
    assert response.json()["error_code"] == "corrupt_image"
    assert response.json()["grid_url"] == ""
    for image_id in (theirs.pk, 999_999):
        missing = member_client.get(f"{URL}/{image_id}")
        assert missing.status_code == 404
        assert missing.json()["code"] == "image_not_found"


def test_get_query_budget(member_client, member, django_assert_max_num_queries) -> None:
    image = MediaImageFactory(
        owner=member, state="ready", grid_path="r/1/a-grid.webp", detail_path="r/1/a-d.webp"
    )
    with django_assert_max_num_queries(4):
        assert member_client.get(f"{URL}/{image.pk}").status_code == 200


def test_get_requires_authentication(client) -> None:
    image = MediaImageFactory()
    assert client.get(f"{URL}/{image.pk}").status_code == 401


def test_delete(member_client, member, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        image_id = post_image(member_client, gps_jpeg((300, 200))).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.delete(f"{URL}/{image_id}")
    assert response.status_code == 204
    assert_nothing_stored()
    assert member_client.delete(f"{URL}/{image_id}").status_code == 404


def test_delete_refusals(member_client, member) -> None:
    theirs = MediaImageFactory()
    response = member_client.delete(f"{URL}/{theirs.pk}")
    assert response.status_code == 404
    used = MediaImageFactory(owner=member, state="ready")
    attach_to_note(used)
    response = member_client.delete(f"{URL}/{used.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "image_in_use"
    assert MediaImage.objects.filter(pk__in=[theirs.pk, used.pk]).count() == 2
