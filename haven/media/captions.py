"""Caption tracks of videos: WebVTT/SRT parsed strictly into plain-text cues, served as clean WebVTT.

Parsing is a strict hand parser rather than webvtt-py: that library, given hostile files, drops a
cue's text silently when a text line holds "-->", drops cues with out-of-range hours silently,
accepts cues that end before they start, and expects the format to be known in advance; the limits,
the sanitising and the error codes would all have to be ours anyway. The file format is told by
content (a "WEBVTT" header, else SRT's timing lines), never by the file name.

Cue text is plain text (what a viewer reads); `serialize` escapes "&", "<" and ">" when it writes
WebVTT, so a cue can never carry markup, a "-->" or a blank line into the served file.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import Conflict, InvalidInput, NotFound, TooLarge, UnsupportedMedia
from haven.core.sanitize import strip_all
from haven.media.models import MediaVideo, VideoCaption

#: The largest caption file accepted, in bytes.
MAX_BYTES = 512 * 1024
#: The most cues a track may hold.
MAX_CUES = 5000
#: The most characters of one cue's text (after sanitising); longer text is cut.
MAX_CUE_TEXT = 500
#: The most lines of one cue; further lines are joined onto the last one.
MAX_CUE_LINES = 3
#: Cue times lie within 0 .. 24 h.
MAX_TIME_MS = 24 * 3600 * 1000
#: The most caption tracks (languages) of one video.
MAX_TRACKS = 8
#: A language code's longest form ("zh-Hans-CN" is 10).
MAX_LANGUAGE_LENGTH = 16
#: A stored track's largest size in characters: each character of a file within MAX_BYTES becomes at
#: most five ("&" -> "&amp;"), and each cue adds at most 40 (its times, line ends).
MAX_STORED_CHARS = 5 * MAX_BYTES + 40 * MAX_CUES
#: A bilingual cue holds the primary text and at most this much of the secondary one.
MAX_BILINGUAL_TEXT = 2 * MAX_CUE_TEXT + 1
#: How many earlier cues `bilingual` examines for overlaps per cue (bounds hostile, all-overlapping tracks).
MAX_OVERLAP_SCAN = 64

#: BCP 47-ish: a language (2-3 letters), optional script (4 letters), optional region (2 letters, 3 digits).
LANGUAGE_RE = re.compile(r"^([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?$")

_TIMESTAMP = r"(?:([0-9]{1,3}):)?([0-9]{1,2}):([0-9]{1,2})[.,]([0-9]{1,3})"
#: A cue timing line; whatever follows the end time (WebVTT settings, SRT coordinates) is dropped.
_TIMING_RE = re.compile(rf"^[ \t]*{_TIMESTAMP}[ \t]*-->[ \t]*{_TIMESTAMP}(?:[ \t].*)?$")
_INDEX_RE = re.compile(r"^[ \t]*[0-9]{1,9}[ \t]*$")
_HEADER_RE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED_BLOCK_RE = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")
#: WebVTT timestamp tags (karaoke), SRT/ASS override tags ({\an8}), ruby annotations (the reading).
_TIMESTAMP_TAG_RE = re.compile(r"<[0-9][0-9:.]*>")
_ASS_TAG_RE = re.compile(r"\{\\[^{}\n]*\}")
_RUBY_TEXT_RE = re.compile(r"<(rt|rp)\b[^<>]*>[^<]*(?:</\1\s*>)?", re.IGNORECASE)
#: Control characters (line feed stays), C1 controls, bidi embeddings/overrides/isolates, BOMs,
#: interlinear annotation marks and lone surrogates.
_DROPPED_CHARS_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_LINE_BREAKS_RE = re.compile("\r\n|[\r\u2028\u2029\x85]")
_SPACES_RE = re.compile(r"[ \t\f\v]+")


@dataclass(frozen=True)
class Cue:
    """One caption: shown from `start_ms` until `end_ms`, `text` plain (never markup)."""

    start_ms: int
    end_ms: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start_ms < self.end_ms <= MAX_TIME_MS:
            raise ValueError(f"bad cue times {self.start_ms}..{self.end_ms}")


# ----------------------------------------------------------------------------------------------
# Errors (stable codes)


def _too_large() -> TooLarge:
    return TooLarge(
        _("The caption file is too large (at most %(kib)d KiB).") % {"kib": MAX_BYTES // 1024},
        code="captions_too_large",
    )


def _unreadable() -> UnsupportedMedia:
    return UnsupportedMedia(
        _("The caption file could not be read. Upload WebVTT or SRT text in UTF-8."),
        code="captions_unreadable",
    )


def _too_many_cues() -> TooLarge:
    return TooLarge(
        _("The caption file has too many captions (at most %(n)d).") % {"n": MAX_CUES},
        code="captions_too_many_cues",
    )


def _bad_timing(line: int) -> InvalidInput:
    return InvalidInput(
        _("A caption has a wrong time on line %(line)d.") % {"line": line},
        code="captions_bad_timing",
        details={"line": line},
    )


def _empty() -> InvalidInput:
    return InvalidInput(_("The caption file has no captions."), code="captions_empty")


# ----------------------------------------------------------------------------------------------
# Parsing


def parse(data: bytes, *, filename: str = "") -> list[Cue]:
    """The cues of a WebVTT or SRT file, sanitised and sorted by start time.

    `filename` is informational only: the format is told by content. Raises TooLarge
    ("captions_too_large", "captions_too_many_cues"), UnsupportedMedia ("captions_unreadable"),
    InvalidInput ("captions_bad_timing", "captions_empty").
    """
    if len(data) > MAX_BYTES:
        raise _too_large()
    return _parse_text(_decode(data))


def stored_cues(vtt: str) -> list[Cue]:
    """The cues of a stored track (`VideoCaption.vtt`, written by `serialize`).

    A stored track is our output for a file within MAX_BYTES, so it may be larger than that file
    (escaping, longer time stamps) but never larger than MAX_STORED_CHARS.
    """
    if len(vtt) > MAX_STORED_CHARS:
        raise _too_large()
    return _parse_text(_LINE_BREAKS_RE.sub("\n", vtt))


def _parse_text(text: str) -> list[Cue]:
    if not text.strip():
        raise _empty()
    lines = text.split("\n")
    is_vtt = _HEADER_RE.match(lines[0]) is not None
    if not is_vtt and not any(_TIMING_RE.match(line) for line in lines):
        raise _unreadable()
    cues = _parse_lines(lines, vtt=is_vtt)
    if not cues:
        raise _empty()
    cues.sort(key=lambda cue: cue.start_ms)
    return cues


def _decode(data: bytes) -> str:
    """Text with "\n" line ends: UTF-8 (with or without a BOM) or UTF-16 with a BOM; else unreadable."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")  # the BOM picks the byte order and is consumed
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _unreadable() from None
    if "\x00" in text:  # binary, or UTF-16 without a BOM
        raise _unreadable()
    return _LINE_BREAKS_RE.sub("\n", text)


