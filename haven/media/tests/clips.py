"""Test clips made by ffmpeg at test time (nothing downloaded): a plain clip with picture and sound,
and a phone-like MOV (a rotation flag and a GPS location in its metadata)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_clip(
    path: Path, *, size: str = "540x960", seconds: float = 2.0, extra: list[str] | None = None
) -> Path:
    """A short H.264/AAC clip of ffmpeg's test pattern and a tone."""
    args = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=24:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        *(extra or []), str(path),
    ]  # fmt: skip
    subprocess.run(args, check=True, timeout=60)
    return path


def phone_mov(path: Path, *, size: str = "960x540", seconds: float = 2.0) -> Path:
    """A MOV as phones write them: a landscape picture with a display matrix turning it portrait, a
    GPS location (©xyz and the mdta location key) and a creation time."""
    plain = make_clip(path.with_suffix(".plain.mp4"), size=size, seconds=seconds)
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(plain), "-c", "copy",
            "-metadata", "location=+48.8584+002.2945/", "-metadata", "location-eng=+48.8584+002.2945/",
            "-metadata", "creation_time=2024-05-01T10:00:00Z", "-metadata:s:v", "rotate=90",
            "-movflags", "use_metadata_tags", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    plain.unlink()
    return path
