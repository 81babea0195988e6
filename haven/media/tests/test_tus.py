"""HTTP contract tests of the tus 1.0.0 endpoints (/api/v1/media/uploads/): every status and code."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from haven.accounts.tests.factories import bearer, token_for
from haven.core.errors import UnsupportedMedia
from haven.media import services, tus
from haven.media.models import MediaUpload, MediaVideo
from haven.media.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/media/uploads/"
TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}
#: Test bodies: every byte value, NUL included (video chunks are raw binary).
PATTERN = bytes(range(256))


def body(size: int) -> bytes:
    return (PATTERN * (size // len(PATTERN) + 1))[:size]


def meta(**pairs: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def create(client: Client, length: int = 1000, metadata: str | None = None, **extra) -> Any:
    headers = {**TUS, "HTTP_UPLOAD_LENGTH": str(length), **extra}
    if metadata is not None:
        headers["HTTP_UPLOAD_METADATA"] = metadata
    return client.post(URL, **headers)


def created(client: Client, length: int = 1000, **kwargs) -> str:
    response = create(client, length, **kwargs)
    assert response.status_code == 201, response.content
    return response["Location"]


def patch(client: Client, location: str, data: bytes, offset: int, **extra) -> Any:
    return client.generic(
        "PATCH",
        location,
        data,
        content_type=tus.OFFSET_CONTENT_TYPE,
        # The test client leaves out Content-Type for an empty body; tus clients always send it.
        **{**TUS, "CONTENT_TYPE": tus.OFFSET_CONTENT_TYPE, "HTTP_UPLOAD_OFFSET": str(offset), **extra},
    )


def partial_files() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload_of(location: str) -> MediaUpload:
    return MediaUpload.objects.get(pk=uuid.UUID(location.rstrip("/").rsplit("/", 1)[-1]))


# ---------------------------------------------------------------------------------------------
# Discovery and creation


def test_options_describes_the_server_without_authentication(client) -> None:
    response = client.options(URL)
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "expiration"}
    assert int(response["Tus-Max-Size"]) == settings.HAVEN.video_max_mb * 1024 * 1024


def test_create_opens_a_private_partial_file(member_client, member) -> None:
    response = create(member_client, 1234, metadata=meta(filename="clip.mp4", filetype="video/mp4"))
    assert response.status_code == 201, response.content
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Upload-Expires"].endswith("GMT")
    upload = upload_of(response["Location"])
    assert response["Location"] == f"{URL}{upload.id}"
    assert (upload.owner, upload.length, upload.offset, upload.state) == (member, 1234, 0, "open")
    assert (upload.filename, upload.content_type) == ("clip.mp4", "video/mp4")
    assert upload.expires_at - timezone.now() > timedelta(hours=23)
    (partial,) = partial_files()
    assert partial.name == f"{upload.id}.part" and partial.stat().st_size == 0
    assert partial.stat().st_mode & 0o077 == 0  # private to the server's user
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_create_requires_upload_length(member_client) -> None:
    response = member_client.post(URL, **TUS)
    assert response.status_code == 400
    assert response.json()["code"] == "upload_length_required"
    for bad in ("-1", "12abc", "1" * 30):
        response = create(member_client, HTTP_UPLOAD_LENGTH=bad)
        assert response.status_code == 400 and response.json()["code"] == "invalid_upload_header", bad
    response = create(member_client, 0)
    assert response.status_code == 400 and response.json()["code"] == "upload_empty"
    assert MediaUpload.objects.count() == 0 and partial_files() == []


def test_length_over_the_video_limit_is_413(member_client, settings) -> None:
    settings.HAVEN = settings.HAVEN.model_copy(update={"video_max_mb": 2})
    limit = 2 * 1024 * 1024
    assert create(member_client, limit).status_code == 201
    response = create(member_client, limit + 1)
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    assert response.json()["details"] == {"max_bytes": limit}
    assert MediaUpload.objects.count() == 1


def test_missing_or_wrong_tus_resumable_is_412(member_client) -> None:
    response = member_client.post(URL, HTTP_UPLOAD_LENGTH="10")
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"
    assert response.json()["code"] == "tus_version_unsupported"
    location = created(member_client)
    assert member_client.head(location, HTTP_TUS_RESUMABLE="0.2.2").status_code == 412
    response = patch(member_client, location, body(10), 0, HTTP_TUS_RESUMABLE="")
    assert response.status_code == 412
    assert upload_of(location).offset == 0


def test_anonymous_is_401(client, member_client) -> None:
    response = create(Client())
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    location = created(member_client)
    anonymous = Client()
    assert anonymous.head(location, **TUS).status_code == 401
    assert patch(anonymous, location, body(10), 0).status_code == 401
    assert anonymous.delete(location, **TUS).status_code == 401
    assert MediaUpload.objects.get().offset == 0


def test_bearer_token_works_and_a_bad_token_does_not_fall_back_to_the_session(member, member_client) -> None:
    _token, raw = token_for(member)
    api = Client(enforce_csrf_checks=True)
    location = created(api, 100, **bearer(raw))
    response = patch(api, location, body(40), 0, **bearer(raw))
    assert response.status_code == 204 and response["Upload-Offset"] == "40"
    assert create(member_client, **bearer("hv_not-a-token")).status_code == 401


def test_session_needs_the_csrf_token_on_unsafe_methods(member) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = create(browser)
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    browser.get("/")  # sets the CSRF cookie, as the page that carries the widget does
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    location = created(browser, HTTP_X_CSRFTOKEN=token)
    assert browser.head(location, **TUS).status_code == 200  # safe method: no token needed
    assert patch(browser, location, body(10), 0).status_code == 403
    assert patch(browser, location, body(10), 0, HTTP_X_CSRFTOKEN=token).status_code == 204


def test_too_many_open_uploads(member_client, member) -> None:
    for _ in range(tus.MAX_OPEN_UPLOADS):
        created(member_client)
    response = create(member_client)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_open_uploads"
    # Expired and finished uploads do not count.
    first, second = MediaUpload.objects.filter(owner=member)[:2]
    MediaUpload.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    MediaUpload.objects.filter(pk=second.pk).update(state=MediaUpload.State.COMPLETE)
    created(member_client)
    created(member_client)
    assert create(member_client).status_code == 429
    # Another member has their own allowance.
    other = Client()
    other.force_login(UserFactory())
    created(other)


def test_creation_is_rate_limited_per_member(member_client, member, monkeypatch) -> None:
    monkeypatch.setattr(tus, "CREATES_PER_HOUR", 2)
    for _ in range(2):
        location = created(member_client)
        assert member_client.delete(location, **TUS).status_code == 204
    response = create(member_client)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_metadata_is_bounded_and_cleaned(member_client) -> None:
    bad_headers = [
        "filename !!notbase64",
        "filename " + base64.b64encode(b"\xff\xfe").decode(),  # not UTF-8
        "file:name YQ==",  # a key outside [A-Za-z0-9._-]
        "filename YQ==,filename Yg==",  # duplicate key
        "filename YQ== extra",
        ",".join(f"k{i} YQ==" for i in range(tus.METADATA_MAX_PAIRS + 1)),
        "filename " + base64.b64encode(b"a" * 4000).decode(),  # header over METADATA_MAX_CHARS
    ]
    for header in bad_headers:
        response = create(member_client, metadata=header)
        assert response.status_code == 400, header
        assert response.json()["code"] == "invalid_upload_metadata", header
    assert MediaUpload.objects.count() == 0

    name = "../../etc/\u202egnp.mp4\x00\x07 " + "x" * 400
    location = created(
        member_client, metadata=meta(filename=name, filetype="Video/QuickTime; codecs=x") + ",is_x"
    )
    upload = upload_of(location)
    assert upload.filename.startswith("gnp.mp4")
    assert "/" not in upload.filename and "\x00" not in upload.filename and "\u202e" not in upload.filename
    assert len(upload.filename) == tus.FILENAME_MAX_CHARS
    assert upload.content_type == "video/quicktime"
    location = created(member_client, metadata=meta(filename="\\windows\\clip.mov", filetype="not a type"))
    assert (upload_of(location).filename, upload_of(location).content_type) == ("clip.mov", "")


def test_declared_non_video_type_is_refused_before_any_bytes(member_client) -> None:
    response = create(member_client, metadata=meta(filename="a.png", filetype="image/png"))
    assert response.status_code == 415
    assert response.json()["code"] == "upload_not_video"
    assert MediaUpload.objects.count() == 0 and partial_files() == []


# ---------------------------------------------------------------------------------------------
# Appending and resuming


def test_head_reports_offset_and_resume_continues_from_it(member_client) -> None:
    location = created(member_client, 1000)
    data = body(1000)
    response = patch(member_client, location, data[:300], 0)
    assert response.status_code == 204
    assert response["Upload-Offset"] == "300"
    assert response["Upload-Expires"].endswith("GMT")

    head = member_client.head(location, **TUS)
    assert head.status_code == 200
    assert (head["Upload-Offset"], head["Upload-Length"]) == ("300", "1000")
    assert head["Cache-Control"] == "no-store"
    assert head.content == b""

    response = patch(member_client, location, data[300:999], int(head["Upload-Offset"]))
    assert response.status_code == 204 and response["Upload-Offset"] == "999"
    (partial,) = partial_files()
    assert partial.read_bytes() == data[:999]
    assert upload_of(location).state == "open"


def test_wrong_offset_is_409_and_changes_nothing(member_client) -> None:
    location = created(member_client, 1000)
    assert patch(member_client, location, body(100), 0).status_code == 204
    for offset in (0, 50, 101, 5000):
        response = patch(member_client, location, b"Z" * 10, offset)
        assert response.status_code == 409, offset
        assert response.json()["code"] == "upload_offset_mismatch"
        assert response.json()["details"] == {"offset": 100}
    assert upload_of(location).offset == 100
    assert partial_files()[0].read_bytes() == body(100)


def test_data_past_the_length_is_refused_whole(member_client) -> None:
    location = created(member_client, 100)
    assert patch(member_client, location, body(60), 0).status_code == 204
    response = patch(member_client, location, body(41), 60)
    assert response.status_code == 413
    assert response.json()["code"] == "upload_exceeds_length"
    assert upload_of(location).offset == 60
    assert partial_files()[0].read_bytes() == body(60)


def test_a_body_longer_than_announced_never_passes_the_length(member) -> None:
    """Without a trustworthy Content-Length the stream itself is cut at the upload's length."""
    upload = tus.upload_create(owner=member, length=100)
    with pytest.raises(tus.TooLarge):
        tus.upload_append(upload=upload, offset=0, body=io.BytesIO(body(101)))
    upload.refresh_from_db()
    assert (upload.offset, upload.lock_token, upload.locked_until) == (0, "", None)
    assert tus.partial_file(upload).stat().st_size == 0