def _parse_lines(lines: list[str], *, vtt: bool) -> list[Cue]:
    """Cues from the file's lines (1-based line numbers in errors).

    A block (after a blank line) starts with a timing line, or with an identifier (WebVTT) or index
    (SRT) and then the timing line; such a timing line must be right ("captions_bad_timing").
    Inside a cue's text only a well-formed timing line starts a new cue (some files leave out the
    blank line); any other line is text, "-->" included (it is escaped when written). In SRT, text
    after a blank line that starts no cue continues the last cue (common in real files); WebVTT
    ignores such a block, as browsers do.
    """
    cues: list[Cue] = []
    pending: tuple[int, int, list[str]] | None = None  # the cue being read: start, end, raw lines

    def finish() -> None:
        nonlocal pending
        if pending is not None:
            start, end, raw = pending
            pending = None
            text = clean_text(markup_to_text("\n".join(raw), srt=not vtt))
            if text:
                if len(cues) >= MAX_CUES:
                    raise _too_many_cues()
                cues.append(Cue(start, end, text))

    def timing(number: int) -> None:
        nonlocal pending
        finish()
        pending = (*_timing(lines[number], number + 1), [])

    i, n = 0, len(lines)
    if vtt:  # the header block (the "WEBVTT" line and any header lines) carries nothing we keep
        while i < n and lines[i].strip() and "-->" not in lines[i]:
            i += 1
    block_start = True
    while i < n:
        line = lines[i]
        if not line.strip():
            if vtt:
                finish()
            block_start = True
            i += 1
            continue
        at_start, block_start = block_start, False
        if at_start:
            if vtt and "-->" not in line and _SKIPPED_BLOCK_RE.match(line):
                i = _skip_block(lines, i)  # NOTE, STYLE, REGION: dropped
                continue
            if "-->" in line:
                timing(i)
                i += 1
                continue
            if i + 1 < n and "-->" in lines[i + 1]:
                finish()  # an identifier or index: not shown; the next line is the timing line
                block_start = True
                i += 1
                continue
        elif _TIMING_RE.match(line):
            timing(i)
            i += 1
            continue
        elif i + 1 < n and _INDEX_RE.match(line) and _TIMING_RE.match(lines[i + 1]):
            finish()
            block_start = True
            i += 1
            continue
        if pending is not None:
            pending[2].append(line)
        i += 1
    finish()
    return cues


