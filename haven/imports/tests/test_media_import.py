"""Media of imports: Instagram photos and videos from the export become the drafts' media through the
media pipeline (metadata stripped), the profile photo becomes the avatar when chosen, and TikTok videos
uploaded beside the export are matched to their posts (haven/imports/media.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from haven.imports import media as import_media
from haven.imports import selectors, services
from haven.imports.models import ImportedItem, ImportJob
from haven.imports.parsing import parse_export
from haven.imports.tests import builders
from haven.media import ffmpeg
from haven.media import services as media_services
from haven.media.models import MediaImage, MediaVideo
from haven.media.regions import storages_for
from haven.media.tests.factories import gps_jpeg, png
from haven.media.tests.storage import media_storage, storage_listing  # noqa: F401  (fixtures)
from haven.notes.models import MAX_IMAGES, Note
from haven.notes.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Object keys of TikTok's signed download links (the last part of the path), as in the samples.
KEY_1 = "of7K9AuxRszUATd9aYDxP9gFSdNmPH2"
KEY_2 = "oYX0xnQnqhkDwrnUdCSeZy6UGbaMB9n"
# Enough of an MP4 for the container sniffer (ftyp box, isom brand); the worker is not run on it.
FAKE_MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def signed_link(object_key: str) -> str:
    return (
        "https://video-useast5-download.tiktokv.us/kfc/tos-useast5-ve-0068c003-tx/"
        f"{object_key}/?a=1233&mime_type=video_mp4&x-tos-expires=1758218531&x-tos-signature=FAKE"
    )


def instagram_with_photos(**overrides: Any) -> dict[str, Any]:
    """The 2025 Instagram export of the builders, with real photos (EXIF GPS planted) in place of stubs."""
    files = builders.instagram_files("2025")
    files["media/posts/202503/a.jpg"] = gps_jpeg((120, 90))
    files["media/posts/202503/b.jpg"] = png((90, 120))
    files["media/posts/202504/c.jpg"] = gps_jpeg((80, 80))
    files["media/other/avatar.jpg"] = gps_jpeg((200, 150))
    files.update(overrides)
    return files


def upload_zip(
    user: Any, tmp_path: Path, files: dict[str, Any], capture: Any, name: str = "ig.zip"
) -> ImportJob:
    path = builders.write_zip(tmp_path / name, files, top="instagram-test.baker-2025-09-14-Xk3pQ7aZ/")
    upload = SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")
    with capture(execute=True):
        job = services.import_upload(user=user, file=upload, name=name)
    job.refresh_from_db()
    return job


def confirm(user: Any, job: ImportJob, capture: Any, **choices: bool) -> ImportJob:
    with capture(execute=True):
        services.import_confirm(user=user, job_id=job.pk, choices=choices or {"posts": True})
    job.refresh_from_db()
    return job


def draft_with(user: Any, caption_start: str) -> Note:
    return Note.objects.get(author=user, body__startswith=caption_start)


def image_of(note: Note, position: int) -> MediaImage:
    return note.images.select_related("image").get(position=position).image


def assert_clean(raw: bytes) -> None:
    """A served file without metadata: no EXIF, XMP or ICC, and none of the planted values."""
    img = Image.open(io.BytesIO(raw))
    assert not img.getexif() and not {"exif", "xmp", "icc_profile"} & set(img.info)
    for secret in (b"GPS", b"Exif", b"HavenCam", b"SecretPhone"):
        assert secret not in raw


# ---------------------------------------------------------------------------------------------
# Instagram photos


def test_instagram_photos_become_the_drafts_photos_in_order_without_metadata(
    tmp_path,
    django_capture_on_commit_callbacks,
    storage_listing,  # noqa: F811
):
    user = UserFactory()
    files = instagram_with_photos()
    assert Image.open(io.BytesIO(files["media/posts/202503/a.jpg"])).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    assert job.state == "review"
    carousel = job.findings["posts"][0]
    assert carousel["media"] == 2 and [p.rsplit("/", 1)[-1] for p in carousel["media_paths"]] == [
        "a.jpg",
        "b.jpg",
    ]

    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    assert job.state == "done"
    assert job.result["drafts_created"] == 3 and job.result["photos_imported"] == 3
    assert "media_failed" not in job.result

    note = draft_with(user, "Mooncakes")
    first, second = image_of(note, 0), image_of(note, 1)
    assert (first.original_format, first.width, first.height) == ("JPEG", 120, 90)  # a.jpg first
    assert (second.original_format, second.width, second.height) == ("PNG", 90, 120)
    assert note.status == "draft" and note.video_id is None
    single = draft_with(user, "Sunday")
    assert single.images.count() == 1
    assert draft_with(user, "Market").images.count() == 0  # its video is missing

    # Every photo went through the pipeline: ready, in the member's region, served files stripped.
    photos = MediaImage.objects.filter(owner=user)
    assert photos.count() == 3 and set(photos.values_list("state", flat=True)) == {"ready"}
    renditions = storages_for(first.storage_region).renditions
    for image in photos:
        for name in (image.grid_path, image.detail_path):
            with renditions.open(name, "rb") as fh:
                assert_clean(fh.read())
    served = {key for key in storage_listing() if key.startswith("media/")}
    assert len(served) == 6  # grid and detail per photo; originals stay private
    assert job.findings == {}  # the archive paths went with the findings once done


def test_failed_photos_are_counted_and_the_draft_keeps_its_caption(
    tmp_path, django_capture_on_commit_callbacks, settings
):
    settings.HAVEN = settings.HAVEN.model_copy(update={"max_upload_bytes": 60_000})
    user = UserFactory()
    big = Image.effect_noise((400, 400), 90).convert("RGB")
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 60_000
    files = instagram_with_photos(
        **{
            "media/posts/202503/a.jpg": b"<html>not a photo</html>",
            "media/posts/202503/b.jpg": gps_jpeg((120, 90))[:300],  # cut short: corrupt
            "media/posts/202504/c.jpg": buffer.getvalue(),  # over the composer's per-image limit
        }
    )
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    assert job.state == "done" and job.result["drafts_created"] == 3
    assert job.result["media_failed"] == 3 and "photos_imported" not in job.result
    assert sum(job.result["media_errors"].values()) == 3
    assert "file_too_large" in job.result["media_errors"]
    assert draft_with(user, "Mooncakes").images.count() == 0
    assert draft_with(user, "Sunday").images.count() == 0
    assert not MediaImage.objects.filter(owner=user).exists()


def test_photos_over_the_composer_limit_are_counted(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    files = instagram_with_photos()
    posts = files["your_instagram_activity/media/posts_1.json"]
    many = [{"uri": f"media/posts/202505/p{i:02}.png", "creation_timestamp": 1746000000} for i in range(20)]
    posts.append({"media": many, "title": "Twenty photos", "creation_timestamp": 1746000000})
    for i in range(20):
        files[f"media/posts/202505/p{i:02}.png"] = png((8 + i, 8))
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    note = draft_with(user, "Twenty photos")
    assert note.images.count() == MAX_IMAGES
    assert [image_of(note, i).width for i in (0, MAX_IMAGES - 1)] == [8, 8 + MAX_IMAGES - 1]  # export order
    assert job.result["media_over_limit"] == 20 - MAX_IMAGES


def test_reimporting_never_duplicates_photos(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload_zip(user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks)
    confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    assert MediaImage.objects.filter(owner=user).count() == 3

    # The task running again is a no-op; so is the same export imported again.
    services.import_run(job_id=job.pk)
    again = upload_zip(
        user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks, "again.zip"
    )
    again = confirm(user, again, django_capture_on_commit_callbacks, posts=True)
    assert again.result["drafts_skipped"] == 3 and again.result["drafts_created"] == 0
    assert "photos_imported" not in again.result
    assert MediaImage.objects.filter(owner=user).count() == 3
    assert Note.objects.filter(author=user).count() == 3


def test_a_draft_made_by_another_run_discards_the_photos_read_for_it(
    tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    user = UserFactory()
    job = upload_zip(user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks)
    post = job.findings["posts"][0]
    key = services.post_key(post)
    ImportedItem.objects.create(user=user, job=job, source="instagram", kind=ImportedItem.Kind.POST, key=key)
    with import_media.session(job, result := {}):
        assert services._import_post(job, "instagram", key, post) == "drafts_skipped"
    assert "photos_imported" not in result  # nothing was attached
    assert not MediaImage.objects.filter(owner=user).exists()  # discarded, not left pending


def test_the_upload_is_copied_once_when_storage_has_no_local_path(
    tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    user = UserFactory()
    job = upload_zip(user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks)
    real = storages_for(job.storage_region).originals
    opened: list[str] = []

    class ObjectStorage:  # like S3: no local path, files opened as streams
        def path(self, name: str) -> str:
            raise NotImplementedError("object storage")

        def open(self, name: str, mode: str = "rb") -> Any:
            opened.append(name)
            return real.open(name, mode)

    class Storages:
        originals = ObjectStorage()

    job_file_name = job.file_name
    monkeypatch.setattr(import_media, "storages_for", lambda region: Storages())
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True, avatar=True)
    assert job.result["photos_imported"] == 3 and job.result["avatar"] is True
    assert opened == [job_file_name]  # one copy for the avatar and every post's media


# ---------------------------------------------------------------------------------------------
# Videos


@pytest.fixture
def worker_not_run(monkeypatch):
    """Keep uploaded videos `uploaded` (the worker's ffmpeg run is tested in haven/media)."""
    monkeypatch.setattr(media_services, "video_process", lambda *, video_id: None)


def test_an_instagram_post_whose_only_media_is_a_video_becomes_a_video_draft(
    tmp_path, django_capture_on_commit_callbacks, worker_not_run
):
    user = UserFactory()
    files = instagram_with_photos(**{"media/posts/202310/missing.mp4": FAKE_MP4})
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    assert job.findings["posts"][2]["media"] == 1
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    note = draft_with(user, "Market")
    assert note.video is not None and note.video.owner == user and note.video.state == "uploaded"
    assert job.result["videos_imported"] == 1 and job.result["photos_imported"] == 3


def test_a_video_beside_photos_is_skipped_with_a_reason(
    tmp_path, django_capture_on_commit_callbacks, worker_not_run
):
    user = UserFactory()
    files = instagram_with_photos(**{"media/posts/202503/clip.mp4": FAKE_MP4})
    posts = files["your_instagram_activity/media/posts_1.json"]
    posts[0]["media"].append({"uri": "media/posts/202503/clip.mp4", "creation_timestamp": 1741573875})
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    note = draft_with(user, "Mooncakes")
    assert note.images.count() == 2 and note.video is None
    assert job.result["media_skipped"] == {"video_with_photos": 1}
    assert not MediaVideo.objects.filter(owner=user).exists()


def test_a_video_that_is_not_a_video_is_counted(tmp_path, django_capture_on_commit_callbacks, worker_not_run):
    user = UserFactory()
    files = instagram_with_photos(**{"media/posts/202310/missing.mp4": b"GIF89a not a video"})
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    assert draft_with(user, "Market").video is None
    assert job.result["media_failed"] == 1 and job.result["media_errors"] == {"video_unsupported_format": 1}


# ---------------------------------------------------------------------------------------------
# The avatar


def test_the_profile_photo_becomes_the_avatar_when_chosen(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload_zip(user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks)
    profile = job.findings["profile"]
    assert profile["has_avatar"] is True and profile["avatar_path"].endswith("media/other/avatar.jpg")
    shown = json.dumps(selectors.review(job), default=str)
    assert "avatar.jpg" not in shown and "media_paths" not in shown and "202503" not in shown
    assert selectors.review(job)["profile"]["has_avatar"] is True

    job = confirm(user, job, django_capture_on_commit_callbacks, avatar=True)
    user.refresh_from_db()
    assert job.result["avatar"] is True and user.avatar.endswith(".webp") and user.avatar_blurhash
    with default_storage.open(user.avatar, "rb") as fh:
        raw = fh.read()
    assert Image.open(io.BytesIO(raw)).size[0] == Image.open(io.BytesIO(raw)).size[1]  # square
    assert_clean(raw)
    assert not Note.objects.filter(author=user).exists()  # posts were not chosen


def test_the_avatar_is_left_alone_unless_chosen(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload_zip(user, tmp_path, instagram_with_photos(), django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    user.refresh_from_db()
    assert not user.avatar and "avatar" not in job.result


def test_a_broken_profile_photo_leaves_the_avatar_and_says_why(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    files = instagram_with_photos(**{"media/other/avatar.jpg": b"\xff\xd8 broken"})
    job = upload_zip(user, tmp_path, files, django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, avatar=True, posts=True)
    user.refresh_from_db()
    assert job.state == "done" and not user.avatar
    assert job.result["avatar"] is False and job.result["avatar_error"]
    assert job.result["drafts_created"] == 3


def test_tiktok_avatar_links_are_never_offered(tmp_path):
    document = builders.tiktok_c()
    parsed = parse_export(builders.write_json(tmp_path / "user_data_tiktok.json", document))
    assert parsed.profile.avatar_url  # a signed, expiring remote link
    findings, _report = services.findings_of(parsed)
    assert findings["profile"]["has_avatar"] is False and findings["profile"]["avatar_path"] is None


# ---------------------------------------------------------------------------------------------
# TikTok videos uploaded beside the export


def test_link_keys():
    assert import_media.link_keys(signed_link(KEY_1)) == (KEY_1, None)
    share = "https://www.tiktokv.com/share/video/7412345678901234567/"
    assert import_media.link_keys(share) == (None, "7412345678901234567")
    assert import_media.link_keys("https://www.tiktok.com/@a.b/video/7412345678901234567") == (
        None,
        "7412345678901234567",
    )
    assert import_media.link_keys(None) == (None, None)
    assert import_media.link_keys("https://www.tiktok.com/") == (None, None)
    assert import_media.link_keys("https://www.tiktok.com/tag/short") == (None, None)  # too short a key


def test_match_videos_by_object_key_or_video_id():
    share = "https://www.tiktokv.com/share/video/7412345678901234567/"
    files = [
        f"videos/{KEY_2}.mp4",
        f"{KEY_1}.mp4",
        f"backup/{KEY_1}.mp4",
        "videos/my video [7412345678901234567].mp4",
        "videos/17412345678901234567.mp4",  # 20 digits: not that id
        "videos/unrelated.mp4",
    ]
    links = [signed_link(KEY_1), None, share, signed_link(KEY_2), signed_link(KEY_1), signed_link("x" * 20)]
    assert import_media.match_videos(links, files) == [
        f"{KEY_1}.mp4",
        None,
        "videos/my video [7412345678901234567].mp4",
        f"videos/{KEY_2}.mp4",
        f"backup/{KEY_1}.mp4",  # a second post with the same key takes the other copy, never the same file
        None,
    ]
    assert import_media.match_videos([signed_link(KEY_1)], [f"{KEY_1.lower()}.mp4"]) == [None]  # exact case


def tiktok_with_videos() -> dict[str, Any]:
    document = builders.tiktok_c()
    posts = document["Post"]["Posts"]["VideoList"]
    posts[0]["Link"] = signed_link(KEY_1)
    posts[1]["Link"] = signed_link(KEY_2)
    return {
        "user_data_tiktok.json": document,
        f"videos/{KEY_1}.mp4": FAKE_MP4,
        f"videos/{KEY_2}.MOV": b"not a video at all",
        "videos/someone-else.mp4": FAKE_MP4,
    }


def test_tiktok_videos_uploaded_beside_the_export_become_the_drafts_videos(
    tmp_path, django_capture_on_commit_callbacks, worker_not_run
):
    user = UserFactory()
    path = builders.write_zip(tmp_path / "TikTok_Data_1.zip", tiktok_with_videos())
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_upload(user=user, file=upload, name=path.name)
    job.refresh_from_db()
    assert job.state == "review"
    posts = job.findings["posts"]
    assert posts[0]["media_paths"] == [f"videos/{KEY_1}.mp4"] and posts[0]["media"] == 1
    assert posts[1]["media_paths"] == [f"videos/{KEY_2}.MOV"]
    assert all(not p["media_paths"] for p in posts[2:])
    assert job.report["videos"] == {"files": 3, "matched": 2}

    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    first = ImportedItem.objects.get(user=user, note__body__startswith=posts[0]["caption"][:20]).note
    assert first.video is not None and first.video.state == "uploaded"
    second = ImportedItem.objects.get(user=user, note__body__startswith=posts[1]["caption"][:20]).note
    assert second.video is None and second.body  # a file that is not a video: the draft stays, counted
    assert job.result["videos_imported"] == 1 and job.result["media_failed"] == 1
    assert MediaVideo.objects.filter(owner=user).count() == 1  # the unmatched file was never read


@pytest.mark.skipif(not ffmpeg.tools_available(), reason="ffmpeg/ffprobe are not installed")
def test_a_matched_tiktok_video_is_processed_by_the_worker(tmp_path, django_capture_on_commit_callbacks):
    from haven.media.tests.clips import make_clip

    user = UserFactory()
    files = tiktok_with_videos()
    files[f"videos/{KEY_1}.mp4"] = make_clip(tmp_path / "clip.mp4", size="320x568", seconds=1.0).read_bytes()
    path = builders.write_zip(tmp_path / "TikTok_Data_2.zip", files)
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_upload(user=user, file=upload, name=path.name)
    job.refresh_from_db()
    job = confirm(user, job, django_capture_on_commit_callbacks, posts=True)
    video = MediaVideo.objects.get(owner=user)
    assert video.state == "ready" and video.note.status == "draft"


def test_the_media_stream_stops_at_its_limit_whatever_the_header_says(tmp_path):
    from haven.imports.parsing import ImportFailed, ImportLimits
    from haven.imports.parsing.archive import ExportFiles
    from haven.imports.parsing.result import Report

    path = builders.write_zip(tmp_path / "x.zip", {"big.jpg": b"x" * 5000})
    with ExportFiles.open(path, ImportLimits(), Report()) as files:
        assert b"".join(files.stream("big.jpg", limit=5000)) == b"x" * 5000
        with pytest.raises(ImportFailed) as refused:
            b"".join(files.stream("big.jpg", limit=4999))
        assert refused.value.details == {"limit": "media_bytes"}
        files.entries["big.jpg"] = type(files.entries["big.jpg"])("big.jpg", 10)  # an understated size
        with pytest.raises(ImportFailed):
            b"".join(files.stream("big.jpg", limit=4999))
    assert settings.HAVEN.max_upload_bytes > 5000
