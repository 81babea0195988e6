"""Translated and bilingual caption tracks: visibility, batching, cache, quota, hostile answers, the view."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited, TooLarge
from haven.media import captions as media_captions
from haven.media.models import MediaVideo, VideoCaption
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory, block, follow
from haven.translation import captions, services, views
from haven.translation.tests.conftest import libretranslate_ok, provider

pytestmark = pytest.mark.django_db

LINES = ["你好世界", "今天我们去喝咖啡", "这家店的拿铁很好喝"]


@pytest.fixture
def lt(serve: Any, settings: Any) -> Any:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="lt")]
    settings.TRANSLATION_ROUTES = {}
    return server


def srt(lines: list[str]) -> bytes:
    """An SRT file with one cue per line, every two seconds, each 1.5 s long."""

    def stamp(ms: int) -> str:
        return f"00:{ms // 60_000:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    blocks = [
        f"{i + 1}\n{stamp(2000 * i)} --> {stamp(2000 * i + 1500)}\n{line}\n" for i, line in enumerate(lines)
    ]
    return "\n".join(blocks).encode()


def many(n: int, length: int = 8) -> list[str]:
    """`n` distinct Chinese lines of `length` characters."""
    return [("第" + str(i) + "句话说得很好" * length)[:length] + str(i) for i in range(n)]


def video_note(lines: list[str] | None = None, *, language: str = "zh-Hans", **note: Any) -> Any:
    """A published note whose video has a caption track `language` of `lines`."""
    author = note.pop("author", None) or UserFactory()
    video = MediaVideo.objects.create(owner=author, state=MediaVideo.State.READY)
    if lines is not None:
        media_captions.caption_set(owner=author, video_id=video.pk, language=language, data=srt(lines))
    return NoteFactory(author=author, video=video, images=0, language="zh-Hans", **note)


def timed_lines(vtt: str) -> list[list[str]]:
    """The cues of a WebVTT text as [timing, text lines...]."""
    assert vtt.startswith("WEBVTT\n\n")
    return [block.split("\n") for block in vtt[len("WEBVTT\n\n") :].strip("\n").split("\n\n")]


# ----------------------------------------------------------------------------------------------
# The track


def test_translated_track(lt: Any) -> None:
    note = video_note(LINES)
    vtt = captions.caption_track(
        viewer=UserFactory(), note_id=note.pk, source_language="zh-hans", target="en", bilingual=False
    )
    assert timed_lines(vtt) == [
        ["00:00:00.000 --> 00:00:01.500", "[en] 你好世界"],
        ["00:00:02.000 --> 00:00:03.500", "[en] 今天我们去喝咖啡"],
        ["00:00:04.000 --> 00:00:05.500", "[en] 这家店的拿铁很好喝"],
    ]
    assert len(lt.requests) == 1 and lt.requests[0]["q"] == LINES


def test_bilingual_track_shows_the_original_then_the_translation(lt: Any) -> None:
    note = video_note([*LINES[:2], "OK 👍"])
    vtt = captions.caption_track(
        viewer=None, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
    )
    assert timed_lines(vtt) == [
        ["00:00:00.000 --> 00:00:01.500", "你好世界", "[en] 你好世界"],
        ["00:00:02.000 --> 00:00:03.500", "今天我们去喝咖啡", "[en] 今天我们去喝咖啡"],
        ["00:00:04.000 --> 00:00:05.500", "OK 👍"],  # needs no translation: shown once
    ]


def test_a_long_track_goes_in_bounded_batches_of_distinct_texts_and_then_comes_from_the_cache(
    lt: Any,
) -> None:
    lines = many(45)
    note = video_note([*lines, *lines[:5]])  # repeated lines are sent once
    viewer = UserFactory()
    first = captions.caption_track(
        viewer=viewer, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=False
    )
    assert [len(r["q"]) for r in lt.requests] == [services.MAX_TEXTS, services.MAX_TEXTS, 5]
    assert sorted(t for r in lt.requests for t in r["q"]) == sorted(lines)
    again = captions.caption_track(
        viewer=viewer, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=False
    )
    assert again == first and len(lt.requests) == 3
    assert len(timed_lines(first)) == 50


def test_batches_stay_within_the_character_limit(lt: Any, settings: Any) -> None:
    settings.TRANSLATION_MAX_CHARS = 100
    lines = [*many(5, 40), "长" * 101]
    note = video_note(lines)
    vtt = captions.caption_track(
        viewer=None, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=False
    )
    assert [sum(len(t) for t in r["q"]) for r in lt.requests] == [2 * 41, 2 * 41, 41]
    assert timed_lines(vtt)[-1][1] == "长" * 101  # longer than one request may carry: kept, never sent


def test_too_many_distinct_lines(lt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(captions, "MAX_TRANSLATED_TEXTS", 4)
    note = video_note(many(5))
    with pytest.raises(TooLarge) as info:
        captions.caption_track(
            viewer=None, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
        )
    assert info.value.code == "captions_translation_too_large"
    assert lt.requests == []


def test_each_batch_with_new_texts_is_charged_to_the_viewer(lt: Any, settings: Any) -> None:
    settings.TRANSLATION_MEMBER_QUOTA_PER_HOUR = 2
    note = video_note(many(45))  # three batches
    viewer = UserFactory()
    with pytest.raises(RateLimited) as info:
        captions.caption_track(
            viewer=viewer, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
        )
    assert info.value.code == "translation_quota"
    # Another member's quota is their own; and cached texts cost nothing.
    captions.caption_track(
        viewer=UserFactory(), note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
    )
    captions.caption_track(
        viewer=viewer, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
    )


def test_hostile_translations_are_plain_text_in_the_track(serve: Any, settings: Any) -> None:
    answers = [
        "<script>alert(1)</script>Hi",
        "a\n\n\n00:00:09.000 --> 00:00:10.000\nsmuggled",
        "\u202eevil &lt;b&gt; <img src=x onerror=alert(2)>",
    ]

    def hostile(body: dict[str, Any]) -> tuple[int, bytes]:
        return 200, json.dumps({"translatedText": answers[: len(body["q"])]}).encode()

    server = serve(hostile)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="evil")]
    note = video_note(LINES)
    vtt = captions.caption_track(
        viewer=None, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=False
    )
    assert timed_lines(vtt) == [
        ["00:00:00.000 --> 00:00:01.500", "Hi"],
        ["00:00:02.000 --> 00:00:03.500", "a", "00:00:09.000 --&gt; 00:00:10.000", "smuggled"],
        ["00:00:04.000 --> 00:00:05.500", "evil &lt;b&gt;"],
    ]
    assert len(media_captions.parse(vtt.encode())) == 3


# ----------------------------------------------------------------------------------------------
# Who may have it


def test_invisible_notes_and_missing_tracks_are_not_found(lt: Any) -> None:
    author, stranger = UserFactory(), UserFactory()
    hidden = [
        video_note(LINES, author=author, visibility=Visibility.PRIVATE),
        video_note(LINES, author=author, visibility=Visibility.FOLLOWERS),
        video_note(LINES, author=author, draft=True),
    ]
    blocked = video_note(LINES, author=author)
    block(author, stranger)
    for note_id in [*(n.pk for n in hidden), blocked.pk, 10**9, "abc"]:
        with pytest.raises(NotFound):
            captions.caption_track(
                viewer=stranger, note_id=note_id, source_language="zh-Hans", target="en", bilingual=True
            )
    without_video = NoteFactory(author=author)
    without_track = video_note(None, author=author)
    for note, language in [(without_video, "zh-Hans"), (without_track, "zh-Hans"), (blocked, "en")]:
        with pytest.raises(NotFound) as info:
            captions.caption_track(
                viewer=author, note_id=note.pk, source_language=language, target="en", bilingual=True
            )
        assert info.value.code == "caption_not_found"
    assert lt.requests == []


def test_bad_languages(lt: Any) -> None:
    note = video_note(LINES)
    for source, target, code in [
        ("chinese", "en", "captions_bad_language"),
        ("zh-Hans", "xx", "unsupported_language"),
    ]:
        with pytest.raises(InvalidInput) as info:
            captions.caption_track(
                viewer=None, note_id=note.pk, source_language=source, target=target, bilingual=True
            )
        assert info.value.code == code


def test_a_followers_only_note_goes_only_to_providers_allowed_for_private_content(
    serve: Any, settings: Any
) -> None:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="lt")]
    author, follower = UserFactory(), UserFactory()
    follow(follower, author)
    note = video_note(LINES, author=author, visibility=Visibility.FOLLOWERS)
    with pytest.raises(services.TranslationUnavailable):
        captions.caption_track(
            viewer=follower, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
        )
    assert server.requests == []
    settings.TRANSLATION_PROVIDERS = [
        provider("libretranslate", server.url, id="lt", allowed_for_private_content=True)
    ]
    vtt = captions.caption_track(
        viewer=follower, note_id=note.pk, source_language="zh-Hans", target="en", bilingual=True
    )
    assert "[en] 你好世界" in vtt


# ----------------------------------------------------------------------------------------------
# The author stores a translated track


def test_author_stores_a_translated_track(lt: Any) -> None:
    note = video_note(LINES)
    owner, video_id = note.author, note.video_id
    caption = captions.caption_translate_for_author(
        owner=owner, video_id=video_id, source_language="zh-Hans", target="EN"
    )
    caption.refresh_from_db()
    assert (caption.language, caption.source, caption.translated_from, caption.cue_count) == (
        "en",
        VideoCaption.Source.TRANSLATION,
        "zh-Hans",
        3,
    )
    assert media_captions.stored_cues(caption.vtt)[0].text == "[en] 你好世界"
    # Again: the translation is replaced, not duplicated; a stranger's request finds no video.
    captions.caption_translate_for_author(
        owner=owner, video_id=video_id, source_language="zh-Hans", target="en"
    )
    assert [c.language for c in media_captions.captions_of(video_id)] == ["en", "zh-Hans"]
    with pytest.raises(NotFound) as info:
        captions.caption_translate_for_author(
            owner=UserFactory(), video_id=video_id, source_language="zh-Hans", target="en"
        )
    assert info.value.code == "video_not_found"


def test_an_uploaded_track_is_not_overwritten_by_a_translation(lt: Any) -> None:
    note = video_note(LINES)
    media_captions.caption_set(owner=note.author, video_id=note.video_id, language="en", data=srt(["Hello"]))
    with pytest.raises(Conflict) as info:
        captions.caption_translate_for_author(
            owner=note.author, video_id=note.video_id, source_language="zh-Hans", target="en"
        )
    assert info.value.code == "caption_language_taken"
    assert (
        VideoCaption.objects.get(video_id=note.video_id, language="en").source == VideoCaption.Source.UPLOAD
    )
    assert lt.requests == []


# ----------------------------------------------------------------------------------------------
# The view


def url(note_id: int, source: str = "zh-Hans", **query: str) -> str:
    base = reverse("translation:caption_track", args=[note_id, source])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_view_serves_webvtt(client: Client, lt: Any) -> None:
    note = video_note(LINES)
    response = client.get(url(note.pk, target="en", mode="translated"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=300"
    assert timed_lines(response.content.decode())[0] == ["00:00:00.000 --> 00:00:01.500", "[en] 你好世界"]
    bilingual = client.get(url(note.pk, target="en")).content.decode()  # bilingual by default
    assert timed_lines(bilingual)[0] == ["00:00:00.000 --> 00:00:01.500", "你好世界", "[en] 你好世界"]


def test_view_errors_carry_codes(client: Client, lt: Any) -> None:
    note = video_note(LINES)
    private = video_note(LINES, visibility=Visibility.PRIVATE)
    cases = [
        (url(10**9, target="en"), 404, "not_found"),
        (url(private.pk, target="en"), 404, "not_found"),
        (url(note.pk, "fr", target="en"), 404, "caption_not_found"),
        (url(note.pk, "not-a-language", target="en"), 400, "captions_bad_language"),
        (url(note.pk, target="xx"), 400, "unsupported_language"),
        (url(note.pk), 400, "unsupported_language"),
        (url(note.pk, target="en", mode="karaoke"), 400, "invalid_caption_mode"),
    ]
    for path, status, code in cases:
        response = client.get(path)
        assert (response.status_code, response.json()["code"]) == (status, code), path
        assert response["Cache-Control"] == "no-store"
    assert client.post(url(note.pk, target="en")).status_code == 405
    assert lt.requests == []


def test_view_is_rate_limited(client: Client, lt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "AIDS_PER_MINUTE", 2)
    note = video_note(LINES)
    statuses = [client.get(url(note.pk, target="en")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