def test_a_body_cut_short_keeps_what_arrived(member) -> None:
    """The client went away mid-request: the bytes that arrived count, and it resumes after them."""

    class Broken(io.BytesIO):
        def read(self, size: int = -1, /) -> bytes:
            if self.tell() >= 70:
                raise OSError("connection reset")
            return super().read(min(size, 35))

    upload = tus.upload_create(owner=member, length=100)
    tus.upload_append(upload=upload, offset=0, body=Broken(body(100)))
    upload.refresh_from_db()
    assert upload.offset == 70 and upload.lock_token == ""
    assert tus.partial_file(upload).read_bytes() == body(70)


def test_patch_needs_the_offset_content_type_and_header(member_client) -> None:
    location = created(member_client, 100)
    response = member_client.generic(
        "PATCH",
        location,
        b"0123456789",
        content_type="application/octet-stream",
        **TUS,
        HTTP_UPLOAD_OFFSET="0",
    )
    assert response.status_code == 415 and response.json()["code"] == "upload_bad_content_type"
    response = member_client.generic("PATCH", location, body(10), content_type=tus.OFFSET_CONTENT_TYPE, **TUS)
    assert response.status_code == 400 and response.json()["code"] == "invalid_upload_header"
    assert upload_of(location).offset == 0


def test_one_writer_at_a_time(member_client) -> None:
    """A live write lease makes a second PATCH wait (423, which tus clients retry); an expired one
    is taken over, and whatever the dead writer left past the stored offset is discarded."""
    location = created(member_client, 100)
    assert patch(member_client, location, body(20), 0).status_code == 204
    upload = upload_of(location)
    MediaUpload.objects.filter(pk=upload.pk).update(
        lock_token="a" * 32, locked_until=timezone.now() + timedelta(minutes=1)
    )
    with tus.partial_file(upload).open("ab") as fh:
        fh.write(b"garbage from a writer that never committed")
    response = patch(member_client, location, body(30)[20:], 20)
    assert response.status_code == 423 and response.json()["code"] == "upload_locked"
    assert upload_of(location).offset == 20

    MediaUpload.objects.filter(pk=upload.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = patch(member_client, location, body(30)[20:], 20)
    assert response.status_code == 204 and response["Upload-Offset"] == "30"
    assert tus.partial_file(upload).read_bytes() == body(30)
    upload.refresh_from_db()
    assert (upload.lock_token, upload.locked_until) == ("", None)


def test_a_writer_whose_lease_was_taken_over_commits_nothing(member, monkeypatch) -> None:
    upload = tus.upload_create(owner=member, length=100)
    monkeypatch.setattr(tus, "WRITE_LEASE", timedelta(seconds=0))  # renew before every write

    class Stolen(io.BytesIO):
        def read(self, size: int = -1, /) -> bytes:
            MediaUpload.objects.filter(pk=upload.pk).update(lock_token="b" * 32)  # someone else's now
            return super().read(size)

    with pytest.raises(tus.HavenError) as caught:
        tus.upload_append(upload=upload, offset=0, body=Stolen(body(50)))
    assert caught.value.code == "upload_locked"
    upload.refresh_from_db()
    assert upload.offset == 0
    assert tus.partial_file(upload).stat().st_size == 0


# ---------------------------------------------------------------------------------------------
# Ownership, termination, expiry


def test_someone_elses_upload_is_404(member_client) -> None:
    location = created(member_client, 100)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.head(location, **TUS).status_code == 404
    response = patch(stranger, location, body(10), 0)
    assert response.status_code == 404 and response.json()["code"] == "upload_not_found"
    assert stranger.delete(location, **TUS).status_code == 404
    assert member_client.head(f"{URL}{uuid.uuid4()}", **TUS).status_code == 404
    assert upload_of(location).offset == 0 and len(partial_files()) == 1


def test_delete_terminates_the_upload_and_its_file(member_client) -> None:
    location = created(member_client, 100)
    assert patch(member_client, location, body(10), 0).status_code == 204
    response = member_client.delete(location, **TUS)
    assert response.status_code == 204
    assert MediaUpload.objects.count() == 0 and partial_files() == []
    assert member_client.head(location, **TUS).status_code == 404
    assert patch(member_client, location, body(10), 10).status_code == 404


def test_expired_upload_is_gone_and_cleanup_removes_it_with_its_file(member_client, member) -> None:
    old = created(member_client, 100)
    fresh = created(member_client, 100)
    done = created(member_client, 100)
    assert patch(member_client, old, body(10), 0).status_code == 204
    now = timezone.now()
    MediaUpload.objects.filter(pk=upload_of(done).pk).update(state="complete", partial_path="")
    (Path(settings.DATA_DIR) / "uploads" / f"{upload_of(done).id}.part").unlink()
    MediaUpload.objects.exclude(pk=upload_of(fresh).pk).update(expires_at=now - timedelta(minutes=1))
    # An orphan partial file (its row never written) older than the lifetime, and a stranger's file.
    orphan = Path(settings.DATA_DIR) / "uploads" / f"{uuid.uuid4()}.part"
    orphan.write_bytes(b"x")
    stamp = (now - tus.UPLOAD_LIFETIME - timedelta(hours=1)).timestamp()
    os.utime(orphan, (stamp, stamp))
    keep = Path(settings.DATA_DIR) / "uploads" / "README"
    keep.write_text("not an upload")

    response = member_client.head(old, **TUS)
    assert response.status_code == 410
    assert patch(member_client, old, body(10), 10).status_code == 410

    assert tus.uploads_cleanup() == 2
    assert list(MediaUpload.objects.values_list("pk", flat=True)) == [upload_of(fresh).pk]
    assert sorted(p.name for p in partial_files()) == sorted([f"{upload_of(fresh).id}.part", "README"])
    assert tus.uploads_cleanup() == 0  # idempotent
    assert tus.uploads_cleanup(now=now + tus.UPLOAD_LIFETIME + timedelta(minutes=1)) == 1
    assert MediaUpload.objects.count() == 0 and [p.name for p in partial_files()] == ["README"]


def test_other_methods_are_405(member_client) -> None:
    location = created(member_client, 100)
    assert member_client.get(location, **TUS).status_code == 405
    assert member_client.get(URL, **TUS).status_code == 405
    assert member_client.options(location).status_code == 204


# ---------------------------------------------------------------------------------------------
# Completion


def test_protocol_completion_with_the_video_hook_patched(member_client, member, monkeypatch) -> None:
    """The one test that stands in for services.video_from_file: create, resume, complete, and the
    video id in Haven-Video-Id; the hook gets the finished partial file and the cleaned name."""
    seen: list[tuple[object, bytes, str]] = []

    def fake_video_from_file(*, owner, path: Path, filename: str = "") -> MediaVideo:
        seen.append((owner, path.read_bytes(), filename))
        path.unlink()  # consumed, as the real one does
        return MediaVideo.objects.create(owner=owner)

    monkeypatch.setattr(services, "video_from_file", fake_video_from_file)
    data = body(1000)
    location = created(member_client, 1000, metadata=meta(filename="clip.mov", filetype="video/quicktime"))
    assert patch(member_client, location, data[:400], 0).status_code == 204
    offset = int(member_client.head(location, **TUS)["Upload-Offset"])
    response = patch(member_client, location, data[offset:], offset)
    assert response.status_code == 204, response.content
    assert response["Upload-Offset"] == "1000"
    video = MediaVideo.objects.get()
    assert response["Haven-Video-Id"] == str(video.pk)
    assert seen == [(member, data, "clip.mov")]
    upload = upload_of(location)
    assert (upload.state, upload.video, upload.partial_path, upload.lock_token) == ("complete", video, "", "")
    assert partial_files() == []
    # Resuming a finished upload reports it done (with the video), and an empty PATCH is harmless.
    head = member_client.head(location, **TUS)
    assert (head.status_code, head["Upload-Offset"], head["Haven-Video-Id"]) == (200, "1000", str(video.pk))
    assert patch(member_client, location, b"", 1000)["Haven-Video-Id"] == str(video.pk)
    assert patch(member_client, location, b"x", 1000).status_code == 413
    assert len(seen) == 1
    # A finished upload no longer counts as open, and deleting it leaves the video alone.
    assert member_client.delete(location, **TUS).status_code == 204
    assert MediaVideo.objects.filter(pk=video.pk).exists()


def test_a_refused_file_fails_the_upload_with_the_reason(member_client) -> None:
    """services.video_from_file sniffs the finished file: text is not a video."""
    data = b"this is plainly not a video file, whatever its name says. " * 20
    location = created(member_client, len(data), metadata=meta(filename="clip.mp4", filetype="video/mp4"))
    response = patch(member_client, location, data, 0)
    assert 400 <= response.status_code < 500, response.content
    code = response.json()["code"]
    upload = upload_of(location)
    assert (upload.state, upload.error_code) == ("failed", code)
    assert MediaVideo.objects.count() == 0 and partial_files() == []
    assert member_client.head(location, **TUS).status_code == 410
    assert member_client.delete(location, **TUS).status_code == 204


def test_completion_that_crashes_can_be_retried_with_an_empty_patch(member, monkeypatch) -> None:
    upload = tus.upload_create(owner=member, length=10)

    def crash(**kwargs: object) -> MediaVideo:
        raise RuntimeError("storage down")

    monkeypatch.setattr(services, "video_from_file", crash)
    with pytest.raises(RuntimeError):
        tus.upload_append(upload=upload, offset=0, body=io.BytesIO(body(10)))
    upload.refresh_from_db()
    assert (upload.state, upload.offset, upload.lock_token) == ("open", 10, "")

    def refuse(*, owner: object, path: Path, filename: str = "") -> MediaVideo:
        path.unlink()
        raise UnsupportedMedia("no", code="video_not_allowed")

    monkeypatch.setattr(services, "video_from_file", refuse)
    with pytest.raises(UnsupportedMedia):
        tus.upload_append(upload=upload, offset=10, body=io.BytesIO(b""))
    upload.refresh_from_db()
    assert (upload.state, upload.error_code, upload.partial_path) == ("failed", "video_not_allowed", "")


def _clip(tmp_path: Path) -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    out = tmp_path / "clip.mp4"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1"),
            *("-pix_fmt", "yuv420p", "-c:v", "libx264", "-y", str(out)),
        ],
        check=True,
        timeout=60,
    )
    return out.read_bytes()


def test_a_real_clip_in_binary_chunks_becomes_a_video(member_client, member, tmp_path) -> None:
    data = _clip(tmp_path)
    location = created(member_client, len(data), metadata=meta(filename="clip.mp4", filetype="video/mp4"))
    half = len(data) // 2
    assert patch(member_client, location, data[:half], 0).status_code == 204
    response = patch(member_client, location, data[half:], half)
    assert response.status_code == 204, response.content
    video = MediaVideo.objects.get(pk=int(response["Haven-Video-Id"]))
    assert video.owner == member and video.byte_size == len(data)
    assert partial_files() == []


def test_a_5_mib_binary_chunk_is_accepted(member_client) -> None:
    """The widget's chunk size passes the input guard (which leaves tus bodies to these views)."""
    size = 5 * 1024 * 1024
    location = created(member_client, size + 10)
    data = bytes(range(256)) * (size // 256)
    response = patch(member_client, location, data, 0)
    assert response.status_code == 204, response.content
    assert response["Upload-Offset"] == str(size)
