"""Tests of caption tracks: WebVTT/SRT parsing, limits, sanitising, writing, bilingual tracks, services."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.core.errors import Conflict, InvalidInput, NotFound, TooLarge, UnsupportedMedia
from haven.media import captions
from haven.media.captions import Cue, bilingual, normalize_language, parse, serialize
from haven.media.models import MediaVideo, VideoCaption
from haven.media.tests.factories import UserFactory

VTT = """WEBVTT - a title
Kind: captions
Language: en

NOTE a note, with a timing line inside
00:00:00.000 --> 00:00:09.000

STYLE
::cue { color: red }

REGION
id:fred width:40%

intro
00:00:01.000 --> 00:00:02.500 align:start position:10% line:0
<v Bob>Hello</v> <c.yellow.bg>world</c>

00:02.500 --> 00:04.000
<i>second</i>
<b>two lines</b>
"""

SRT = """1
00:00:01,000 --> 00:00:02,500
<font color="red">Hello</font> world

2
00:00:02,500 --> 00:00:04,000 X1:100 X2:200 Y1:10 Y2:20
{\\an8}<i>second</i>
two lines
"""

EXPECTED = [Cue(1000, 2500, "Hello world"), Cue(2500, 4000, "second\ntwo lines")]


def vtt(*cues: tuple[str, str]) -> bytes:
    """A WebVTT file of (timing line, raw text) pairs."""
    return ("WEBVTT\n\n" + "".join(f"{timing}\n{text}\n\n" for timing, text in cues)).encode()


def one(text: str) -> str:
    """The sanitised text of a one-cue WebVTT file whose raw cue text is `text`."""
    [cue] = parse(vtt(("00:00.000 --> 00:01.000", text)))
    return cue.text


def refused(data: bytes) -> tuple[type, str]:
    with pytest.raises((InvalidInput, TooLarge, UnsupportedMedia)) as info:
        parse(data)
    return type(info.value), info.value.code


# ----------------------------------------------------------------------------------------------
# Formats and encodings


def test_webvtt_keeps_cues_and_drops_header_notes_styles_regions_identifiers_and_settings() -> None:
    assert parse(VTT.encode(), filename="talk.vtt") == EXPECTED


def test_srt_with_indexes_comma_milliseconds_coordinates_font_and_override_tags() -> None:
    assert parse(SRT.encode(), filename="talk.srt") == EXPECTED


def test_format_is_told_by_content_not_by_the_file_name() -> None:
    assert parse(VTT.encode(), filename="talk.srt") == EXPECTED
    assert parse(SRT.encode(), filename="talk.vtt") == EXPECTED
    assert parse(SRT.encode(), filename="") == EXPECTED


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: text.replace("\n", "\r").encode(),
        lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(),
        lambda text: text.encode("utf-16"),  # with a BOM, the machine's byte order
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ],
    ids=["utf8-bom", "crlf", "cr", "bom-crlf", "utf16", "utf16-le", "utf16-be"],
)
@pytest.mark.parametrize("text", [VTT, SRT], ids=["vtt", "srt"])
def test_boms_and_line_ends(encode, text: str) -> None:  # type: ignore[no-untyped-def]
    assert parse(encode(text)) == EXPECTED


def test_srt_text_after_a_blank_line_continues_the_cue_and_a_missing_blank_line_starts_one() -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nfirst\n\nstill first\n2\n00:00:03,000 --> 00:00:04,000\nnext\n"
    assert parse(data) == [Cue(1000, 2000, "first\nstill first"), Cue(3000, 4000, "next")]


def test_srt_without_indexes_and_webvtt_without_hours() -> None:
    assert parse(b"00:00:01,5 --> 00:00:02,25\na\n") == [Cue(1500, 2250, "a")]
    assert parse(b"WEBVTT\n\n01:02.003 --> 01:03.000\nb\n") == [Cue(62003, 63000, "b")]


def test_cues_are_sorted_by_start_and_may_overlap() -> None:
    data = vtt(
        ("00:05.000 --> 00:06.000", "late"),
        ("00:01.000 --> 00:09.000", "long"),
        ("00:02.000 --> 00:03.000", "in"),
    )
    assert parse(data) == [Cue(1000, 9000, "long"), Cue(2000, 3000, "in"), Cue(5000, 6000, "late")]


# ----------------------------------------------------------------------------------------------
# Hostile text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<script>alert(1)</script>hi", "hi"),
        ('<img src=x onerror="alert(1)">hi', "hi"),
        ("<a href='javascript:alert(1)'>hi</a>", "hi"),
        ("<style>::cue{}</style>hi", "hi"),
        ("<!-- hidden -->hi", "hi"),
        ("<ruby>漢<rt>kan</rt></ruby>字", "漢字"),
        ("<c.a.b>x</c> <u>y</u> <lang en>z</lang>", "x y z"),
        ("karaoke <00:00:00.500>one <00:00:00.800>two", "karaoke one two"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),  # text, escaped again
        ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),  # decoded once only
        ("Tom &amp; Jerry &copy; &#x41;&#66;", "Tom & Jerry © AB"),
        ("a\u202eevil\u202c b\u2066c\u2069", "aevil bc"),  # bidi overrides and isolates
        ("a&#x202E;b&#8238;c", "abc"),  # ... also as entities
        ("a\x07b\x1bc\x7fd\x85e\x9bf", "abcd\nef"),  # controls dropped (NEL is a line break)
        ("a\ufeffb", "ab"),
        ("مرحبا\u200f بالعالم", "مرحبا\u200f بالعالم"),  # a right-to-left mark is kept (not an override)
        ("  spaced \t  out  ", "spaced out"),
    ],
)
def test_cue_text_becomes_plain_text(raw: str, text: str) -> None:
    assert one(raw) == text


def test_clean_text_collapses_blank_lines_and_is_idempotent() -> None:
    text = captions.clean_text(" one \n\n \u2028\ttwo\r\n\r\nthree\n\nfour ")
    assert text == "one\ntwo\nthree four"
    assert captions.clean_text(text) == text


def test_arrow_inside_text_stays_text_and_is_escaped_when_written() -> None:
    cues = parse(vtt(("00:00.000 --> 00:01.000", "a --> b\n--> 00:00:02.000 x")))
    assert cues == [Cue(0, 1000, "a --> b\n--> 00:00:02.000 x")]
    written = serialize(cues)
    assert "-->" not in written.split("\n", 3)[3]
    assert parse(written.encode()) == cues


def test_a_timing_line_inside_text_starts_a_cue_so_it_cannot_smuggle_one_into_another() -> None:
    cues = parse(vtt(("00:00.000 --> 00:01.000", "first\n00:00:05.000 --> 00:00:06.000\nsecond")))
    assert cues == [Cue(0, 1000, "first"), Cue(5000, 6000, "second")]


def test_serialized_text_never_carries_markup_blank_lines_or_arrows() -> None:
    cue = Cue(0, 1000, "<script>x</script>\n\n\n00:00:05.000 --> 00:00:06.000\n<b>&amp;</b>\u202e")
    written = serialize([cue])
    assert written == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n"
        "&lt;script&gt;x&lt;/script&gt;\n00:00:05.000 --&gt; 00:00:06.000\n&lt;b&gt;&amp;amp;&lt;/b&gt;\n\n"
    )
    assert parse(written.encode()) == [
        Cue(0, 1000, "<script>x</script>\n00:00:05.000 --> 00:00:06.000\n<b>&amp;</b>")
    ]


def test_long_text_is_cut_and_extra_lines_are_joined() -> None:
    assert one("x" * 5000) == "x" * captions.MAX_CUE_TEXT
    assert one("a\nb\nc\nd\ne") == "a\nb\nc d e"


def test_cues_left_without_text_are_dropped() -> None:
    data = vtt(("00:00.000 --> 00:01.000", "<b></b>"), ("00:01.000 --> 00:02.000", "kept"))
    assert parse(data) == [Cue(1000, 2000, "kept")]


# ----------------------------------------------------------------------------------------------
# Refusals


def test_too_large_file() -> None:
    data = vtt(("00:00.000 --> 00:01.000", "x" * 400)) * 3000  # about 1.2 MB
    assert len(data) > 1024 * 1024
    assert refused(data) == (TooLarge, "captions_too_large")
    assert refused(b"x" * (captions.MAX_BYTES + 1)) == (TooLarge, "captions_too_large")


def test_too_many_cues() -> None:
    data = b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\na\n\n" * 10_000
    assert len(data) <= captions.MAX_BYTES
    assert refused(data) == (TooLarge, "captions_too_many_cues")
    at_limit = b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\na\n\n" * captions.MAX_CUES
    assert len(parse(at_limit)) == captions.MAX_CUES


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 8,
        b"\x00\x00\x00\x18ftypmp42",
        "WEBVTT\n\n00:00.000 --> 00:01.000\ncaf\xe9\n".encode("latin-1"),  # not UTF-8
        "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n".encode("utf-16-le"),  # UTF-16 without a BOM
        b"just some text\nwith lines\n",
        b"<html><body>00:00:01</body></html>",
        b"WEBVTTX\n\nhi\n",
    ],
)
def test_unreadable(data: bytes) -> None:
    assert refused(data) == (UnsupportedMedia, "captions_unreadable")


@pytest.mark.parametrize(
    "timing",
    [
        "00:00:02.000 --> 00:00:01.000",  # ends before it starts
        "00:00:01.000 --> 00:00:01.000",  # ends as it starts
        "24:00:00.000 --> 24:00:00.001",  # past 24 h
        "00:60:00.000 --> 00:61:00.000",  # minutes out of range
        "00:00:75.000 --> 00:00:76.000",  # seconds out of range
        "999999999999:00:00.000 --> 999999999999:00:01.000",
        "00:00:01 --> 00:00:02",  # no fraction
        "-00:00:01.000 --> 00:00:02.000",
        "00:00:01.000 -> 00:00:02.000 -->",
        "00:00:01.000 --> ",
        "-->",
        "00:00:01.000 --> 00:00:02.000garbage",
        "٠٠:٠١.٠٠٠ --> ٠٠:٠٢.٠٠٠",  # digits of another script
    ],
)
def test_bad_timing(timing: str) -> None:
    assert refused(vtt((timing, "x"))) == (InvalidInput, "captions_bad_timing")


def test_bad_timing_reports_the_line() -> None:
    with pytest.raises(InvalidInput) as info:
        parse(vtt(("00:00.000 --> 00:01.000", "ok"), ("00:03.000 --> 00:02.000", "bad")))
    assert info.value.details == {"line": 6}


def test_a_full_day_is_the_last_time() -> None:
    assert parse(vtt(("23:59:59.000 --> 24:00:00.000", "x"))) == [Cue(86_399_000, 86_400_000, "x")]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\r\n\t",
        codecs.BOM_UTF8,
        b"WEBVTT\n",
        b"WEBVTT\n\nNOTE nothing here\n",
        vtt(("00:00.000 --> 00:01.000", "<i> </i>")),
    ],
)
def test_empty(data: bytes) -> None:
    assert refused(data) == (InvalidInput, "captions_empty")


def test_cue_times_are_checked_when_built() -> None:
    for start, end in [(-1, 5), (5, 5), (6, 5), (0, captions.MAX_TIME_MS + 1)]:
        with pytest.raises(ValueError):
            Cue(start, end, "x")


# ----------------------------------------------------------------------------------------------
# Writing and round trips


def test_serialize_writes_clean_webvtt() -> None:
    cues = [Cue(1, 61_002, "a & b < c"), Cue(3_600_000, 86_400_000, "line\nline 2"), Cue(5, 6, " \u202e ")]
    assert serialize(cues) == (
        "WEBVTT\n\n"
        "00:00:00.001 --> 00:01:01.002\na &amp; b &lt; c\n\n"
        "01:00:00.000 --> 24:00:00.000\nline\nline 2\n\n"
    )


def test_round_trip_of_a_parsed_file() -> None:
    for data in (VTT.encode(), SRT.encode()):
        cues = parse(data)
        assert parse(serialize(cues).encode()) == cues


_times = st.tuples(st.integers(0, captions.MAX_TIME_MS - 1), st.integers(1, 3_600_000))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_times, st.text(max_size=80)), max_size=12))
def test_round_trip_of_any_cues(items: list[tuple[tuple[int, int], str]]) -> None:
    cues = [Cue(start, min(start + length, captions.MAX_TIME_MS), text) for (start, length), text in items]
    expected = sorted(
        (Cue(c.start_ms, c.end_ms, captions.clean_text(c.text)) for c in cues if captions.clean_text(c.text)),
        key=lambda c: c.start_ms,
    )
    written = serialize(cues)
    if not expected:
        assert written == "WEBVTT\n\n"
        return
    assert parse(written.encode()) == expected
    assert parse(serialize(expected).encode()) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(lambda t: ("WEBVTT\n\n00:00.000 --> 00:01.000\n" + t).encode())
)
def test_any_input_is_parsed_or_refused_with_a_code(data: bytes) -> None:
    try:
        cues = parse(data)
    except (InvalidInput, TooLarge, UnsupportedMedia) as error:
        assert error.code.startswith("captions_")
        return
    assert parse(serialize(cues).encode()) == cues
    for cue in cues:
        assert cue.text == captions.clean_text(cue.text)
        assert "\n\n" not in cue.text and len(cue.text) <= captions.MAX_CUE_TEXT
        assert not any(ch in cue.text for ch in "\x00\x1b\r\u202e\u2066")


# ----------------------------------------------------------------------------------------------
# Bilingual tracks


def test_bilingual_aligned_one_to_one() -> None:
    primary = [Cue(0, 1000, "Hello"), Cue(1000, 2000, "World")]
    secondary = [Cue(0, 1000, "你好"), Cue(1000, 2000, "世界")]
    assert bilingual(primary, secondary) == [Cue(0, 1000, "Hello\n你好"), Cue(1000, 2000, "World\n世界")]
    assert parse(serialize(bilingual(primary, secondary)).encode()) == bilingual(primary, secondary)


def test_bilingual_takes_the_most_overlapping_and_joins_split_lines() -> None:
    primary = [Cue(0, 1000, "a"), Cue(1000, 2000, "b"), Cue(2000, 5000, "c"), Cue(9000, 9500, "alone")]
    secondary = [
        Cue(0, 1000, "A"),
        Cue(900, 2100, "B"),  # overlaps "a" by 100 ms, "b" by 1000 ms, "c" by 100 ms
        Cue(2000, 3000, "C1"),
        Cue(3000, 5000, "C2\nmore"),  # a split secondary line: both go under "c"
    ]
    assert bilingual(primary, secondary) == [
        Cue(0, 1000, "a\nA"),
        Cue(1000, 2000, "b\nB"),
        Cue(2000, 5000, "c\nC1 C2 more"),
        Cue(9000, 9500, "alone"),
    ]


def test_bilingual_long_secondary_line_shows_under_each_primary_line() -> None:
    primary = [Cue(0, 1000, "one"), Cue(1000, 2000, "two")]
    secondary = [Cue(0, 2000, "一二")]
    assert bilingual(primary, secondary) == [Cue(0, 1000, "one\n一二"), Cue(1000, 2000, "two\n一二")]


def test_bilingual_ties_go_to_the_closest_cue() -> None:
    primary = [Cue(0, 10_000, "outer"), Cue(2000, 8000, "inner")]
    secondary = [Cue(0, 10_000, "OUTER"), Cue(2000, 8000, "INNER")]
    assert bilingual(primary, secondary) == [Cue(0, 10_000, "outer\nOUTER"), Cue(2000, 8000, "inner\nINNER")]


def test_bilingual_is_bounded_on_hostile_tracks() -> None:
    day = captions.MAX_TIME_MS
    primary = [Cue(0, day, "p" * captions.MAX_CUE_TEXT)] * captions.MAX_CUES
    secondary = [Cue(i, day, "s" * captions.MAX_CUE_TEXT) for i in range(captions.MAX_CUES)]
    out = bilingual(primary + primary, secondary)
    assert len(out) == captions.MAX_CUES
    assert all(len(cue.text) <= captions.MAX_BILINGUAL_TEXT for cue in out)
    assert len(serialize(out)) < 6 * 1024 * 1024


def test_bilingual_without_secondary() -> None:
    assert bilingual([Cue(0, 1000, "x")], []) == [Cue(0, 1000, "x")]
    assert bilingual([], [Cue(0, 1000, "x")]) == []


# ----------------------------------------------------------------------------------------------
# Languages


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("zh-hans", "zh-Hans"),
        ("ZH_HANT", "zh-Hant"),
        ("pt-br", "pt-BR"),
        ("es-419", "es-419"),
        ("sr-Latn-RS", "sr-Latn-RS"),
        (" yue ", "yue"),
    ],
)
def test_normalize_language(code: str, canonical: str) -> None:
    assert normalize_language(code) == canonical
    assert captions.LANGUAGE_RE.match(canonical)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "e",
        "english",
        "en-",
        "-en",
        "en--US",
        "en-US-x-private",
        "en;drop",
        "en\nUS",
        "x" * 100,
        "zh-Hans-CN-1",
        "ｅｎ",
    ],
)
def test_bad_language(code: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_language(code)
    assert info.value.code == "captions_bad_language"


# ----------------------------------------------------------------------------------------------
# Services


@pytest.fixture
def video(db) -> MediaVideo:  # type: ignore[no-untyped-def]
    return MediaVideo.objects.create(owner=UserFactory())


@pytest.mark.django_db
def test_caption_set_stores_sanitised_webvtt(video: MediaVideo) -> None:
    data = vtt(("00:00:01.000 --> 00:00:02.000 align:start", "<script>x</script>Hi &amp; <b>bye</b>"))
    caption = captions.caption_set(
        owner=video.owner, video_id=video.pk, language="EN", data=data, filename="a.vtt"
    )
    caption.refresh_from_db()
    assert (caption.language, caption.source, caption.translated_from, caption.cue_count) == (
        "en",
        "upload",
        "",
        1,
    )
    assert caption.vtt == "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi &amp; bye\n\n"


@pytest.mark.django_db
def test_caption_set_replaces_the_language_and_its_translations(video: MediaVideo) -> None:
    owner = video.owner
    captions.caption_set(
        owner=owner, video_id=video.pk, language="en", data=vtt(("00:00.000 --> 00:01.000", "old"))
    )
    VideoCaption.objects.create(
        video=video, language="fr", source="translation", translated_from="en", vtt="WEBVTT\n\n"
    )
    VideoCaption.objects.create(
        video=video, language="de", source="translation", translated_from="es", vtt="WEBVTT\n\n"
    )
    captions.caption_set(owner=owner, video_id=video.pk, language="en", data=SRT.encode())
    assert [(c.language, c.cue_count) for c in captions.captions_of(video.pk)] == [("de", 0), ("en", 2)]
    assert "Hello world" in VideoCaption.objects.get(video=video, language="en").vtt


@pytest.mark.django_db
def test_an_upload_replaces_a_translated_track(video: MediaVideo) -> None:
    VideoCaption.objects.create(
        video=video, language="fr", source="translation", translated_from="en", vtt="WEBVTT\n\n"
    )
    caption = captions.caption_set(owner=video.owner, video_id=video.pk, language="fr", data=SRT.encode())
    assert (caption.source, caption.translated_from) == ("upload", "")
    assert VideoCaption.objects.filter(video=video).count() == 1


@pytest.mark.django_db
def test_caption_set_only_on_the_owners_video(video: MediaVideo) -> None:
    stranger = UserFactory()
    for owner, video_id in [(stranger, video.pk), (video.owner, video.pk + 1000)]:
        with pytest.raises(NotFound) as info:
            captions.caption_set(owner=owner, video_id=video_id, language="en", data=SRT.encode())
        assert info.value.code == "video_not_found"
    # A stranger learns nothing about the video even from a broken file.
    with pytest.raises(NotFound):
        captions.caption_set(owner=stranger, video_id=video.pk, language="en", data=b"\x00junk")
    assert not VideoCaption.objects.exists()


@pytest.mark.django_db
def test_at_most_eight_tracks(video: MediaVideo) -> None:
    languages = ["en", "fr", "de", "es", "it", "ja", "ko", "zh-Hans"]
    assert len(languages) == captions.MAX_TRACKS
    for language in languages:
        captions.caption_set(owner=video.owner, video_id=video.pk, language=language, data=SRT.encode())
    with pytest.raises(Conflict) as info:
        captions.caption_set(owner=video.owner, video_id=video.pk, language="pt-BR", data=SRT.encode())
    assert info.value.code == "too_many_caption_tracks"
    captions.caption_set(
        owner=video.owner, video_id=video.pk, language="zh-hans", data=VTT.encode()
    )  # a replacement
    assert [c.language for c in captions.captions_of(video.pk)] == sorted(languages)


@pytest.mark.django_db
def test_a_refused_file_stores_nothing(video: MediaVideo) -> None:
    captions.caption_set(owner=video.owner, video_id=video.pk, language="en", data=SRT.encode())
    with pytest.raises(InvalidInput):
        captions.caption_set(
            owner=video.owner, video_id=video.pk, language="en", data=vtt(("00:02.000 --> 00:01.000", "x"))
        )
    with pytest.raises(InvalidInput) as info:
        captions.caption_set(owner=video.owner, video_id=video.pk, language="english", data=SRT.encode())
    assert info.value.code == "captions_bad_language"
    assert [c.cue_count for c in captions.captions_of(video.pk)] == [2]


@pytest.mark.django_db
def test_caption_delete(video: MediaVideo) -> None:
    captions.caption_set(owner=video.owner, video_id=video.pk, language="pt-BR", data=SRT.encode())
    with pytest.raises(NotFound) as info:
        captions.caption_delete(owner=UserFactory(), video_id=video.pk, language="pt-BR")
    assert info.value.code == "video_not_found"
    with pytest.raises(NotFound) as info:
        captions.caption_delete(owner=video.owner, video_id=video.pk, language="en")
    assert info.value.code == "caption_not_found"
    captions.caption_delete(owner=video.owner, video_id=video.pk, language="pt-br")
    assert captions.captions_of(video.pk) == []


def test_a_stored_track_may_outgrow_the_file_and_still_reads_back() -> None:
    line = "00:00:00,000 --> 00:00:01,000\n" + "&" * 480 + "\n\n"
    data = (line * (captions.MAX_BYTES // len(line))).encode()
    cues = parse(data)
    stored = serialize(cues)
    assert len(data) <= captions.MAX_BYTES < len(stored) <= captions.MAX_STORED_CHARS
    assert captions.stored_cues(stored) == cues
    with pytest.raises(TooLarge):
        captions.stored_cues("WEBVTT\n\n" + " " * captions.MAX_STORED_CHARS)


@pytest.mark.django_db
def test_caption_store_translation(video: MediaVideo) -> None:
    owner = video.owner
    store = captions.caption_store_translation
    caption = store(
        owner=owner,
        video_id=video.pk,
        language="fr",
        translated_from="en",
        cues=[Cue(0, 9, "<b>x</b>\u202e")],
    )
    assert (caption.source, caption.translated_from, caption.cue_count) == ("translation", "en", 1)
    assert caption.vtt == "WEBVTT\n\n00:00:00.000 --> 00:00:00.009\n&lt;b&gt;x&lt;/b&gt;\n\n"
    with pytest.raises(InvalidInput) as info:
        store(owner=owner, video_id=video.pk, language="fr", translated_from="en", cues=[Cue(0, 9, " ")])
    assert info.value.code == "captions_empty"
    captions.caption_set(owner=owner, video_id=video.pk, language="de", data=SRT.encode())
    with pytest.raises(Conflict) as info:
        store(owner=owner, video_id=video.pk, language="de", translated_from="en", cues=EXPECTED)
    assert info.value.code == "caption_language_taken"
    for language in ["es", "it", "ja", "ko", "ru", "ar"]:
        store(owner=owner, video_id=video.pk, language=language, translated_from="de", cues=EXPECTED)
    with pytest.raises(Conflict) as info:
        captions.caption_translation_check(owner=owner, video_id=video.pk, language="pt")
    assert info.value.code == "too_many_caption_tracks"
    with pytest.raises(NotFound):
        captions.caption_of(owner=UserFactory(), video_id=video.pk, language="de")
    assert captions.caption_of(owner=owner, video_id=video.pk, language="DE").source == "upload"
