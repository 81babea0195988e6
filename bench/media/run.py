"""Media processing cost: CPU and peak memory of each video rendition, images per second; plain baselines.

    .venv/bin/python -m bench.media.run [--seconds 20] [--images 12] [--presets] [--keep DIR]

Generates its inputs (nothing is downloaded): a 1080p30 H.264/AAC clip of `--seconds` (testsrc2 with
film-grain noise, so the encoder has texture to work on) and `--images` 12 MP JPEG photos. Each
video job runs through haven.media.ffmpeg exactly as a worker would; the CPU seconds (user + system)
and peak resident memory (ru_maxrss) of every ffmpeg/ffprobe child are read from wait4(), summed
(CPU) or maxed (memory) per job, scaled to one minute of input, and divided by the same figures of
the plain command `ffmpeg -i in.mp4 -vf scale=-2:720 -c:v libx264 -c:a aac out.mp4` run in the same
session. Images: Haven's path (images.open_validated + grid and detail renditions + blurhash, as
media.services.image_process does) against a plain Pillow open/resize/save-WebP loop that writes the
same two sizes. `--presets` adds a libx264 preset table for the 720p rendition (CPU, bytes).
Prints a table and writes bench/out/media.json. Not part of the test suite; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import OUT, django_setup  # noqa: E402


@dataclass
class Usage:
    """CPU seconds and peak RSS (KiB) of the child processes one job started."""

    cpu: float = 0.0
    maxrss_kb: int = 0
    runs: int = 0
    wall: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, ru: Any) -> None:
        self.cpu += ru.ru_utime + ru.ru_stime
        self.maxrss_kb = max(self.maxrss_kb, ru.ru_maxrss)
        self.runs += 1


_current: list[Usage] = []


class MeteredPopen(subprocess.Popen):  # type: ignore[type-arg]
    """Popen that reaps its child with wait4() and books the child's own rusage on the current job."""

    def _try_wait(self, wait_flags: int) -> tuple[int, int]:
        try:
            pid, status, ru = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return (self.pid, 0)
        if pid == self.pid and _current:
            _current[-1].add(ru)
        return (pid, status)


@contextmanager
def metered() -> Iterator[Usage]:
    usage = Usage()
    _current.append(usage)
    start = time.perf_counter()
    try:
        yield usage
    finally:
        usage.wall = time.perf_counter() - start
        _current.pop()


def run_plain(args: list[str]) -> None:
    proc = MeteredPopen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {err.decode()[-500:]}")


def make_video(path: Path, seconds: int) -> None:
    run_plain(
        ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(path)]
    )  # fmt: skip


def make_photos(folder: Path, count: int) -> list[bytes]:
    """12 MP JPEG 'photos': a gradient, shapes and sensor-like noise, quality 90, with EXIF."""
    from PIL import Image, ImageDraw, ImageFilter

    photos = []
    for i in range(count):
        w, h = 4032, 3024
        base = Image.linear_gradient("L").resize((w, h)).convert("RGB")
        draw = ImageDraw.Draw(base)
        for k in range(12):
            x, y = (i * 397 + k * 811) % w, (i * 211 + k * 577) % h
            draw.ellipse((x, y, x + 600, y + 400), fill=((k * 40) % 256, (i * 30) % 256, (k * 70 + i) % 256))
        noise = Image.effect_noise((w, h), 24).convert("RGB")
        img = Image.blend(base, noise, 0.25).filter(ImageFilter.SMOOTH)
        exif = Image.Exif()
        exif[0x0112] = 1  # orientation
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=90, exif=exif)
        photos.append(buf.getvalue())
        (folder / f"photo{i}.jpg").write_bytes(buf.getvalue())
    return photos


def per_minute(value: float, seconds: float) -> float:
    return value * 60.0 / seconds


def bench_video(work: Path, seconds: int, presets: bool) -> dict[str, Any]:
    from haven.media import ffmpeg

    ffmpeg.subprocess.Popen = MeteredPopen  # type: ignore[misc]  # book every run_tool child
    src = work / "in.mp4"
    make_video(src, seconds)
    limits = ffmpeg.VideoLimits.from_settings()
    jobs: dict[str, Callable[[], Any]] = {}
    probe_box: dict[str, ffmpeg.Probe] = {}

    def do_probe() -> None:
        probe_box["p"] = ffmpeg.probe(src, limits)

    jobs["probe"] = do_probe
    jobs["720p"] = lambda: ffmpeg.transcode(
        src, work / "720p.mp4", probe=probe_box["p"], short_side=720, limits=limits
    )
    jobs["480p"] = lambda: ffmpeg.transcode(
        src, work / "480p.mp4", probe=probe_box["p"], short_side=480, limits=limits
    )
    jobs["preview"] = lambda: ffmpeg.preview(src, work / "preview.mp4", probe=probe_box["p"], limits=limits)
    jobs["poster"] = lambda: ffmpeg.poster_frame(
        src, probe=probe_box["p"], at_ms=seconds * 500, limits=limits
    )
    plain_out = work / "plain.mp4"
    plain = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(src), "-vf", "scale=-2:720"]
    plain += ["-c:v", "libx264", "-c:a", "aac", str(plain_out)]

    results: dict[str, Any] = {}
    with metered() as base:
        run_plain(plain)
    results["plain ffmpeg 720p"] = base
    for name, job in jobs.items():
        with metered() as usage:
            job()
        results[name] = usage
    for name in ("720p", "480p", "preview"):
        results[name].extra["bytes"] = (work / f"{name}.mp4").stat().st_size
    results["plain ffmpeg 720p"].extra["bytes"] = plain_out.stat().st_size

    rows = {}
    for name, usage in results.items():
        rows[name] = {
            "cpu_s": round(usage.cpu, 2),
            "cpu_s_per_min": round(per_minute(usage.cpu, seconds), 2),
            "cpu_ratio": round(usage.cpu / base.cpu, 3),
            "peak_rss_mb": round(usage.maxrss_kb / 1024, 1),
            "rss_ratio": round(usage.maxrss_kb / base.maxrss_kb, 3),
            "wall_s": round(usage.wall, 2),
            "processes": usage.runs,
            **usage.extra,
        }
    out: dict[str, Any] = {"renditions": rows}
    if presets:
        out["presets"] = bench_presets(src, work, seconds)
    return out


