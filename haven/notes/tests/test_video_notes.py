"""Video notes end to end with the real ffmpeg: a file becomes a video (sniffed, stored privately,
processed in the worker), goes into a note, is served with Range through the access rules, carries
no metadata, and leaves no file behind when the note is deleted. Both profiles (local folders, or
the S3 server of CI's scaled profile through the media_storage fixture)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from haven.core.errors import Conflict, InvalidInput
from haven.feeds.selectors import card_data
from haven.media import counters, selectors, services
from haven.media.ffmpeg import VideoRejected
from haven.media.models import MediaVideo, VideoTransition
from haven.media.tests.clips import make_clip, phone_mov
from haven.media.tests.storage import media_storage, storage_listing  # noqa: F401
from haven.notes import services as note_services
from haven.notes.models import Note
from haven.notes.selectors import note_detail, video_player
from haven.notes.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"),
]


def ffprobe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return json.loads(out.stdout)


@pytest.fixture
def member():
    return UserFactory()


def _processed(member, tmp_path, capture, size: str) -> MediaVideo:
    clip = phone_mov(tmp_path / "clip.mov", size=size)
    assert "48.8584" in json.dumps(ffprobe(clip))  # the source does carry a location
    with capture(execute=True):
        video = services.video_from_file(owner=member, path=clip, filename="holiday.mov")
    assert not clip.exists()  # the upload's file is consumed
    video.refresh_from_db()
    return video


@pytest.fixture
def processed(member, tmp_path, django_capture_on_commit_callbacks, media_storage):  # noqa: F811
    """A ready video of `member` made from a small GPS-tagged MOV with a rotation flag (as phones write
    them: a landscape picture with a display matrix turning it portrait): 270x480 once rotated, so
    only the 480p rendition is made (quick)."""
    return _processed(member, tmp_path, django_capture_on_commit_callbacks, "480x270")


@pytest.fixture
def processed_hd(member, tmp_path, django_capture_on_commit_callbacks, media_storage):  # noqa: F811
    """The same at 540x960 once rotated: both the 720p (here 540, never upscaled) and 480p renditions."""
    return _processed(member, tmp_path, django_capture_on_commit_callbacks, "960x540")


def fetch_file(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, **headers)
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_a_clip_becomes_a_ready_video_with_renditions_and_no_metadata(processed_hd, tmp_path) -> None:
    video = processed_hd
    assert video.state == "ready", (video.error_code, list(video.transitions.values_list("dst", "detail")))
    assert video.progress == 100
    assert video.original_container == "mov"
    # The rotation flag is applied: a 960x540 picture turned 90 degrees is shown portrait.
    assert (video.width, video.height) == (540, 960)
    assert video.duration_ms == pytest.approx(2000, abs=150)
    assert video.has_audio
    assert (
        video.hd_path
        and video.sd_path
        and video.preview_path
        and video.poster_path
        and video.poster_grid_path
    )
    assert list(VideoTransition.objects.filter(video=video).order_by("pk").values_list("dst", flat=True)) == [
        "uploaded",
        "probing",
        "transcoding",
        "ready",
    ]
    from haven.media.regions import storages_for

    storage = storages_for(video.storage_region).renditions
    for name, short_side in ((video.hd_path, 540), (video.sd_path, 480)):
        local = tmp_path / Path(name).name
        with storage.open(name, "rb") as fh:
            local.write_bytes(fh.read())
        info = ffprobe(local)
        streams = {s["codec_type"]: s for s in info["streams"]}
        assert streams["video"]["codec_name"] == "h264"
        assert streams["audio"]["codec_name"] == "aac"
        assert min(streams["video"]["width"], streams["video"]["height"]) == short_side
        assert streams["video"]["height"] > streams["video"]["width"]  # portrait, rotation applied
        assert not streams["video"].get("side_data_list")  # no display matrix left
        tags = [info["format"].get("tags", {}), *(s.get("tags", {}) for s in info["streams"])]
        keys = " ".join(key.lower() for t in tags for key in t)
        for leak in ("location", "creation_time", "com.apple", "xyz", "encoder", "rotate"):
            assert leak not in keys, (leak, tags)
        text = json.dumps(info).lower()
        for leak in ("48.8584", "2.2945", "2024-05-01", "holiday"):
            assert leak not in text, leak


def test_refused_files_leave_nothing_stored(member, tmp_path, storage_listing) -> None:  # noqa: F811
    before = storage_listing()
    hls = tmp_path / "evil.avi"
    hls.write_bytes(b"RIFF\x00\x00\x00\x00AVI LIST#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\nfile:///etc/passwd\n")
    with pytest.raises(VideoRejected):
        services.video_from_file(owner=member, path=hls)
    assert not hls.exists()
    assert storage_listing() == before
    assert not MediaVideo.objects.exists()


def test_a_truncated_mp4_is_rejected_by_the_worker_and_its_original_deleted(
    member,
    tmp_path,
    django_capture_on_commit_callbacks,
    storage_listing,  # noqa: F811
) -> None:
    clip = make_clip(tmp_path / "clip.mp4", size="320x240")
    data = clip.read_bytes()
    clip.write_bytes(data[: len(data) // 3])  # keeps the ftyp header: passes the sniff
    with django_capture_on_commit_callbacks(execute=True):
        video = services.video_from_file(owner=member, path=clip)
    video.refresh_from_db()
    assert video.state in {"rejected", "failed"}
    assert video.error_code
    status = selectors.video_status(video)
    assert status["error"] and status["poster_url"] == ""
    if video.state == "rejected":
        assert not [key for key in storage_listing() if key.startswith("private/")]


def test_video_notes_publish_only_when_ready_and_never_with_photos(member, tmp_path, processed) -> None:
    other = UserFactory()
    with pytest.raises(InvalidInput) as refused:
        note_services.note_create(author=other, title="not mine", video_id=processed.pk)
    assert refused.value.code == "invalid_video"
    pending = MediaVideo.objects.create(owner=member, state="transcoding", original_path="x")
    with pytest.raises(Conflict) as not_ready:
        note_services.note_create(author=member, title="too soon", video_id=pending.pk)
    assert not_ready.value.code == "video_not_ready"
    draft = note_services.note_create(author=member, title="draft first", video_id=pending.pk, publish=False)
    assert draft.video_id == pending.pk
    note = note_services.note_create(author=member, title="my trip", body="#travel", video_id=processed.pk)
    assert note.status == Note.Status.PUBLISHED
    with pytest.raises(InvalidInput) as twice:
        note_services.note_create(author=member, title="again", video_id=processed.pk, publish=False)
    assert twice.value.code == "invalid_video"  # one note per video


def test_renditions_are_served_with_range_and_follow_the_notes_visibility(
    member,
    processed,
    django_capture_on_commit_callbacks,
    storage_listing,  # noqa: F811
) -> None:
    note = note_services.note_create(author=member, title="seek me", video_id=processed.pk)
    note = note_detail(None, note.pk)
    player = video_player(note)
    assert player is not None and player["ready"]
    url = player["sources"][0]["url"]
    assert "?" not in url  # a public note: a stable, cacheable URL
    anonymous = Client()
    response, body = fetch_file(anonymous, url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"].startswith("bytes 0-99/")
    assert len(body) == 100 and body[4:8] == b"ftyp"
    response, _body = fetch_file(anonymous, player["poster"])
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"

    # Only me: the stable URL stops working; the owner's page gets signed URLs that work.
    note_services.note_update(actor=member, note_id=note.pk, visibility="private")
    assert fetch_file(anonymous, url)[0].status_code == 404
    private = video_player(note_detail(member, note.pk))
    assert private is not None and "s=" in private["sources"][0]["url"]
    owner = Client()
    owner.force_login(member)
    assert fetch_file(owner, private["sources"][0]["url"])[0].status_code == 200
    assert fetch_file(anonymous, private["sources"][0]["url"].replace("s=", "s=x"))[0].status_code == 404

    # Deleting the note deletes the video and every one of its files.
    names = [f"media/{p}" for p in processed.rendition_paths()] + [f"private/{processed.original_path}"]
    assert set(names) <= storage_listing()
    with django_capture_on_commit_callbacks(execute=True):
        note_services.note_delete(actor=member, note_id=note.pk)
    assert not MediaVideo.objects.filter(pk=processed.pk).exists()
    left = storage_listing()
    assert not [
        key for key in left if f"/v{processed.pk}/" in key or key.endswith(Path(processed.original_path).name)
    ]
    assert fetch_file(owner, private["sources"][0]["url"])[0].status_code == 404


def test_cards_show_the_poster_length_and_a_preview(member, processed) -> None:
    note = note_services.note_create(author=member, title="card", video_id=processed.pk)
    [card] = card_data(None, [note_detail(None, note.pk)])
    assert card["video"]["duration_ms"] == processed.duration_ms
    assert urlsplit(card["video"]["preview_url"]).path.endswith(Path(processed.preview_path).name)
    assert urlsplit(card["cover"]["grid_url"]).path.endswith(Path(processed.poster_grid_path).name)
    assert (card["cover"]["width"], card["cover"]["height"]) == (270, 480)


def test_the_author_chooses_the_poster_frame(
    member,
    processed,
    django_capture_on_commit_callbacks,
    storage_listing,  # noqa: F811
) -> None:
    note = note_services.note_create(author=member, title="cover", video_id=processed.pk)
    old = processed.poster_path
    owner = Client()
    owner.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task runs after commit
        response = owner.post(f"/notes/{note.pk}/cover/", {"at": "1.5"})
    assert response.status_code == 302
    video = MediaVideo.objects.get(pk=processed.pk)
    assert video.poster_at_ms == 1500 and video.poster_path != old
    assert f"media/{old}" not in storage_listing()
    with pytest.raises(InvalidInput):
        services.video_set_poster(owner=member, video_id=processed.pk, at_ms=10**6)
    assert owner.post(f"/notes/{note.pk}/cover/", {"at": "nan?"}).status_code == 302
    assert Client().post(f"/notes/{note.pk}/cover/", {"at": "1"}).status_code == 302  # to the login
    assert MediaVideo.objects.get(pk=processed.pk).poster_at_ms == 1500
    page = owner.get(f"/notes/{note.pk}/").content.decode()
    assert 'data-testid="poster-manager"' in page and 'value="1.5"' in page


def test_the_reconciler_retries_stalled_and_failed_runs_then_gives_up(member) -> None:
    long_ago = timezone.now() - services.stale_video_processing() - timedelta(minutes=1)
    stalled = MediaVideo.objects.create(
        owner=member, state="transcoding", attempts=1, state_changed_at=long_ago
    )
    failed = MediaVideo.objects.create(owner=member, state="failed", attempts=1, error_code="video_timeout")
    exhausted = MediaVideo.objects.create(
        owner=member, state="probing", attempts=3, state_changed_at=long_ago
    )
    for video in (stalled, failed, exhausted):  # attached to notes, so not stale uploads
        Note.objects.create(author=member, title="t", video=video)
    result = services.video_cleanup()
    assert result["videos_retried"] == 2 and result["videos_failed"] == 1
    states = dict(MediaVideo.objects.values_list("pk", "state"))
    # Retried runs went back to uploaded and were scheduled; with no original they fail again at once.
    assert states[stalled.pk] in {"uploaded", "failed", "rejected"} and states[stalled.pk] != "transcoding"
    assert states[exhausted.pk] == "failed"


def test_unattached_videos_are_cleaned_up_with_their_files(
    member,
    processed,
    django_capture_on_commit_callbacks,
    storage_listing,  # noqa: F811
) -> None:
    MediaVideo.objects.filter(pk=processed.pk).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.video_cleanup()["videos_deleted"] == 1
    assert not [key for key in storage_listing() if f"/v{processed.pk}/" in key]


def test_views_are_counted(member, processed, settings) -> None:
    services.video_view_add(video_id=processed.pk)
    services.video_view_add(video_id=processed.pk)
    counters.views_flush()  # a no-op unless the scaled profile buffers them
    processed.refresh_from_db()
    assert processed.view_count == 2


def test_caption_tracks_follow_the_notes_visibility(member, processed) -> None:
    note = note_services.note_create(author=member, title="subtitled", video_id=processed.pk)
    owner = Client()
    owner.force_login(member)
    vtt = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<b>Hello</b> <script>x</script>world\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner.post(
        f"/api/v1/media/videos/{processed.pk}/captions/en",
        {"file": SimpleUploadedFile("en.vtt", vtt, content_type="text/vtt")},
    )
    assert response.status_code == 200, response.content
    assert response.json()["cue_count"] == 1
    served = Client().get(f"/notes/{note.pk}/captions/en.vtt")
    assert served.status_code == 200 and served["Content-Type"].startswith("text/vtt")
    text = served.content.decode()
    assert text.startswith("WEBVTT") and "Hello" in text and "<" not in text.replace("-->", "")
    page = Client().get(f"/notes/{note.pk}/")
    assert b'<track kind="subtitles"' in page.content and b'data-testid="note-video"' in page.content
    note_services.note_update(actor=member, note_id=note.pk, visibility="private")
    assert Client().get(f"/notes/{note.pk}/captions/en.vtt").status_code == 404
    assert owner.get(f"/notes/{note.pk}/captions/en.vtt").status_code == 200


def test_video_status_api_is_the_owners_only(member, processed) -> None:
    owner, stranger = Client(), Client()
    owner.force_login(member)
    stranger.force_login(UserFactory())
    body = owner.get(f"/api/v1/media/videos/{processed.pk}").json()
    assert body["state"] == "ready" and body["progress"] == 100 and body["poster_url"]
    assert stranger.get(f"/api/v1/media/videos/{processed.pk}").status_code == 404
    assert owner.put(
        f"/api/v1/media/videos/{processed.pk}/poster", {"at_ms": -1}, content_type="application/json"
    ).status_code in {400, 422}
    accepted = owner.put(
        f"/api/v1/media/videos/{processed.pk}/poster", {"at_ms": 500}, content_type="application/json"
    )
    assert accepted.status_code == 202 and accepted.json()["state"] == "ready"


def test_moderators_see_the_poster_and_read_the_captions(member, processed) -> None:
    from haven.core import reportables
    from haven.media import captions

    note = note_services.note_create(author=member, title="reported", video_id=processed.pk)
    captions.caption_set(
        owner=member,
        video_id=processed.pk,
        language="en",
        data=b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nBuy followers at spam.example\n",
    )
    kind = reportables.get("note")
    assert kind is not None and "media.MediaVideo" in reportables.covered_models()
    target = kind.describe(kind.load(note.pk))
    assert "Buy followers at spam.example" in target.text
    assert (
        target.image_urls
        and Path(urlsplit(target.image_urls[0]).path).name == Path(processed.poster_grid_path).name
    )


def test_search_finds_a_video_by_the_words_of_its_captions(member, processed) -> None:
    from haven.search.selectors import search
    from haven.search.tests.helpers import found, index_all

    note = note_services.note_create(author=member, title="Morning walk", video_id=processed.pk)
    services.caption_set(
        owner=member,
        video_id=processed.pk,
        language="zh-Hans",
        data="WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n外滩的早晨很安静\n".encode(),
    )
    index_all()
    assert found(None, "外滩") == [note.pk]
    [hit] = search(None, "外滩", kind="note").items
    assert Path(urlsplit(hit.card["cover_url"]).path).name == Path(processed.poster_grid_path).name


def test_rendition_files_of_videos_that_no_longer_exist_are_swept(member, storage_listing) -> None:  # noqa: F811
    from django.core.files.base import ContentFile

    from haven.media.regions import storages_for

    storage = storages_for("default").renditions
    stray = storage.save("r/v987654/abc-480.mp4", ContentFile(b"not referenced"))
    kept = MediaVideo.objects.create(owner=member, state="ready")
    Note.objects.create(author=member, title="kept", video=kept)  # attached: not a stale upload
    own = storage.save(f"r/v{kept.pk}/abc-480.mp4", ContentFile(b"referenced by a row"))
    assert services.video_cleanup()["video_orphans"] == 0  # younger than a day: may be a run in progress
    result = services.video_cleanup(now=timezone.now() + timedelta(days=2))
    assert result["video_orphans"] == 1, storage_listing()
    listing = storage_listing()
    assert f"media/{stray}" not in listing and f"media/{own}" in listing


def test_captions_added_after_publishing_are_scored_by_moderation(
    member, processed, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from haven.core import reportables

    note = note_services.note_create(author=member, title="scored", video_id=processed.pk)
    scored: list[tuple[str, int]] = []
    monkeypatch.setattr(reportables, "content_created", lambda kind, pk: scored.append((kind, pk)))
    with django_capture_on_commit_callbacks(execute=True):
        services.caption_set(
            owner=member,
            video_id=processed.pk,
            language="en",
            data=b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nhello\n",
        )
    assert scored == [("note", note.pk)]
