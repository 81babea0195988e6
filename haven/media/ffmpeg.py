"""Safe video processing with ffmpeg: sniff, probe, transcode, poster frames and previews (no database).

Everything a hostile upload could steer is pinned here: the container is sniffed from magic bytes
and the matching demuxer is forced (`-f mov` / `-f matroska`), so HLS, concat, AVI, image2 and the
other demuxers that open further files or URLs are never reached; the only protocol is `file`, and
only the demuxers and decoders listed below may be used, also for nested inputs (so the concat
demuxer's `-safe` never matters: concat, like HLS, can never open), and the mov demuxer never follows
external data references (`-enable_drefs 0`, its default, set explicitly). Every run goes
through `run_tool`: an absolute tool path, no shell, an empty environment, rlimits (address space,
CPU, file size, open files, no core), a bounded thread count and a wall timeout that kills the whole
process group. Outputs carry no metadata at all: no tags, chapters, location atoms, encoder strings
or display matrix (rotation is applied to the pixels).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from haven.core.errors import HavenError, UnsupportedMedia

__all__ = [
    "Probe",
    "VideoLimits",
    "VideoProcessingFailed",
    "VideoRejected",
    "poster_frame",
    "preview",
    "probe",
    "run_tool",
    "sniff",
    "tools_available",
    "transcode",
]

StrPath = str | os.PathLike[str]

#: ISO BMFF major/compatible brands of video files (phones, cameras, editors, browsers).
_MP4_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
        b"M4VH", b"M4VP", b"mmp4", b"MSNV", b"dash", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"3g2b",
        b"3g2c", b"XAVC",
    }
)  # fmt: skip
_MOV_BRANDS = frozenset({b"qt  "})
#: Still-image and audio-only brands that share the ftyp box: never a video, whatever else is listed.
_NOT_VIDEO_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
     b"jpeg", b"M4A ", b"M4B ", b"M4P ", b"crx "}
)  # fmt: skip
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_SNIFF_BYTES = 4096

#: The demuxer forced for each sniffed container (the only demuxers ever allowed).
DEMUXERS = {"mp4": "mov", "mov": "mov", "webm": "matroska"}
#: Codecs accepted in the first video stream / decoded from the first audio stream.
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
AUDIO_CODECS = frozenset(
    {"aac", "mp3", "opus", "vorbis", "alac", "pcm_s16le", "pcm_s16be", "pcm_s24le", "pcm_s24be", "pcm_f32le"}
)
#: ffmpeg decoder names for those codecs: `-codec_whitelist` (also applies to probing).
_DECODERS = ",".join(
    sorted(
        {"h264", "hevc", "vp8", "vp9", "libdav1d", "av1", "mpeg4", "aac", "aac_fixed", "mp3float", "mp3",
         "opus", "libopus", "vorbis", "libvorbis", "alac", "pcm_s16le", "pcm_s16be", "pcm_s24le",
         "pcm_s24be", "pcm_f32le",
         # never mapped, but opened while probing: chapter/subtitle text tracks and cover art
         "mov_text", "webvtt", "mjpeg", "png"}
    )
)  # fmt: skip

_PROBESIZE = 32 * 1024 * 1024
_ANALYZEDURATION_US = 15_000_000
_MAX_STREAMS = 32
_MAX_ALLOC = 256 * 1024 * 1024  # largest single allocation (a 4096x4096 frame is ~50 MB)
_MAX_STDOUT = 64 * 1024 * 1024
_STDERR_TAIL = 64 * 1024
_MIB = 1024 * 1024

#: Each rendition's H.264 rate cap (CRF rules below it): bounds the output file size to the job.
_VIDEO_MAXRATE = {720: 4_000_000, 480: 2_000_000, 360: 900_000}
_AUDIO_BITRATE = 128_000
#: libx264 preset. A worker has ~2 cores: `veryfast` needs ~57 % of `medium`'s CPU for 1080p -> 720p
#: (141 vs 248 CPU s per minute of input, bench/media), so one worker keeps up with about twice the
#: uploads; its losses (fewer reference frames, simpler motion search) hardly show at CRF 23 on
#: phone screens, while ultrafast/superfast hit the 4 Mbit/s cap on the same input (veryfast 2.5).
X264_PRESET = "veryfast"
CRF = 23
PREVIEW_CRF = 28


class VideoRejected(UnsupportedMedia):
    """The file is not an allowed video (final: retrying cannot help)."""

    code = "video_unsupported_format"


class VideoProcessingFailed(HavenError):
    """Our side failed (timeout, memory or CPU limit, tool crash or missing): retryable."""

    status = 503
    code = "video_tool_failed"


@dataclass(frozen=True)
class VideoLimits:
    """What an upload may be, and what each ffmpeg/ffprobe run may cost."""

    max_bytes: int
    max_seconds: int
    max_side: int
    process_seconds: int
    process_memory_bytes: int
    threads: int = 2

    @classmethod
    def from_settings(cls) -> VideoLimits:
        haven = settings.HAVEN
        return cls(
            max_bytes=haven.video_max_mb * _MIB,
            max_seconds=haven.video_max_seconds,
            max_side=haven.video_max_side,
            process_seconds=haven.video_process_seconds,
            process_memory_bytes=haven.video_process_memory_mb * _MIB,
        )

    @property
    def max_pixels(self) -> int:
        """Pixels per frame: a 16:9 frame at `max_side` (3840x2160 passes the 4096 default)."""
        return self.max_side * self.max_side * 9 // 16


@dataclass(frozen=True)
class Probe:
    """What probing found. width/height are as displayed (rotation and pixel aspect applied)."""

    container: str  # mp4 | mov | webm (sniffed)
    duration_ms: int
    width: int
    height: int
    rotation: int  # degrees counter-clockwise (ffprobe's display matrix): 0, 90, 180 or 270
    has_audio: bool
    video_codec: str
    audio_codec: str
    fps: float
    video_index: int = 0  # stream index of the first video stream (cover art skipped)
    audio_index: int = -1  # stream index of the first audio stream with an allowed codec, -1 if none
    byte_size: int = 0


# -- errors --------------------------------------------------------------------------------------


def _rejected(code: str, *, status: int | None = None, **details: Any) -> VideoRejected:
    messages = {
        "video_empty": _("The video file is empty."),
        "video_unsupported_format": _("This file is not a supported video (MP4, MOV or WebM)."),
        "video_unsupported_codec": _("This video uses a codec that is not supported."),
        "video_unreadable": _("The video is damaged or incomplete."),
        "video_no_video_stream": _("This file has no video picture."),
        "video_too_long": _("The video is too long (the limit is %(seconds)s seconds)."),
        "video_frame_too_large": _("The video's picture is too large (the limit is %(side)s pixels a side)."),
        "video_too_large": _("The video file is too large (the limit is %(mb)s MB)."),
    }
    return VideoRejected(messages[code] % details if details else messages[code], code=code, status=status)


def _failed(code: str, detail: str = "") -> VideoProcessingFailed:
    messages = {
        "video_tool_missing": _("Video processing is not available on this server (ffmpeg is missing)."),
        "video_timeout": _("Processing the video took too long."),
        "video_memory_limit": _("Processing the video needed too much memory."),
        "video_output_too_large": _("Processing the video produced too much data."),
        "video_tool_failed": _("Processing the video failed."),
    }
    return VideoProcessingFailed(
        messages[code], code=code, details={"detail": detail[-300:]} if detail else None
    )


# -- running the tools ---------------------------------------------------------------------------


def tools_available() -> bool:
    """Whether both ffmpeg and ffprobe can be found on PATH."""
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _rlimits(limits: VideoLimits, *, cpu_seconds: int, file_size: int) -> list[tuple[int, int, int]]:
    return [
        (resource.RLIMIT_AS, limits.process_memory_bytes, limits.process_memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 5),  # SIGXCPU at soft, SIGKILL at hard
        (resource.RLIMIT_FSIZE, file_size, file_size),
        (resource.RLIMIT_NOFILE, 32, 32),
        (resource.RLIMIT_CORE, 0, 0),
    ]


def run_tool(
    args: Sequence[str],
    *,
    limits: VideoLimits,
    timeout: float | None = None,
    file_size: int = 16 * _MIB,
    on_line: Callable[[str], None] | None = None,
    max_stdout: int = _MAX_STDOUT,
) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg or ffprobe (`args[0]`) under limits; the only place this module starts a process.

    The tool is looked up on PATH now and run by absolute path with an empty environment, stdin
    closed, no shell and `-nostdin -hide_banner -max_alloc` prepended; in the child, before exec:
    RLIMIT_AS = `process_memory_bytes`, RLIMIT_CPU = wall seconds x threads, RLIMIT_FSIZE =
    `file_size` (what the job may write), 32 open files, no core dumps. The whole process group is
    killed at `timeout` (default `limits.process_seconds`). stdout is kept up to `max_stdout` bytes,
    or handed line by line to `on_line` (an exception there kills the run and propagates); stderr's
    tail is kept. A non-zero exit is returned, not raised; time/CPU overruns raise
    VideoProcessingFailed("video_timeout"), a missing tool "video_tool_missing".
    """
    name = args[0]
    if name not in {"ffmpeg", "ffprobe"}:
        raise ValueError(f"run_tool runs ffmpeg or ffprobe, not {name!r}")
    tool = shutil.which(name)
    if tool is None:
        raise _failed("video_tool_missing")
    wall = float(timeout if timeout is not None else limits.process_seconds)
    cpu_seconds = max(1, math.ceil(wall)) * max(1, limits.threads)
    rlimits = _rlimits(limits, cpu_seconds=cpu_seconds, file_size=file_size)
    head = [tool, "-hide_banner", "-max_alloc", str(_MAX_ALLOC)]
    if name == "ffmpeg":
        head.insert(1, "-nostdin")
    argv = [*head, *args[1:]]

    def apply_limits() -> None:  # runs in the child between fork and exec: setrlimit calls only
        for which, soft, hard in rlimits:
            resource.setrlimit(which, (soft, hard))

    proc = subprocess.Popen(  # noqa: S603 - fixed tool, argument list, no shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"LC_ALL": "C", "AV_LOG_FORCE_NOCOLOR": "1"},
        cwd="/",
        close_fds=True,
        start_new_session=True,  # its own process group, killed as a whole
        preexec_fn=apply_limits,  # only setrlimit between fork and exec; no locks are taken there
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        _kill_group(proc)

    watchdog = threading.Timer(wall, kill)
    watchdog.daemon = True
    stderr_tail = bytearray()

    def drain_stderr(stream: IO[bytes]) -> None:
        while chunk := stream.read(8192):
            stderr_tail.extend(chunk)
            del stderr_tail[:-_STDERR_TAIL]

    assert proc.stdout is not None and proc.stderr is not None
    err_reader = threading.Thread(target=drain_stderr, args=(proc.stderr,), daemon=True)
    err_reader.start()
    watchdog.start()
    out = bytearray()
    overflow = False
    try:
        if on_line is not None:
            while line := proc.stdout.readline(4096):
                on_line(line.decode("ascii", "replace").strip())
        else:
            while chunk := proc.stdout.read(65536):
                if len(out) + len(chunk) > max_stdout:
                    overflow = True
                    _kill_group(proc)
                    break
                out.extend(chunk)
        proc.wait()
    except BaseException:
        _kill_group(proc)
        proc.wait()
        raise
    finally:
        watchdog.cancel()
        err_reader.join(timeout=5)
        proc.stdout.close()
        proc.stderr.close()
    rc = proc.returncode
    stderr = bytes(stderr_tail)
    if timed_out.is_set() or rc in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _failed("video_timeout", stderr.decode("utf-8", "replace"))
    if overflow or rc == -signal.SIGXFSZ:
        raise _failed("video_output_too_large")
    return subprocess.CompletedProcess(argv, rc, bytes(out), stderr)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _require_success(result: subprocess.CompletedProcess[bytes]) -> None:
    """Map a failed ffmpeg run (our side: crash, memory) to VideoProcessingFailed."""
    if result.returncode == 0:
        return
    err = result.stderr.decode("utf-8", "replace")
    if "Cannot allocate memory" in err or "malloc of size" in err or result.returncode == -signal.SIGSEGV:
        # a segfault under RLIMIT_AS is usually an unchecked allocation; either way it is retryable
        raise _failed("video_memory_limit", err)
    raise _failed("video_tool_failed", f"exit {result.returncode}: {err}")


# -- sniffing ------------------------------------------------------------------------------------


def sniff(path: StrPath) -> str:
    """The container by magic bytes only: "mp4", "mov" or "webm"; anything else is VideoRejected.

    ISO BMFF needs an `ftyp` box first with a video brand ("qt  " is MOV); Matroska needs the EBML
    header with DocType "webm". DocType "matroska" is refused: no phone or browser records it, and it
    would widen the codecs, attachments and subtitle formats that reach ffmpeg for no user benefit.
    """
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head:
        raise _rejected("video_empty")
    if len(head) >= 16 and head[4:8] == b"ftyp":
        return _sniff_iso(head)
    if head.startswith(_EBML_MAGIC) and _ebml_doctype(head) == "webm":
        return "webm"
    raise _rejected("video_unsupported_format")


def _sniff_iso(head: bytes) -> str:
    size = int.from_bytes(head[0:4], "big")
    if not 16 <= size <= min(len(head), 1024) or (size - 16) % 4:
        raise _rejected("video_unsupported_format")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, size, 4)}
    if major in _MOV_BRANDS:
        return "mov"
    if major in _NOT_VIDEO_BRANDS:
        raise _rejected("video_unsupported_format")
    if major in _MP4_BRANDS or compatible & _MP4_BRANDS:
        return "mp4"
    if compatible & _MOV_BRANDS:
        return "mov"
    raise _rejected("video_unsupported_format")