def _skip_block(lines: list[str], i: int) -> int:
    """The index of the first blank line after the NOTE/STYLE/REGION block starting at `i`."""
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _timing(line: str, number: int) -> tuple[int, int]:
    """Start and end (ms) of a timing line; InvalidInput "captions_bad_timing" when wrong."""
    m = _TIMING_RE.match(line)
    if m is None:
        raise _bad_timing(number)
    groups = m.groups()
    start, end = _ms(groups[:4]), _ms(groups[4:])
    if start is None or end is None or not 0 <= start < end <= MAX_TIME_MS:
        raise _bad_timing(number)
    return start, end


def _ms(parts: Sequence[str | None]) -> int | None:
    hours, minutes, seconds, fraction = parts
    h, m, s = int(hours or 0), int(minutes or 0), int(seconds or 0)
    if m > 59 or s > 59:
        return None
    return ((h * 60 + m) * 60 + s) * 1000 + int((fraction or "0").ljust(3, "0"))


def markup_to_text(raw: str, *, srt: bool = False) -> str:
    """Cue text with every tag removed and entities decoded once (WebVTT and HTML tags, the
    contents of script/style/ruby annotations, WebVTT timestamp tags, SRT's {\\an8} override tags)."""
    raw = _TIMESTAMP_TAG_RE.sub("", raw)
    raw = _RUBY_TEXT_RE.sub("", raw)
    if srt:
        raw = _ASS_TAG_RE.sub("", raw)
    return html.unescape(strip_all(raw))


def clean_text(text: str) -> str:
    """Plain cue text made safe and tidy: no control characters or bidi overrides, spaces collapsed,
    no blank lines, at most MAX_CUE_LINES lines and MAX_CUE_TEXT characters. Idempotent."""
    return _clean(text, max_lines=MAX_CUE_LINES, max_chars=MAX_CUE_TEXT)


def _clean(text: str, *, max_lines: int, max_chars: int) -> str:
    text = _DROPPED_CHARS_RE.sub("", _LINE_BREAKS_RE.sub("\n", text))
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return "\n".join(lines)[:max_chars].strip()


# ----------------------------------------------------------------------------------------------
# Writing


def serialize(cues: Iterable[Cue]) -> str:
    """Clean WebVTT: a bare header, then each cue's times and its text escaped (& < >).

    Texts are cleaned again (they may come from elsewhere, such as a translation), cues left
    without text are left out, and at most MAX_CUES cues are written.
    """
    parts = ["WEBVTT\n\n"]
    written = 0
    for cue in cues:
        text = _clean(cue.text, max_lines=2 * MAX_CUE_LINES, max_chars=MAX_BILINGUAL_TEXT)
        if not text:
            continue
        if written >= MAX_CUES:
            break
        parts.append(f"{_stamp(cue.start_ms)} --> {_stamp(cue.end_ms)}\n{_escape(text)}\n\n")
        written += 1
    return "".join(parts)