def bench_presets(src: Path, work: Path, seconds: int) -> dict[str, Any]:
    """libx264 presets for the 720p rendition at CRF 23 with the rendition's rate cap."""
    table = {}
    for preset in ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium"):
        dst = work / f"preset-{preset}.mp4"
        args = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-threads", "2", "-i", str(src), "-an"]
        args += ["-vf", "scale=-2:720", "-c:v", "libx264", "-preset", preset, "-crf", "23"]
        args += ["-maxrate", "4000000", "-bufsize", "8000000", "-threads", "2", str(dst)]
        with metered() as usage:
            run_plain(args)
        table[preset] = {
            "cpu_s_per_min": round(per_minute(usage.cpu, seconds), 2),
            "kbit_s": round(dst.stat().st_size * 8 / seconds / 1000),
            "wall_s_per_min": round(per_minute(usage.wall, seconds), 2),
        }
    return table


def bench_images(work: Path, count: int, rounds: int) -> dict[str, Any]:
    from PIL import Image, ImageOps

    from haven.core import images
    from haven.media.services import DETAIL_MAX_SIDE, GRID_MAX_SIDE, GRID_MAX_WIDTH

    photos = make_photos(work, count)

    def haven_path(data: bytes) -> None:
        img = images.open_validated(data)
        images.render(img, max_side=GRID_MAX_SIDE, max_width=GRID_MAX_WIDTH)
        images.render(img, max_side=DETAIL_MAX_SIDE)
        images.blurhash_of(img)
        img.close()

    def plain_path(data: bytes) -> None:
        with Image.open(io.BytesIO(data)) as src:
            img = ImageOps.exif_transpose(src.convert("RGB"))
        for box in ((GRID_MAX_WIDTH, GRID_MAX_SIDE), (DETAIL_MAX_SIDE, DETAIL_MAX_SIDE)):
            out = img.copy()
            out.thumbnail(box, Image.Resampling.LANCZOS)
            out.save(io.BytesIO(), format="WEBP", quality=82)

    figures = {}
    for name, fn in (("plain Pillow", plain_path), ("Haven", haven_path)):
        fn(photos[0])  # warm up (codec tables, ICC profile cache)
        start = time.process_time()
        wall = time.perf_counter()
        for _ in range(rounds):
            for data in photos:
                fn(data)
        cpu = time.process_time() - start
        n = rounds * len(photos)
        figures[name] = {
            "images_per_s": round(n / (time.perf_counter() - wall), 2),
            "images_per_cpu_s": round(n / cpu, 2),
        }
    base = figures["plain Pillow"]["images_per_cpu_s"]
    for row in figures.values():
        row["ratio"] = round(row["images_per_cpu_s"] / base, 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of the 1080p input (default 20)")
    parser.add_argument("--images", type=int, default=12, help="number of 12 MP photos (default 12)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the photos (default 2)")
    parser.add_argument("--presets", action="store_true", help="also compare libx264 presets for 720p")
    parser.add_argument("--keep", type=Path, help="write inputs and outputs here instead of a temp dir")
    args = parser.parse_args()
    os.environ.setdefault("HAVEN_DATA_DIR", tempfile.mkdtemp(prefix="haven-bench-media-"))
    django_setup()
    from haven.media import ffmpeg

    if not ffmpeg.tools_available():
        sys.exit("ffmpeg/ffprobe are not installed")
    with tempfile.TemporaryDirectory(prefix="haven-bench-media-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        video = bench_video(work, args.seconds, args.presets)
        photos = bench_images(work, args.images, args.rounds)
    version = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ffmpeg": version},
        "input": {
            "video": f"{args.seconds} s 1080p30 H.264/AAC",
            "photos": f"{args.images} x 4032x3024 JPEG",
        },
        "video": video,
        "images": photos,
    }
    print(f"{version}; {os.cpu_count()} CPUs; {args.seconds} s of 1080p30 input, per minute of input:")
    print(
        f"{'job':20} {'CPU s':>8} {'CPU s/min':>10} {'x plain':>8} {'peak MB':>8} {'x plain':>8} {'procs':>6}"
    )
    for name, row in video["renditions"].items():
        print(
            f"{name:20} {row['cpu_s']:8.2f} {row['cpu_s_per_min']:10.2f} {row['cpu_ratio']:8.3f}"
            f" {row['peak_rss_mb']:8.1f} {row['rss_ratio']:8.3f} {row['processes']:6d}"
        )
    for preset, row in video.get("presets", {}).items():
        print(f"preset {preset:12} {row['cpu_s_per_min']:10.2f} CPU s/min {row['kbit_s']:6d} kbit/s")
    for name, row in photos.items():
        print(
            f"{name:20} {row['images_per_s']:8.2f} images/s"
            f" {row['images_per_cpu_s']:8.2f} /CPU s  x{row['ratio']}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "media.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