def _read_vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `pos`: (value, next position)."""
    if pos >= len(data) or data[pos] == 0:
        raise _rejected("video_unsupported_format")
    first = data[pos]
    length = 8 - first.bit_length() + 1
    if pos + length > len(data):
        raise _rejected("video_unsupported_format")
    value = first if keep_marker else first & ((1 << (8 - length)) - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, pos + length


def _ebml_doctype(head: bytes) -> str:
    pos = len(_EBML_MAGIC)
    size, pos = _read_vint(head, pos, keep_marker=False)
    end = pos + size
    if size > 256 or end > len(head):
        raise _rejected("video_unsupported_format")
    while pos < end:
        element, pos = _read_vint(head, pos, keep_marker=True)
        length, pos = _read_vint(head, pos, keep_marker=False)
        if pos + length > end:
            break
        if element == 0x4282:  # DocType
            return head[pos : pos + length].rstrip(b"\0").decode("ascii", "replace")
        pos += length
    return ""


# -- probing -------------------------------------------------------------------------------------


def _input_args(
    path: StrPath, container: str, limits: VideoLimits, *, seek_ms: int | None = None
) -> list[str]:
    """The hardened input: forced demuxer, file protocol only, allow-listed demuxers and decoders."""
    demuxer = DEMUXERS[container]
    args = [
        "-protocol_whitelist", "file",
        "-format_whitelist", demuxer,
        "-codec_whitelist", _DECODERS,
        "-probesize", str(_PROBESIZE),
        "-analyzeduration", str(_ANALYZEDURATION_US),
        "-threads", str(limits.threads),
        "-max_pixels", str(limits.max_pixels),  # decoders refuse bigger frames, whatever headers say
        "-f", demuxer,
    ]  # fmt: skip
    if demuxer == "mov":
        # No external data references (dref), no alias paths, no chapter tracks.
        args += ["-enable_drefs", "0", "-use_absolute_path", "0", "-ignore_chapters", "1"]
    if seek_ms is not None:
        args += ["-ss", f"{seek_ms / 1000:.3f}"]
    return [*args, "-i", f"file:{Path(path).resolve()}"]


def probe(path: StrPath, limits: VideoLimits) -> Probe:
    """Sniff and probe an upload, refusing anything that is not an allowed video (VideoRejected).

    Checks, cheapest first: byte size, container, streams and codecs, coded and displayed frame
    size, declared duration; then one demuxing pass (no decoding) measures the real duration, which
    catches truncated files and headers that understate the length.
    """
    byte_size = os.stat(path).st_size
    if byte_size == 0:
        raise _rejected("video_empty")
    if byte_size > limits.max_bytes:
        raise _rejected("video_too_large", status=413, mb=round(limits.max_bytes / _MIB, 1))
    container = sniff(path)
    entries = (
        "format=duration,nb_streams:stream=index,codec_type,codec_name,width,height,"
        "sample_aspect_ratio,avg_frame_rate,r_frame_rate,duration:stream_disposition=attached_pic:"
        "stream_side_data=rotation"
    )
    args = ["ffprobe", "-v", "error", *_input_args(path, container, limits)]
    args += ["-show_entries", entries, "-of", "json"]
    result = run_tool(args, limits=limits, timeout=min(limits.process_seconds, 120), max_stdout=_MIB)
    if result.returncode != 0:
        if result.returncode < 0:
            _require_success(result)  # killed by a signal: our side
        raise _probe_failure(result, limits)
    try:
        info = json.loads(result.stdout)
    except ValueError:
        raise _rejected("video_unreadable") from None
    streams = info.get("streams") or []
    if not isinstance(streams, list) or len(streams) > _MAX_STREAMS:
        raise _rejected("video_unsupported_format")
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None:
        raise _rejected("video_no_video_stream")
    codec = str(video.get("codec_name") or "")
    if codec not in VIDEO_CODECS:
        raise _rejected("video_unsupported_codec")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is not None and str(audio.get("codec_name") or "") not in AUDIO_CODECS:
        audio = None  # an unsupported soundtrack is dropped, not decoded

    coded_w, coded_h = _decoded_size(path, container, limits, video_index=_int(video.get("index")))
    width, height = _display_size(coded_w, coded_h, str(video.get("sample_aspect_ratio") or ""))
    side_limit = limits.max_side
    for w, h in ((coded_w, coded_h), (width, height)):
        if max(w, h) > side_limit or w * h > limits.max_pixels:
            raise _rejected("video_frame_too_large", side=side_limit)
    rotation = _rotation(video)
    if rotation in (90, 270):
        width, height = height, width

    declared = max(_seconds((info.get("format") or {}).get("duration")), _seconds(video.get("duration")))
    if declared > limits.max_seconds:
        raise _rejected("video_too_long", seconds=limits.max_seconds)
    measured = _demuxed_seconds(path, container, limits, video_index=_int(video.get("index")))
    if measured > limits.max_seconds:
        raise _rejected("video_too_long", seconds=limits.max_seconds)
    video_declared = _seconds(video.get("duration"))
    if video_declared and measured < video_declared * 0.9 - 0.5:
        raise _rejected("video_unreadable")  # the header promises frames the file does not have
    duration = max(declared, measured)
    if duration <= 0:
        raise _rejected("video_unreadable")
    fps = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
    return Probe(
        container=container,
        duration_ms=round(duration * 1000),
        width=width,
        height=height,
        rotation=rotation,
        has_audio=audio is not None,
        video_codec=codec,
        audio_codec=str(audio.get("codec_name")) if audio is not None else "",
        fps=round(min(fps, 1000.0), 3),
        video_index=_int(video.get("index")),
        audio_index=_int(audio.get("index")) if audio is not None else -1,
        byte_size=byte_size,
    )


def _probe_failure(result: subprocess.CompletedProcess[bytes], limits: VideoLimits) -> VideoRejected:
    """The rejection for a probe that found nothing usable, by what ffmpeg said."""
    if b"max pixel count" in result.stderr:  # a decoder met a frame over `-max_pixels`
        return _rejected("video_frame_too_large", side=limits.max_side)
    if b"not on whitelist" in result.stderr:  # a stream needs a decoder off the allow-list
        return _rejected("video_unsupported_codec")
    return _rejected("video_unreadable")


def _decoded_size(path: StrPath, container: str, limits: VideoLimits, *, video_index: int) -> tuple[int, int]:
    """The size of the first decoded frames: the bitstream's own, which container headers can misstate.

    Decoders run with `-max_pixels`, so a frame bigger than the limit is never allocated.
    """
    args = ["ffprobe", "-v", "error", *_input_args(path, container, limits)]
    args += ["-select_streams", str(video_index), "-read_intervals", "%+#30"]
    args += ["-show_entries", "frame=width,height", "-of", "json"]
    result = run_tool(args, limits=limits, timeout=min(limits.process_seconds, 120), max_stdout=_MIB)
    if result.returncode < 0:
        _require_success(result)
    try:
        frames = json.loads(result.stdout).get("frames") or [] if result.returncode == 0 else []
    except ValueError:
        frames = []
    sizes = {(_int(f.get("width")), _int(f.get("height"))) for f in frames if isinstance(f, dict)}
    if not sizes:
        raise _probe_failure(result, limits)
    width, height = max(sizes, key=lambda wh: wh[0] * wh[1])
    if width <= 0 or height <= 0:
        raise _rejected("video_unreadable")
    return width, height


def _demuxed_seconds(path: StrPath, container: str, limits: VideoLimits, *, video_index: int) -> float:
    """The last video timestamp, by demuxing every packet without decoding (stops past the limit)."""
    last_us = 0
    ended = False

    def on_line(line: str) -> None:
        nonlocal last_us, ended
        key, _sep, value = line.partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            last_us = max(last_us, int(value))
        elif key == "progress" and value == "end":
            ended = True

    args = ["ffmpeg", "-v", "error", "-nostats", *_input_args(path, container, limits)]
    args += ["-map", f"0:{video_index}", "-c", "copy", "-t", str(limits.max_seconds + 1)]
    args += ["-progress", "pipe:1", "-stats_period", "1", "-f", "null", "-"]
    result = run_tool(args, limits=limits, on_line=on_line)
    if result.returncode != 0 or not ended:
        if result.returncode < 0:
            _require_success(result)
        raise _rejected("video_unreadable")
    return last_us / 1_000_000


def _display_size(width: int, height: int, sar: str) -> tuple[int, int]:
    num, _sep, den = sar.partition(":")
    if num.isdigit() and den.isdigit() and int(num) > 0 and int(den) > 0 and num != den:
        return max(1, round(width * int(num) / int(den))), height
    return width, height


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list") or []:
        if isinstance(side, dict) and "rotation" in side:
            try:
                degrees = float(side["rotation"])
            except (TypeError, ValueError):
                return 0
            return (round(degrees / 90) * 90) % 360
    return 0


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _seconds(value: object) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 0.0


def _rate(value: object) -> float:
    num, _sep, den = str(value or "").partition("/")
    try:
        rate = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0
    return rate if math.isfinite(rate) and rate > 0 else 0.0


# -- outputs -------------------------------------------------------------------------------------


def scaled_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """(w, h) with the short side at most `short_side`, aspect kept, never upscaled, both even."""
    scale = min(1.0, short_side / min(width, height))

    def even(v: float) -> int:
        return max(2, int(v / 2 + 0.5) * 2)

    return even(width * scale), even(height * scale)


#: Output options that leave nothing of the source's metadata in the file (and no encoder strings).
_CLEAN_OUTPUT = [
    "-map_metadata", "-1",
    "-map_chapters", "-1",
    "-fflags", "+bitexact",
    "-flags:v", "+bitexact",
    "-flags:a", "+bitexact",
]  # fmt: skip


def _h264_args(*, crf: int, maxrate: int, threads: int) -> list[str]:
    return [
        "-c:v", "libx264",
        "-preset", X264_PRESET,
        "-profile:v", "high",
        "-pix_fmt", "yuv420p",
        "-crf", str(crf),
        "-maxrate", str(maxrate),
        "-bufsize", str(maxrate * 2),
        "-threads", str(threads),
        # drop SEI NAL units: x264 writes its version and settings there
        "-bsf:v", "filter_units=remove_types=6",
    ]  # fmt: skip


def _encode_clean(
    args: list[str],
    dst: StrPath,
    *,
    limits: VideoLimits,
    budget: int,
    on_line: Callable[[str], None] | None = None,
) -> None:
    """Encode into a scratch MP4 beside `dst`, then remux (stream copy) into `dst` with faststart.

    The remux is what leaves no encoder string: ffmpeg names the encoder of every stream it encodes
    (the `stsd` compressor name, "Lavc libx264"), but not of a copied stream.
    """
    target = Path(dst).resolve()
    scratch = target.with_name(f".{target.name}.encoding.mp4")
    try:
        encode = [*args, *_CLEAN_OUTPUT, "-f", "mp4", "-y", f"file:{scratch}"]
        _require_success(run_tool(encode, limits=limits, file_size=budget, on_line=on_line))
        remux = ["ffmpeg", "-v", "error", "-nostats", *_input_args(scratch, "mp4", limits)]
        remux += ["-map", "0", "-c", "copy", *_CLEAN_OUTPUT, "-movflags", "+faststart"]
        remux += ["-f", "mp4", "-y", f"file:{target}"]
        _require_success(
            run_tool(remux, limits=limits, file_size=budget, timeout=min(limits.process_seconds, 300))
        )
    finally:
        scratch.unlink(missing_ok=True)


def _output_budget(seconds: float, bits_per_second: int) -> int:
    """RLIMIT_FSIZE for an output: twice what the rate caps allow, plus room for the headers."""
    return int((seconds + 2) * bits_per_second / 8 * 2) + 8 * _MIB


def _progress_reader(duration_ms: int, on_progress: Callable[[float], None] | None) -> Callable[[str], None]:
    """Parse `-progress` lines into fractions 0..1, reporting every 1 % at most (and 1.0 at the end)."""
    last = -1.0

    def on_line(line: str) -> None:
        nonlocal last
        if on_progress is None:
            return
        key, _sep, value = line.partition("=")
        if key == "out_time_us" and value.isdigit() and duration_ms > 0:
            fraction = min(1.0, int(value) / (duration_ms * 1000))
            if fraction - last >= 0.01:
                last = fraction
                on_progress(fraction)
        elif key == "progress" and value == "end" and last < 1.0:
            last = 1.0
            on_progress(1.0)

    return on_line


def transcode(
    src: StrPath,
    dst: StrPath,
    *,
    probe: Probe,
    short_side: int,
    limits: VideoLimits,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Re-encode to an H.264 (high, yuv420p, CRF 23) + AAC MP4 with faststart and no metadata.

    The short side is scaled to at most `short_side` (never up, even sizes); rotation is applied to
    the pixels; only the first video and audio streams are kept; at most 60 fps and
    `limits.max_seconds`. `on_progress(fraction)` is called as encoding advances (about twice a
    second, in steps of at least 1 %).
    """
    width, height = scaled_size(probe.width, probe.height, short_side)
    maxrate = _VIDEO_MAXRATE.get(short_side, _VIDEO_MAXRATE[720])
    seconds = min(probe.duration_ms / 1000, limits.max_seconds)
    args = ["ffmpeg", "-v", "error", "-nostats", *_input_args(src, probe.container, limits)]
    args += ["-map", f"0:{probe.video_index}"]
    if probe.has_audio and probe.audio_index >= 0:
        args += ["-map", f"0:{probe.audio_index}", "-c:a", "aac", "-b:a", str(_AUDIO_BITRATE), "-ac", "2"]
    args += ["-vf", f"scale={width}:{height},setsar=1,format=yuv420p", "-fpsmax", "60"]
    args += ["-filter_threads", str(limits.threads)]
    args += _h264_args(crf=CRF, maxrate=maxrate, threads=limits.threads)
    args += ["-t", str(limits.max_seconds), "-progress", "pipe:1", "-stats_period", "0.5"]
    budget = _output_budget(seconds, maxrate + _AUDIO_BITRATE)
    _encode_clean(
        args, dst, limits=limits, budget=budget, on_line=_progress_reader(probe.duration_ms, on_progress)
    )


