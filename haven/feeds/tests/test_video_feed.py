"""The vertical video feed (/videos/, GET /api/v1/feeds/videos), video cards in feeds and view counts."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from haven.core.reportables import ModerationState
from haven.feeds import selectors
from haven.feeds.templatetags.video_tags import duration
from haven.feeds.tests.factories import NoteFactory, UserFactory, block, follow, mute, note_at, tag
from haven.media import counters, regions
from haven.media.models import MediaVideo, VideoCaption
from haven.media.tests.storage import media_storage  # noqa: F401
from haven.notes.models import Note, Visibility

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/v1/feeds/videos"
RENDITIONS = {
    "hd_path": "hd-720.mp4",
    "sd_path": "sd-480.mp4",
    "preview_path": "preview.mp4",
    "poster_path": "poster.webp",
    "poster_grid_path": "poster-grid.webp",
}
_ids = itertools.count(1)


def ready_video(owner: Any, *, duration_ms: int = 12_000, files: bool = False, **fields: Any) -> MediaVideo:
    """A processed (ready) video row without ffmpeg; `files`: small renditions written to storage."""
    video = MediaVideo.objects.create(
        owner=owner,
        state=fields.pop("state", MediaVideo.State.READY),
        duration_ms=duration_ms,
        width=720,
        height=1280,
        blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        **fields,
    )
    prefix = f"r/v{video.pk}-{next(_ids)}"
    paths = {column: f"{prefix}/{name}" for column, name in RENDITIONS.items()}
    if files:
        storage = regions.storages_for("default").renditions
        for column, path in paths.items():
            paths[column] = storage.save(path, ContentFile(f"{column} of video {video.pk}".encode() * 64))
    MediaVideo.objects.filter(pk=video.pk).update(**paths)
    video.refresh_from_db()
    return video


def video_note(author: Any | None = None, *, video: MediaVideo | None = None, **fields: Any) -> Note:
    """A published public video note (no images) with a ready video unless `video` is given."""
    author = author or UserFactory()
    hours_ago = fields.pop("hours_ago", 0)
    return note_at(hours_ago=hours_ago, author=author, video=video or ready_video(author), **fields)


def ids(page: Any) -> list[int]:
    return [note.pk for note in page.items]


def views_of(video: MediaVideo) -> int:
    counters.views_flush()  # the scaled profile buffers views in Redis
    video.refresh_from_db(fields=["view_count"])
    return video.view_count


def _slides(body: str) -> int:
    return body.count('data-testid="video-slide"')


class TestSelector:
    def test_lists_only_ready_published_public_video_notes_the_viewer_may_be_shown(self) -> None:
        viewer, followed, blocker, muted, private_author = (UserFactory() for _ in range(5))
        private_author.is_private = True
        private_author.save(update_fields=["is_private"])
        follow(viewer, followed)
        block(blocker, viewer)
        mute(viewer, muted)
        shown = video_note(hours_ago=3)
        own = video_note(viewer, hours_ago=2)
        NoteFactory()  # a photo note
        processing = UserFactory()
        video_note(processing, video=ready_video(processing, state=MediaVideo.State.TRANSCODING))
        video_note(draft=True)
        video_note(visibility=Visibility.PRIVATE)
        video_note(followed, visibility=Visibility.FOLLOWERS)  # visible to the viewer, not distributed
        by_blocker = video_note(blocker)
        by_muted = video_note(muted)
        video_note(private_author)  # a private account the viewer does not follow
        video_note(moderation=ModerationState.LIMITED)
        video_note(moderation=ModerationState.HELD)
        assert ids(selectors.video_feed(viewer)) == [own.pk, shown.pk]
        # Anonymous visitors: what anyone may see, newest first.
        assert ids(selectors.video_feed(None)) == [by_muted.pk, by_blocker.pk, own.pk, shown.pk]

    def test_keyset_pages_newest_first(self) -> None:
        notes = [video_note(hours_ago=hours) for hours in range(5)]
        first = selectors.video_feed(None, limit=2)
        second = selectors.video_feed(None, cursor=first.next_cursor, limit=2)
        third = selectors.video_feed(None, cursor=second.next_cursor, limit=2)
        assert ids(first) + ids(second) + ids(third) == [n.pk for n in notes]
        assert third.next_cursor is None

    def test_a_cursor_of_another_feed_is_refused(self) -> None:
        for hours in range(3):
            note_at(hours_ago=hours)
        other = selectors.profile_notes(None, Note.objects.first().author, limit=1)  # type: ignore[union-attr]
        with pytest.raises(Exception) as info:
            selectors.video_feed(None, cursor=other.next_cursor or "x")
        assert getattr(info.value, "code", "") == "invalid_cursor"

    def test_start_comes_first_then_older_videos(self) -> None:
        notes = [video_note(hours_ago=hours) for hours in range(5)]
        page = selectors.video_feed(None, limit=3, start=notes[2].pk)
        assert ids(page) == [notes[2].pk, notes[3].pk, notes[4].pk]
        assert page.next_cursor is None
        single = selectors.video_feed(None, limit=1, start=notes[1].pk)
        assert ids(single) == [notes[1].pk]
        assert ids(selectors.video_feed(None, cursor=single.next_cursor, limit=5)) == [
            n.pk for n in notes[2:]
        ]

    def test_start_must_be_visible_and_ready(self) -> None:
        viewer, friend = UserFactory(), UserFactory()
        follow(viewer, friend)
        newest = video_note(hours_ago=1)
        hidden = video_note(visibility=Visibility.PRIVATE, hours_ago=2)
        photo = NoteFactory()
        followers_only = video_note(friend, visibility=Visibility.FOLLOWERS, hours_ago=3)
        for start in (hidden.pk, photo.pk, "nope", 2**70):
            assert ids(selectors.video_feed(viewer, start=start))[0] == newest.pk
        # Opened from a note the viewer may see: it comes first even though the feed does not carry it.
        assert ids(selectors.video_feed(viewer, start=followers_only.pk))[0] == followers_only.pk
        assert ids(selectors.video_feed(None, start=followers_only.pk))[0] == newest.pk

    def test_slides_carry_the_player_with_captions_and_a_bilingual_track(self) -> None:
        note = video_note()
        VideoCaption.objects.create(video=note.video, language="zh-Hans", vtt="WEBVTT\n", cue_count=0)
        VideoCaption.objects.create(video=note.video, language="en", vtt="WEBVTT\n", cue_count=0)
        page = selectors.video_feed(None)
        with translation.override("zh-hans"):
            slide = selectors.video_slides(None, page.items)[0]
        player = slide["player"]
        assert slide["id"] == note.pk and slide["video"]["duration_ms"] == 12_000
        assert player["ready"] is True
        assert [s["height"] for s in player["sources"]] == [720, 480]
        assert player["poster"] and [c["language"] for c in player["captions"]] == ["en", "zh-Hans"]
        assert player["default_caption"] == "zh-Hans"
        bilingual = player["bilingual"]
        assert bilingual["source"] == "en" and bilingual["target"] == "zh-hans"
        assert bilingual["url"].startswith(f"/translation/notes/{note.pk}/captions/en.vtt?")
        assert "mode=bilingual" in bilingual["url"]


class TestPage:
    def test_full_screen_feed_with_test_ids_and_tracks(self, client: Client) -> None:
        note = video_note(title="Dumplings at dawn")
        VideoCaption.objects.create(video=note.video, language="en", vtt="WEBVTT\n", cue_count=0)
        response = client.get("/videos/")
        assert response.status_code == 200
        body = response.content.decode()
        for testid in ("video-feed", "video-slide", "video-player", "video-cc"):
            assert f'data-testid="{testid}"' in body
        assert "Dumplings at dawn" in body
        assert f'src="/notes/{note.pk}/captions/en.vtt"' in body and 'kind="subtitles"' in body
        assert f'data-view-url="/api/v1/feeds/videos/{note.pk}/view"' in body
        assert 'preload="none"' in body and "playsinline" in body and "muted" in body
        assert "feeds/videos.js" in body and "<script>" not in body  # no inline script (CSP nonces)
        assert client.get("/feeds/videos/").status_code == 200

    def test_no_captions_no_cc_button(self, client: Client) -> None:
        video_note()
        body = client.get("/videos/").content.decode()
        assert _slides(body) == 1 and 'data-testid="video-cc"' not in body

    def test_empty_feed(self, client: Client) -> None:
        NoteFactory()
        body = client.get("/videos/").content.decode()
        assert 'data-testid="video-feed"' in body and _slides(body) == 0

    def test_htmx_next_page_is_a_fragment_of_slides(self, client: Client) -> None:
        for hours in range(8):
            video_note(hours_ago=hours)
        body = client.get("/videos/").content.decode()
        assert _slides(body) == 6
        next_url = body.split('data-next-url="')[1].split('"')[0].replace("&amp;", "&")
        more = client.get(next_url, **HTMX)
        assert more.status_code == 200
        fragment = more.content.decode()
        assert _slides(fragment) == 2 and "<html" not in fragment and "data-next-url" not in fragment

    def test_start_parameter_and_bad_cursor(self, client: Client) -> None:
        older = video_note(title="Older one", hours_ago=5)
        video_note(title="Newest one")
        body = client.get(f"/videos/?start={older.pk}").content.decode()
        assert "Older one" in body and "Newest one" not in body  # the feed goes on with older videos
        assert body.split('data-testid="video-slide" data-note-id="')[1].startswith(str(older.pk))
        assert client.get("/videos/?start=abc").status_code == 200
        assert client.get("/videos/?cursor=garbage").status_code == 400

    def test_signed_in_slides_have_the_card_like_toggle(self, client: Client) -> None:
        note = video_note()
        client.force_login(UserFactory())
        body = client.get("/videos/").content.decode()
        assert f'hx-post="{reverse("engagement:like_toggle", args=[note.pk])}"' in body
        assert 'class="card-like"' in body and 'hx-vals=\'{"style": "card"}\'' in body

    def test_query_budget(self, client: Client, django_assert_max_num_queries: Any) -> None:
        viewer = UserFactory()
        for hours in range(6):
            note = video_note(hours_ago=hours)
            VideoCaption.objects.create(video=note.video, language="en", vtt="WEBVTT\n", cue_count=0)
        client.force_login(viewer)
        # Session and member, the page (notes with author and video), covers, likes, the two nav
        # badges: 7; then the caption tracks of the whole page (1), whatever its size.
        with django_assert_max_num_queries(8):
            response = client.get("/videos/")
        assert _slides(response.content.decode()) == 6

    def test_navigation_links_to_videos(self, client: Client) -> None:
        body = client.get("/feeds/trending/").content.decode()
        assert 'href="/videos/"' in body and "#i-video" in body


class TestCards:
    def test_card_data_of_a_video_note(self) -> None:
        note = video_note(video=ready_video(UserFactory(), duration_ms=61_500))
        card = selectors.card_data(None, selectors.video_feed(None).items)[0]
        assert card["id"] == note.pk
        assert card["video"]["duration_ms"] == 61_500
        assert card["video"]["preview_url"].endswith("/preview.mp4")
        assert card["cover"]["grid_url"].endswith("/poster-grid.webp")
        assert card["image_count"] == 0

    def test_topic_page_card_has_the_duration_badge_and_a_muted_preview(self, client: Client) -> None:
        note = video_note(video=ready_video(UserFactory(), duration_ms=61_500))
        photo = NoteFactory()
        tag(note, "dumplings")
        tag(photo, "dumplings")
        body = client.get("/feeds/topic/dumplings/").content.decode()
        assert body.count('data-testid="card-duration"') == 1
        assert "1:01" in body and "#i-play" in body
        preview = body.split("<video ")[1].split(">")[0]
        for attribute in ("muted", "loop", "playsinline", 'preload="none"', "data-card-preview"):
            assert attribute in preview
        assert "/preview.mp4" in preview

    def test_sensitive_cards_get_no_preview(self, client: Client) -> None:
        note = video_note()
        Note.objects.filter(pk=note.pk).update(sensitive=True)
        tag(note, "dumplings")
        body = client.get("/feeds/topic/dumplings/").content.decode()
        assert 'data-testid="card-duration"' in body and "data-card-preview" not in body

    @pytest.mark.parametrize(
        ("ms", "text"),
        [(0, "0:00"), (999, "0:00"), (1_000, "0:01"), (61_500, "1:01"), (600_000, "10:00"),
         (3_723_000, "1:02:03"), (None, ""), ("x", ""), (-5, "")],
    )  # fmt: skip
    def test_duration_filter(self, ms: Any, text: str) -> None:
        assert duration(ms) == text

    def test_the_preview_is_served_with_ranges(self, client: Client, media_storage: Any) -> None:  # noqa: F811
        author = UserFactory()
        video_note(author, video=ready_video(author, files=True))
        card = selectors.card_data(None, selectors.video_feed(None).items)[0]
        response = client.get(card["video"]["preview_url"], HTTP_RANGE="bytes=0-9")
        assert response.status_code == 206
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content == b"preview_pa"


class TestApi:
    def test_page_with_players(self, client: Client) -> None:
        notes = [video_note(hours_ago=hours) for hours in range(3)]
        VideoCaption.objects.create(video=notes[0].video, language="en", vtt="WEBVTT\n", cue_count=0)
        response = client.get(API, {"limit": 2})
        assert response.status_code == 200
        data = response.json()
        assert [item["id"] for item in data["items"]] == [notes[0].pk, notes[1].pk]
        player = data["items"][0]["player"]
        assert player["ready"] and player["poster"] and len(player["sources"]) == 2
        assert player["captions"][0]["url"] == f"/notes/{notes[0].pk}/captions/en.vtt"
        assert data["items"][0]["video"]["duration_ms"] == 12_000
        rest = client.get(API, {"cursor": data["next_cursor"], "limit": 2}).json()
        assert [item["id"] for item in rest["items"]] == [notes[2].pk] and rest["next_cursor"] is None
        assert client.get(API, {"start": notes[1].pk}).json()["items"][0]["id"] == notes[1].pk

    def test_bounds(self, client: Client) -> None:
        assert client.get(API, {"limit": selectors.VIDEO_PAGE_MAX + 1}).status_code == 422
        assert client.get(API, {"cursor": "garbage"}).json()["code"] == "invalid_cursor"


class TestViews:
    def _url(self, note: Note) -> str:
        return f"{API}/{note.pk}/view"

    def test_a_view_counts_once_per_viewer_within_the_window(self, client: Client) -> None:
        note = video_note()
        client.force_login(UserFactory())
        assert client.post(self._url(note)).status_code == 204
        assert client.post(self._url(note)).status_code == 204
        assert views_of(note.video) == 1
        other = Client()
        other.force_login(UserFactory())
        assert other.post(self._url(note)).status_code == 204
        assert views_of(note.video) == 2

    def test_anonymous_viewers_count_by_address(self, client: Client) -> None:
        note = video_note()
        assert client.post(self._url(note), REMOTE_ADDR="203.0.113.5").status_code == 204
        assert client.post(self._url(note), REMOTE_ADDR="203.0.113.5").status_code == 204
        assert client.post(self._url(note), REMOTE_ADDR="203.0.113.6").status_code == 204
        assert views_of(note.video) == 2

    def test_invisible_or_videoless_notes_are_404(self, client: Client) -> None:
        viewer, blocker = UserFactory(), UserFactory()
        block(blocker, viewer)
        private = video_note(visibility=Visibility.PRIVATE)
        blocked = video_note(blocker)
        processing_author = UserFactory()
        processing = video_note(
            processing_author, video=ready_video(processing_author, state=MediaVideo.State.TRANSCODING)
        )
        photo = NoteFactory()
        client.force_login(viewer)
        for note in (private, blocked, processing, photo):
            response = client.post(self._url(note))
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert client.post(f"{API}/999999999/view").status_code == 404
        assert views_of(private.video) == 0 and views_of(blocked.video) == 0

    def test_the_author_sees_their_private_video_counted(self, client: Client) -> None:
        author = UserFactory()
        note = video_note(author, visibility=Visibility.PRIVATE)
        client.force_login(author)
        assert client.post(self._url(note)).status_code == 204
        assert views_of(note.video) == 1

    def test_a_session_needs_csrf(self) -> None:
        note = video_note()
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(UserFactory())
        response = strict.post(self._url(note))
        assert response.status_code == 403
        assert views_of(note.video) == 0

    def test_too_many_reports_are_rate_limited(self, client: Client, monkeypatch: Any) -> None:
        from haven.feeds import api

        monkeypatch.setattr(api, "VIEWS_PER_HOUR", 2)
        notes = [video_note(hours_ago=hours) for hours in range(3)]
        client.force_login(UserFactory())
        assert [client.post(self._url(n)).status_code for n in notes] == [204, 204, 429]
