"""Tests of haven.media.ffmpeg on clips generated here: probing, renditions, limits and a hostile corpus.

Every hostile run uses limits of 30 s and 1 GiB per ffmpeg/ffprobe process (enforced by run_tool, so an
overrun fails the test with video_timeout / video_memory_limit). "No local file read" is checked on a
canary file's access time (set before its modification time, so any read moves it under relatime),
"no outbound connection" on a TCP listener the test owns; controls show plain ffprobe does read the
canary, so the corpus is live.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import struct
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from haven.core.errors import HavenError
from haven.media import ffmpeg
from haven.media.ffmpeg import Probe, VideoLimits, VideoProcessingFailed, VideoRejected

pytestmark = [
    pytest.mark.skipif(not ffmpeg.tools_available(), reason="ffmpeg/ffprobe are not installed"),
    # A pure module (no database, cache or storage): the same in both profiles, so it runs once.
    pytest.mark.skipif(
        bool(os.environ.get("HAVEN_DATABASE_URL")), reason="profile-independent: runs in the embedded profile"
    ),
]

HOSTILE = VideoLimits(
    max_bytes=64 * 1024 * 1024,
    max_seconds=60,
    max_side=4096,
    process_seconds=30,
    process_memory_bytes=1024 * 1024 * 1024,
)
CANARY_TEXT = b"HAVEN-CANARY-7f3a9c"
ALLOWED_TAGS = {"language", "handler_name", "vendor_id", "major_brand", "minor_version", "compatible_brands"}


# -- helpers -------------------------------------------------------------------------------------


def make_clip(
    path: Path, *args: str, seconds: float = 1.0, size: str = "320x240", audio: bool = True
) -> Path:
    """Generate a test clip with ffmpeg: testsrc2 video (+ a sine tone), extra output `args`."""
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"]
    cmd += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    cmd += ["-t", str(seconds), "-pix_fmt", "yuv420p"]
    if "-c:v" not in args:
        cmd += ["-c:v", "libx264", "-preset", "ultrafast"]
    cmd += [*args, str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return path


def remux(src: Path, dst: Path, *args: str) -> Path:
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(src), "-c", "copy", *args]
    subprocess.run([*cmd, str(dst)], check=True, capture_output=True, timeout=60)
    return dst


def ffprobe_json(path: Path) -> dict:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    return json.loads(out)


def first_frame(path: Path) -> Image.Image:
    png = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 180 and g < 80 and b < 80


def red_corner(img: Image.Image) -> str:
    w, h = img.size
    corners = {"tl": (4, 4), "tr": (w - 5, 4), "bl": (4, h - 5), "br": (w - 5, h - 5)}
    found = [name for name, xy in corners.items() if is_red(img.getpixel(xy))]  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


class Canary:
    """A file whose reading must never happen: its atime is set before its mtime, so a read moves it."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        path.write_bytes(data)
        self.arm()

    def arm(self) -> None:
        st = os.stat(self.path)
        os.utime(self.path, ns=(st.st_mtime_ns - 3_600_000_000_000, st.st_mtime_ns))
        self._atime = os.stat(self.path).st_atime_ns

    def was_read(self) -> bool:
        return os.stat(self.path).st_atime_ns != self._atime


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    srv = Listener()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("clips")
    plain = make_clip(root / "plain.mp4", seconds=2)
    marked = root / "marked.mp4"  # blue with a red block in the top-left corner, 320x240
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         "color=c=blue:size=320x240:rate=25,drawbox=x=0:y=0:w=80:h=60:color=red:t=fill",
         "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(marked)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    chapters = root / "chapters.txt"
    chapters.write_text(
        ";FFMETADATA1\ntitle=Secret title\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Secret chapter\n"
    )
    gps_mp4 = root / "gps.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(plain), "-i", str(chapters),
         "-map", "0", "-map_metadata", "1", "-map_chapters", "1", "-c", "copy",
         "-metadata", "location=+48.8584+002.2945/", "-metadata", "creation_time=2024-05-01T10:00:00Z",
         "-metadata", "comment=secret comment", "-metadata:s:v", "handler_name=SecretHandler",
         "-movflags", "use_metadata_tags", str(gps_mp4)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    rotated_mov = remux(
        marked,
        root / "rotated.mov",
        "-metadata:s:v",
        "rotate=90",
        "-metadata",
        "location=+48.8584+002.2945/",
        "-metadata",
        "creation_time=2024-05-01T10:00:00Z",
    )
    return {
        "plain": plain,
        "marked": marked,
        "gps_mp4": gps_mp4,
        "rotated_mov": rotated_mov,
        "hd": make_clip(root / "hd.mp4", seconds=1, size="1920x1080"),
    }