def preview(
    src: StrPath,
    dst: StrPath,
    *,
    probe: Probe,
    limits: VideoLimits,
    seconds: int = 4,
    short_side: int = 360,
) -> None:
    """A short muted H.264 MP4 (the first `seconds`, at most 30 fps) for feed cards."""
    seconds = max(1, min(seconds, 30))
    width, height = scaled_size(probe.width, probe.height, short_side)
    maxrate = _VIDEO_MAXRATE.get(short_side, _VIDEO_MAXRATE[360])
    args = ["ffmpeg", "-v", "error", "-nostats", *_input_args(src, probe.container, limits)]
    args += ["-map", f"0:{probe.video_index}", "-an", "-t", str(seconds)]
    args += ["-vf", f"scale={width}:{height},setsar=1,format=yuv420p", "-fpsmax", "30"]
    args += ["-filter_threads", str(limits.threads)]
    args += _h264_args(crf=PREVIEW_CRF, maxrate=maxrate, threads=limits.threads)
    _encode_clean(args, dst, limits=limits, budget=_output_budget(seconds, maxrate))


def poster_frame(
    src: StrPath, *, probe: Probe, at_ms: int, limits: VideoLimits, max_side: int = 1920
) -> bytes:
    """One upright frame as PNG bytes (long side at most `max_side`); `at_ms` is clamped into the video."""
    frame_ms = round(1000 / probe.fps) if probe.fps > 0 else 40
    at_ms = max(0, min(at_ms, probe.duration_ms - 2 * frame_ms))
    scale = min(1.0, max_side / max(probe.width, probe.height))
    width, height = scaled_size(probe.width, probe.height, math.floor(min(probe.width, probe.height) * scale))
    for seek in dict.fromkeys((at_ms, 0)):
        args = ["ffmpeg", "-v", "error", "-nostats", *_input_args(src, probe.container, limits, seek_ms=seek)]
        args += ["-map", f"0:{probe.video_index}", "-frames:v", "1", "-an"]
        args += ["-vf", f"scale={width}:{height},setsar=1,format=rgb24"]
        args += [*_CLEAN_OUTPUT, "-c:v", "png", "-f", "image2pipe", "pipe:1"]
        result = run_tool(args, limits=limits, timeout=min(limits.process_seconds, 120))
        _require_success(result)
        if result.stdout.startswith(b"\x89PNG\r\n\x1a\n"):
            return result.stdout
    raise _rejected("video_unreadable")