def _stamp(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}.{millis:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------------------------
# Bilingual tracks


def bilingual(primary: Sequence[Cue], secondary: Sequence[Cue]) -> list[Cue]:
    """One track for both languages: each primary cue's text, then on the next line the text of the
    secondary cue(s) that overlap it most in time.

    Each secondary cue goes under the primary cue it overlaps most (ties: the one closest in start
    and end); a primary cue that gets none shows the secondary cue overlapping it most, if any (a long
    secondary line spanning two primary ones shows under both). A translated track aligns 1:1. The
    result has one cue per primary cue (at most MAX_CUES) with at most MAX_BILINGUAL_TEXT characters.
    """
    first = sorted(primary[:MAX_CUES], key=lambda c: c.start_ms)
    second = sorted(secondary[:MAX_CUES], key=lambda c: c.start_ms)
    assigned: list[list[int]] = [[] for _ in first]
    for j, best in enumerate(_best_overlaps(second, first)):
        if best is not None:
            assigned[best].append(j)
    fallback = _best_overlaps(first, second)
    out: list[Cue] = []
    for i, cue in enumerate(first):
        nearest = fallback[i]
        chosen = assigned[i] or ([nearest] if nearest is not None else [])
        lower = clean_text(" ".join(second[j].text.replace("\n", " ") for j in chosen))
        text = f"{cue.text}\n{lower}" if lower else cue.text
        out.append(Cue(cue.start_ms, cue.end_ms, text[:MAX_BILINGUAL_TEXT]))
    return out


def _best_overlaps(cues: Sequence[Cue], others: Sequence[Cue]) -> list[int | None]:
    """For each cue, the index of the cue in `others` (sorted by start) overlapping it most, or None.

    Candidates are the others starting before the cue ends, scanned backwards while one of them may
    still reach into the cue, at most MAX_OVERLAP_SCAN of them.
    """
    starts = [o.start_ms for o in others]
    reach: list[int] = []  # the latest end among others[: k + 1]
    for o in others:
        reach.append(max(o.end_ms, reach[-1] if reach else 0))
    result: list[int | None] = []
    for cue in cues:
        best: tuple[int, int] | None = None
        best_k: int | None = None
        k = bisect.bisect_left(starts, cue.end_ms) - 1
        scanned = 0
        while k >= 0 and reach[k] > cue.start_ms and scanned < MAX_OVERLAP_SCAN:
            other = others[k]
            overlap = min(cue.end_ms, other.end_ms) - max(cue.start_ms, other.start_ms)
            if overlap > 0:
                key = (overlap, -abs(cue.start_ms - other.start_ms) - abs(cue.end_ms - other.end_ms))
                if best is None or key >= best:  # ties: the earlier one (scanned later)
                    best, best_k = key, k
            k -= 1
            scanned += 1
        result.append(best_k)
    return result


# ----------------------------------------------------------------------------------------------
# Languages


def normalize_language(code: str) -> str:
    """A caption language in canonical case ("en", "zh-Hans", "pt-BR"); "_" is read as "-".

    InvalidInput "captions_bad_language" for anything else.
    """
    value = (code or "").strip().replace("_", "-")
    m = LANGUAGE_RE.match(value) if len(value) <= MAX_LANGUAGE_LENGTH else None
    if m is None:
        raise InvalidInput(
            _("Choose a valid language code, such as en or zh-Hans."), code="captions_bad_language"
        )
    language, script, region = m.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


# ----------------------------------------------------------------------------------------------
# Services (re-exported by haven.media.services)


def _owned_video(owner: User, video_id: int, *, lock: bool = False) -> MediaVideo:
    rows = MediaVideo.objects.filter(pk=video_id, owner_id=owner.pk)
    video = (rows.select_for_update() if lock else rows).first()
    if video is None:
        raise NotFound(_("Video not found."), code="video_not_found")
    return video


def caption_set(
    *, owner: User, video_id: int, language: str, data: bytes, filename: str = ""
) -> VideoCaption:
    """Store the owner's caption file as the video's track in `language`, replacing the one there.

    Translated tracks made from the replaced track are deleted (their text no longer matches).
    NotFound "video_not_found" for a video not the owner's; Conflict "too_many_caption_tracks"
    beyond MAX_TRACKS languages; the parse errors for a bad file.
    """
    code = normalize_language(language)
    _owned_video(owner, video_id)  # a stranger learns nothing from the file's errors
    cues = parse(data, filename=filename)
    vtt = serialize(cues)
    with transaction.atomic():
        video = _owned_video(owner, video_id, lock=True)
        tracks = VideoCaption.objects.filter(video=video)
        if not tracks.filter(language=code).exists() and tracks.count() >= MAX_TRACKS:
            raise Conflict(
                _("A video can have at most %(n)d caption tracks.") % {"n": MAX_TRACKS},
                code="too_many_caption_tracks",
            )
        tracks.filter(source=VideoCaption.Source.TRANSLATION, translated_from=code).delete()
        caption, _created = VideoCaption.objects.update_or_create(
            video=video,
            language=code,
            defaults={
                "source": VideoCaption.Source.UPLOAD,
                "translated_from": "",
                "vtt": vtt,
                "cue_count": len(cues),
            },
        )
    return caption


def caption_of(*, owner: User, video_id: int, language: str) -> VideoCaption:
    """The owner's video's track in `language` (NotFound "video_not_found" / "caption_not_found")."""
    code = normalize_language(language)
    video = _owned_video(owner, video_id)
    caption = VideoCaption.objects.filter(video=video, language=code).first()
    if caption is None:
        raise NotFound(_("Caption track not found."), code="caption_not_found")
    return caption


def caption_translation_check(*, owner: User, video_id: int, language: str) -> None:
    """Refuse early what `caption_store_translation` would refuse for `language` (before translating)."""
    _check_translation_slot(_owned_video(owner, video_id), normalize_language(language))


def _check_translation_slot(video: MediaVideo, code: str) -> None:
    tracks = VideoCaption.objects.filter(video=video)
    current = tracks.filter(language=code).only("source").first()
    if current is not None and current.source == VideoCaption.Source.UPLOAD:
        raise Conflict(
            _("This video already has your captions in that language."), code="caption_language_taken"
        )
    if current is None and tracks.count() >= MAX_TRACKS:
        raise Conflict(
            _("A video can have at most %(n)d caption tracks.") % {"n": MAX_TRACKS},
            code="too_many_caption_tracks",
        )


def caption_store_translation(
    *, owner: User, video_id: int, language: str, translated_from: str, cues: Sequence[Cue]
) -> VideoCaption:
    """Store `cues` (a translation of the track `translated_from`) as the owner's video's track in
    `language`, replacing an earlier translation; an uploaded track in that language is kept
    (Conflict "caption_language_taken"). Conflict "too_many_caption_tracks" beyond MAX_TRACKS;
    TooLarge "captions_too_large" beyond MAX_STORED_CHARS; InvalidInput "captions_empty"."""
    code, source = normalize_language(language), normalize_language(translated_from)
    kept = [Cue(c.start_ms, c.end_ms, text) for c in cues[:MAX_CUES] if (text := clean_text(c.text))]
    if not kept:
        raise _empty()
    vtt = serialize(kept)
    if len(vtt) > MAX_STORED_CHARS:
        raise _too_large()
    with transaction.atomic():
        video = _owned_video(owner, video_id, lock=True)
        _check_translation_slot(video, code)
        caption, _created = VideoCaption.objects.update_or_create(
            video=video,
            language=code,
            defaults={
                "source": VideoCaption.Source.TRANSLATION,
                "translated_from": source,
                "vtt": vtt,
                "cue_count": len(kept),
            },
        )
    return caption


def caption_delete(*, owner: User, video_id: int, language: str) -> None:
    """Delete the owner's caption track in `language` (NotFound "video_not_found" / "caption_not_found")."""
    code = normalize_language(language)
    video = _owned_video(owner, video_id)
    deleted, _counts = VideoCaption.objects.filter(video=video, language=code).delete()
    if not deleted:
        raise NotFound(_("Caption track not found."), code="caption_not_found")


def captions_of(video_id: int) -> list[VideoCaption]:
    """The caption tracks of a video, ordered by language (callers check who may see the video)."""
    return list(VideoCaption.objects.filter(video_id=video_id).order_by("language")[:MAX_TRACKS])