def assert_clean(path: Path) -> dict:
    """The rendition has no metadata beyond the muxer's fixed fields, no chapters, no display matrix."""
    info = ffprobe_json(path)
    data = path.read_bytes()
    assert b"48.8584" not in data and b"Secret" not in data and b"secret" not in data
    assert b"x264" not in data and b"Lavf" not in data and b"Lavc" not in data
    assert data.find(b"moov") < data.find(b"mdat"), "faststart: moov before mdat"
    assert info["chapters"] == []
    assert set(info["format"].get("tags", {})) <= ALLOWED_TAGS
    for stream in info["streams"]:
        assert set(stream.get("tags", {})) <= ALLOWED_TAGS, stream.get("tags")
        assert stream.get("tags", {}).get("handler_name") in {None, "VideoHandler", "SoundHandler"}
        assert "side_data_list" not in stream
    return info


def video_stream(info: dict) -> dict:
    return next(s for s in info["streams"] if s["codec_type"] == "video")


# -- sniffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "mov"),
        (b"\x00\x00\x00\x18ftypXAVC\x00\x00\x00\x00XAVCmp42", "mp4"),  # unknown major, mp4 compatible
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
         b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02", "webm"),
    ],
)  # fmt: skip
def test_sniff_accepts_video_containers(tmp_path: Path, head: bytes, expected: str) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(head + b"\0" * 64)
    assert ffmpeg.sniff(path) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # a HEIC photo
        b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00avifmp42",  # AVIF claiming mp4 compatibility
        b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom",  # audio only
        b"\x00\x00\x00\x18ftypzzzz\x00\x00\x00\x00zzzzyyyy",  # unknown brands
        b"\xff\xff\xff\xffftypisom\x00\x00\x00\x00isom",  # absurd box size
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
        b"\x42\x82\x88matroska\x42\x87\x81\x04",  # Matroska doc type (refused on purpose)
        b"RIFF\x00\x10\x00\x00AVI LIST",
        b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n",
        b"ffconcat version 1.0\nfile a.mp4\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x18ftypisom",
        b"<html><body>\x00\x00\x00\x18ftypisom",
        b"PK\x03\x04\x00\x00\x00\x18ftypisom",
        b"\x00\x00\x00\x08moov",  # old QuickTime without ftyp
    ],
)
def test_sniff_refuses_everything_else(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "upload.mp4"  # the name says mp4: names are never trusted
    path.write_bytes(head + b"\0" * 64)
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.sniff(path)
    assert exc.value.code == "video_unsupported_format"
    assert exc.value.status == 415


# -- probing -------------------------------------------------------------------------------------


def test_probe_reads_a_clip(clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["plain"], HOSTILE)
    assert probe.container == "mp4"
    assert (probe.width, probe.height, probe.rotation) == (320, 240, 0)
    assert 1900 <= probe.duration_ms <= 2100
    assert probe.has_audio and probe.audio_codec == "aac" and probe.video_codec == "h264"
    assert probe.fps == 25.0
    assert probe.byte_size == clips["plain"].stat().st_size


def test_probe_applies_rotation_to_the_displayed_size(clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["rotated_mov"], HOSTILE)
    assert probe.container == "mov"
    assert probe.rotation == 90
    assert (probe.width, probe.height) == (240, 320)
    assert not probe.has_audio


def test_probe_reads_webm(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.webm", "-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus")
    probe = ffmpeg.probe(clip, HOSTILE)
    assert (probe.container, probe.video_codec, probe.audio_codec) == ("webm", "vp8", "opus")


def test_probe_refuses_audio_only(tmp_path: Path) -> None:
    audio = tmp_path / "audio.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine", "-t", "1", "-c:a", "aac",
         "-f", "mp4", str(audio)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(audio, HOSTILE)
    assert exc.value.code == "video_no_video_stream"


def test_probe_refuses_a_codec_off_the_allow_list(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "mpeg2.mov", "-c:v", "mpeg2video", audio=False)
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(clip, HOSTILE)
    assert exc.value.code == "video_unsupported_codec"


def test_limits_from_settings_are_respected(settings, clips: dict[str, Path]) -> None:
    settings.HAVEN = settings.HAVEN.model_copy(update={"video_max_seconds": 1, "video_max_side": 256})
    limits = VideoLimits.from_settings()
    assert limits.max_seconds == 1 and limits.max_side == 256
    assert limits.max_bytes == settings.HAVEN.video_max_mb * 1024 * 1024
    assert limits.process_memory_bytes == settings.HAVEN.video_process_memory_mb * 1024 * 1024
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(clips["plain"], replace(limits, max_side=4096))
    assert exc.value.code == "video_too_long"
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(clips["plain"], limits)
    assert exc.value.code == "video_frame_too_large"
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(clips["plain"], replace(HOSTILE, max_bytes=10_000))
    assert (exc.value.code, exc.value.status) == ("video_too_large", 413)
    assert ffmpeg.probe(clips["plain"], replace(limits, max_seconds=3, max_side=432)).width == 320


def test_probe_measures_duration_beyond_the_header_limit(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "long.mp4", seconds=4, size="64x64", audio=False)
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(clip, replace(HOSTILE, max_seconds=3))
    assert exc.value.code == "video_too_long"


# -- renditions ----------------------------------------------------------------------------------


def test_transcode_strips_location_and_all_metadata(tmp_path: Path, clips: dict[str, Path]) -> None:
    source_info = ffprobe_json(clips["gps_mp4"])
    assert "location" in source_info["format"]["tags"]  # the corpus really carries GPS
    assert source_info["chapters"]
    probe = ffmpeg.probe(clips["gps_mp4"], HOSTILE)
    for short_side in (720, 480):
        out = tmp_path / f"{short_side}.mp4"
        ffmpeg.transcode(clips["gps_mp4"], out, probe=probe, short_side=short_side, limits=HOSTILE)
        info = assert_clean(out)
        video = video_stream(info)
        assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
        assert (video["width"], video["height"]) == (320, 240)  # never upscaled
        audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
        assert [a["codec_name"] for a in audio] == ["aac"]
        assert len(info["streams"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["480.mp4", "720.mp4"]  # no scratch files left


def test_transcode_applies_rotation_to_pixels(tmp_path: Path, clips: dict[str, Path]) -> None:
    source = clips["rotated_mov"]
    assert "location" in ffprobe_json(source)["format"]["tags"]
    probe = ffmpeg.probe(source, HOSTILE)
    out = tmp_path / "720.mp4"
    ffmpeg.transcode(source, out, probe=probe, short_side=720, limits=HOSTILE)
    info = assert_clean(out)
    video = video_stream(info)
    assert (video["width"], video["height"]) == (240, 320)
    # Independent expectation: the stored frame turned counter-clockwise by probe.rotation degrees.
    stored = first_frame(clips["marked"])
    expected = red_corner(stored.rotate(probe.rotation, expand=True))
    assert expected == "bl"
    assert red_corner(first_frame(out)) == expected


def test_transcode_scales_the_short_side_and_reports_progress(tmp_path: Path, clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["hd"], HOSTILE)
    seen: list[float] = []
    out = tmp_path / "480.mp4"
    ffmpeg.transcode(clips["hd"], out, probe=probe, short_side=480, limits=HOSTILE, on_progress=seen.append)
    video = video_stream(assert_clean(out))
    assert (video["width"], video["height"]) == (854, 480)
    assert seen and seen[-1] == 1.0
    assert seen == sorted(seen) and all(0.0 <= f <= 1.0 for f in seen)


@pytest.mark.parametrize(
    ("size", "short", "expected"),
    [
        ((1920, 1080), 720, (1280, 720)),
        ((1080, 1920), 720, (720, 1280)),
        ((1080, 1920), 480, (480, 854)),
        ((320, 240), 720, (320, 240)),
        ((321, 241), 720, (322, 242)),
        ((4096, 2), 480, (4096, 2)),
        ((1921, 1081), 720, (1280, 720)),
    ],
)
def test_scaled_size(size: tuple[int, int], short: int, expected: tuple[int, int]) -> None:
    assert ffmpeg.scaled_size(*size, short) == expected


def test_preview_is_short_muted_and_clean(tmp_path: Path, clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["gps_mp4"], HOSTILE)
    out = tmp_path / "preview.mp4"
    ffmpeg.preview(clips["gps_mp4"], out, probe=probe, limits=HOSTILE, seconds=1, short_side=120)
    info = assert_clean(out)
    assert [s["codec_type"] for s in info["streams"]] == ["video"]
    video = video_stream(info)
    assert (video["width"], video["height"]) == (160, 120)
    assert float(info["format"]["duration"]) <= 1.2


def test_poster_frame_is_an_upright_png_clamped_into_the_video(clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["rotated_mov"], HOSTILE)
    for at_ms in (0, 500, 10**9):
        png = ffmpeg.poster_frame(clips["rotated_mov"], probe=probe, at_ms=at_ms, limits=HOSTILE)
        img = Image.open(io.BytesIO(png))
        assert img.format == "PNG"
        assert img.size == (240, 320)
        assert red_corner(img.convert("RGB")) == "bl"
        assert not img.info.get("exif")


# -- run_tool ------------------------------------------------------------------------------------


def test_run_tool_kills_on_timeout() -> None:
    with pytest.raises(VideoProcessingFailed) as exc:
        ffmpeg.run_tool(
            ["ffmpeg", "-re", "-f", "lavfi", "-i", "testsrc2", "-f", "null", "-"], limits=HOSTILE, timeout=1
        )
    assert exc.value.code == "video_timeout"
    assert exc.value.status == 503


def test_run_tool_reports_a_missing_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not ffmpeg.tools_available()
    with pytest.raises(VideoProcessingFailed) as exc:
        ffmpeg.run_tool(["ffprobe", "-version"], limits=HOSTILE)
    assert exc.value.code == "video_tool_missing"


def test_run_tool_runs_only_ffmpeg_tools() -> None:
    with pytest.raises(ValueError, match="ffmpeg or ffprobe"):
        ffmpeg.run_tool(["sh", "-c", "true"], limits=HOSTILE)


def test_memory_limit_stops_the_tool(tmp_path: Path, clips: dict[str, Path]) -> None:
    probe = ffmpeg.probe(clips["hd"], HOSTILE)
    tight = replace(HOSTILE, process_memory_bytes=200 * 1024 * 1024)
    with pytest.raises(VideoProcessingFailed) as exc:
        ffmpeg.transcode(clips["hd"], tmp_path / "out.mp4", probe=probe, short_side=720, limits=tight)
    assert exc.value.code in {"video_memory_limit", "video_tool_failed"}
    assert not (tmp_path / "out.mp4").exists()
    assert list(tmp_path.iterdir()) == []  # the scratch file is gone too


def test_file_size_limit_stops_the_tool(tmp_path: Path) -> None:
    out = tmp_path / "big.nut"
    with pytest.raises(VideoProcessingFailed) as exc:
        ffmpeg.run_tool(
            ["ffmpeg", "-f", "lavfi", "-i", "testsrc2=size=640x480", "-t", "5", "-c:v", "rawvideo",
             "-f", "nut", "-y", f"file:{out}"],
            limits=HOSTILE,
            file_size=1024 * 1024,
        )  # fmt: skip
    assert exc.value.code == "video_output_too_large"
    assert out.stat().st_size <= 1024 * 1024


# -- hostile corpus ------------------------------------------------------------------------------


def hls_playlist(url: str) -> bytes:
    return (
        f"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n{url}\n#EXT-X-ENDLIST\n"
    ).encode()


def avi_with_gab2(payload: bytes) -> bytes:
    """An AVI with one text stream whose GAB2 chunk embeds `payload` (the historical HLS-in-AVI shape)."""

    def chunk(fourcc: bytes, data: bytes) -> bytes:
        return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")

    def lst(kind: bytes, body: bytes) -> bytes:
        return b"LIST" + struct.pack("<I", len(body) + 4) + kind + body

    avih = struct.pack("<14I", 1_000_000, 0, 0, 0x10, 1, 0, 1, 0, 320, 240, 0, 0, 0, 0)
    strh = b"txts" + b"\0\0\0\0" + struct.pack("<IHHIIIIIIII4h", 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0)
    name = "hls".encode("utf-16-le") + b"\0\0"
    gab2 = b"GAB2\0" + struct.pack("<H", 2) + struct.pack("<I", len(name)) + name
    gab2 += struct.pack("<HI", 4, len(payload)) + payload
    hdrl = lst(b"hdrl", chunk(b"avih", avih) + lst(b"strl", chunk(b"strh", strh) + chunk(b"strf", b"")))
    movi = lst(b"movi", chunk(b"00tx", gab2))
    idx1 = chunk(b"idx1", b"00tx" + struct.pack("<III", 0x10, 4, len(gab2)))
    body = b"AVI " + hdrl + movi + idx1
    return b"RIFF" + struct.pack("<I", len(body)) + body


def patch_mp4_dimensions(data: bytes, width: int, height: int) -> bytes:
    """Rewrite every tkhd width/height and video sample entry size (stsd) of an MP4."""
    out = bytearray(data)
    patched = 0

    def walk(start: int, end: int) -> None:
        nonlocal patched
        pos = start
        while pos + 8 <= end:
            size, kind = struct.unpack(">I4s", out[pos : pos + 8])
            if size < 8:
                return
            if kind in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
                walk(pos + 8, pos + size)
            elif kind == b"tkhd":
                off = pos + (92 if out[pos + 8] == 1 else 80) - 8 + 8
                out[off : off + 8] = struct.pack(">II", width << 16, height << 16)
                patched += 1
            elif kind == b"stsd" and out[pos + 20 : pos + 24] == b"avc1":
                out[pos + 48 : pos + 52] = struct.pack(">HH", width, height)
                patched += 1
            pos += size

    walk(0, len(out))
    assert patched >= 2
    return bytes(out)


def patch_vp8_keyframes(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the frame size in every VP8 keyframe header (the container still says the old size)."""
    out = bytearray(data)
    pos = out.find(b"\x9d\x01\x2a")
    assert pos > 0
    while pos >= 0:
        out[pos + 3 : pos + 7] = struct.pack("<HH", width, height)
        pos = out.find(b"\x9d\x01\x2a", pos + 3)
    return bytes(out)


def plain_ffprobe_packets(path: Path, cwd: Path) -> int:
    """How many packets an unprotected `ffprobe FILE` reads: the control that shows the attack is live."""
    result = subprocess.run(
        ["ffprobe", "-v", "quiet", "-show_packets", "-of", "json", str(path)],
        capture_output=True,
        timeout=30,
        cwd=cwd,
    )
    return len(json.loads(result.stdout or b"{}").get("packets", []))


def everything_refuses(path: Path, probe_for_bypass: Probe, tmp_path: Path) -> list[str]:
    """Run probe, and transcode/poster/preview with sniffing bypassed for every container; codes raised."""
    codes = []
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(path, HOSTILE)
    codes.append(exc.value.code)
    for container in ("mp4", "mov", "webm"):
        forged = replace(probe_for_bypass, container=container)
        with pytest.raises(HavenError) as err:
            ffmpeg.transcode(path, tmp_path / "o.mp4", probe=forged, short_side=480, limits=HOSTILE)
        codes.append(err.value.code)
        with pytest.raises(HavenError) as err:
            ffmpeg.preview(path, tmp_path / "p.mp4", probe=forged, limits=HOSTILE)
        codes.append(err.value.code)
        with pytest.raises(HavenError) as err:
            ffmpeg.poster_frame(path, probe=forged, at_ms=0, limits=HOSTILE)
        codes.append(err.value.code)
    return codes


def assert_outputs_free_of(tmp_path: Path, *needles: bytes) -> None:
    for out in tmp_path.rglob("*"):
        if out.is_file() and out.name.startswith(("out", "preview", "p.", "o.")):
            data = out.read_bytes()
            assert not any(n in data for n in needles), out


@pytest.fixture
def forged_probe() -> Probe:
    return Probe("mp4", 1000, 320, 240, 0, False, "h264", "", 25.0)


def test_hls_in_avi_reaching_for_a_local_file(
    tmp_path: Path, clips: dict[str, Path], forged_probe: Probe
) -> None:
    canary_clip = tmp_path / "canary.ts"
    remux(clips["plain"], canary_clip, "-metadata", f"title={CANARY_TEXT.decode()}", "-f", "mpegts")
    canary = Canary(canary_clip, canary_clip.read_bytes())
    playlist = hls_playlist(f"file://{canary_clip}")
    passwd = hls_playlist("file:///etc/passwd")
    for name, data in {
        "hls.avi": playlist,  # a bare playlist named .avi (content-probed by plain ffmpeg)
        "gab2.avi": avi_with_gab2(playlist),  # embedded in a real AVI's GAB2 subtitle chunk
        "passwd.avi": avi_with_gab2(passwd),
        "passwd.mp4": passwd,
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        if name == "hls.avi":  # control: unprotected ffprobe follows the playlist into the canary
            assert plain_ffprobe_packets(path, tmp_path) > 0
            assert canary.was_read()
            canary.arm()
        codes = everything_refuses(path, forged_probe, tmp_path)
        assert codes[0] == "video_unsupported_format"
        assert set(codes[1:]) <= {"video_tool_failed", "video_unreadable"}, codes
        assert not canary.was_read(), name
    assert_outputs_free_of(tmp_path, CANARY_TEXT, b"root:")


def test_hls_in_avi_reaching_for_a_loopback_url(
    tmp_path: Path, listener: Listener, forged_probe: Probe
) -> None:
    url = f"http://127.0.0.1:{listener.port}/internal/segment.ts"
    for name, data in {"hls.avi": hls_playlist(url), "gab2.avi": avi_with_gab2(hls_playlist(url))}.items():
        path = tmp_path / name
        path.write_bytes(data)
        codes = everything_refuses(path, forged_probe, tmp_path)
        assert codes[0] == "video_unsupported_format"
    assert listener.connections == 0


def test_concat_script(tmp_path: Path, clips: dict[str, Path], forged_probe: Probe) -> None:
    canary_clip = tmp_path / "canary.mp4"
    canary = Canary(canary_clip, clips["plain"].read_bytes())
    script = tmp_path / "concat.mp4"
    script.write_bytes(b"ffconcat version 1.0\nfile canary.mp4\nfile canary.mp4\n")
    assert plain_ffprobe_packets(script, tmp_path) > 0  # control: plain ffprobe reads the canary
    assert canary.was_read()
    canary.arm()
    codes = everything_refuses(script, forged_probe, tmp_path)
    assert codes[0] == "video_unsupported_format"
    assert not canary.was_read()


def test_huge_declared_frame_size_in_mp4_headers_is_neutralised(
    tmp_path: Path, clips: dict[str, Path]
) -> None:
    huge = tmp_path / "huge.mp4"
    huge.write_bytes(patch_mp4_dimensions(clips["plain"].read_bytes(), 30000, 30000))
    probe = ffmpeg.probe(huge, HOSTILE)  # the decoder's own size wins over the headers
    assert (probe.width, probe.height) == (320, 240)
    out = tmp_path / "out.mp4"
    ffmpeg.transcode(huge, out, probe=probe, short_side=720, limits=HOSTILE)
    video = video_stream(assert_clean(out))
    assert (video["width"], video["height"]) == (320, 240)


def test_huge_frame_size_in_the_bitstream_is_refused(tmp_path: Path, forged_probe: Probe) -> None:
    clip = make_clip(
        tmp_path / "clip.webm", "-c:v", "libvpx", "-deadline", "realtime", "-b:v", "300k", audio=False
    )
    bomb = tmp_path / "bomb.webm"
    bomb.write_bytes(patch_vp8_keyframes(clip.read_bytes(), 16000, 16000))  # 256 Mpx, container says 320x240
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(bomb, HOSTILE)
    assert exc.value.code == "video_frame_too_large"
    # Even with probing bypassed, decoders refuse the frames (-max_pixels) instead of allocating them.
    forged = replace(forged_probe, container="webm")
    with pytest.raises(HavenError):
        ffmpeg.poster_frame(bomb, probe=forged, at_ms=0, limits=HOSTILE)


def test_truncated_mp4(tmp_path: Path, clips: dict[str, Path]) -> None:
    faststart = remux(clips["plain"], tmp_path / "faststart.mp4", "-movflags", "+faststart")
    for source in (clips["plain"], faststart):  # moov at the end, and moov first with mdat cut short
        data = source.read_bytes()
        cut = tmp_path / f"cut-{source.name}"
        cut.write_bytes(data[: len(data) // 2])
        with pytest.raises(VideoRejected) as exc:
            ffmpeg.probe(cut, HOSTILE)
        assert exc.value.code == "video_unreadable"


def test_polyglots(tmp_path: Path, clips: dict[str, Path], listener: Listener) -> None:
    mp4 = clips["plain"].read_bytes()
    canary = Canary(tmp_path / "canary.ts", b"G@\x00\x10" + CANARY_TEXT)
    playlist = hls_playlist(f"file://{canary.path}") + hls_playlist(f"http://127.0.0.1:{listener.port}/x.ts")
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, format="PNG")
    for name, prefix in {
        "png": png.getvalue(),
        "html": b"<html><script>alert(1)</script>",
        "zip": b"PK\x03\x04",
    }.items():
        path = tmp_path / f"{name}.mp4"
        path.write_bytes(prefix + mp4)
        with pytest.raises(VideoRejected) as exc:
            ffmpeg.probe(path, HOSTILE)
        assert exc.value.code == "video_unsupported_format"
    # A real MP4 carrying an HLS playlist (appended, and inside a `free` box at the start): the forced
    # demuxer never sees a playlist, and the re-encoded output carries none of it.
    free_box = struct.pack(">I", 8 + len(playlist)) + b"free" + playlist
    ftyp_size = struct.unpack(">I", mp4[:4])[0]
    for name, data in {
        "appended.mp4": mp4 + playlist,
        "embedded.mp4": mp4[:ftyp_size] + free_box + mp4[ftyp_size:],
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            probe = ffmpeg.probe(path, HOSTILE)
        except VideoRejected:
            continue  # refused is fine too
        out = tmp_path / f"out-{name}"
        ffmpeg.transcode(path, out, probe=probe, short_side=480, limits=HOSTILE)
        ffmpeg.preview(path, tmp_path / f"preview-{name}", probe=probe, limits=HOSTILE)
        assert_clean(out)
    assert_outputs_free_of(tmp_path, CANARY_TEXT, b"#EXTM3U")
    assert not canary.was_read()
    assert listener.connections == 0


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.sniff(empty)
    assert exc.value.code == "video_empty"
    with pytest.raises(VideoRejected) as exc:
        ffmpeg.probe(empty, HOSTILE)
    assert exc.value.code == "video_empty"


def test_settings_defaults_are_sane() -> None:
    limits = VideoLimits.from_settings()
    assert limits.max_bytes == settings.HAVEN.video_max_mb * 1024 * 1024
    assert limits.process_seconds == settings.HAVEN.video_process_seconds
    assert limits.max_pixels >= 3840 * 2160 or limits.max_side < 3840
