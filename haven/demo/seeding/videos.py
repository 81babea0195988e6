"""Demo seeding: a few short video notes with English and Chinese captions, so that the video feed and
the video cards have something to show on a fresh install.

Each clip is a slow zoom over one of the painted demo pictures, made by ffmpeg here (nothing is
downloaded), then uploaded and processed through the real video path (haven.media.services), like a
member's upload. Without ffmpeg the step is skipped and says so.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from haven.core.errors import HavenError
from haven.demo import paint
from haven.demo.seeding.base import SeederBase
from haven.media import services as media
from haven.notes import services as notes

logger = logging.getLogger(__name__)

#: Seconds of each demo clip (a gentle zoom; no sound).
CLIP_SECONDS = 6


@dataclass(frozen=True)
class VideoSpec:
    picture: str
    topic: str
    title: str
    body: str
    captions_en: tuple[str, str, str]
    captions_zh: tuple[str, str, str]


VIDEOS: tuple[VideoSpec, ...] = (
    VideoSpec(
        picture="seaside",
        topic="travel",
        title="海边的清晨 Morning by the sea",
        body="Six quiet seconds before the day starts. 早起看海，值得。 #travel #旅行",
        captions_en=("The tide is going out.", "Nobody else is here yet.", "Worth the early alarm."),
        captions_zh=("潮水正在退去。", "这里还没有别人。", "早起是值得的。"),
    ),
    VideoSpec(
        picture="noodles",
        topic="food",
        title="一碗热汤面 A bowl of noodle soup",
        body="Hand-pulled noodles at the corner shop. 街角小店的手拉面 #food #美食",
        captions_en=("Broth simmered since dawn.", "Hand-pulled, to order.", "Add chili oil to taste."),
        captions_zh=("汤从天亮就开始熬。", "现点现拉。", "辣油随意加。"),
    ),
    VideoSpec(
        picture="latte",
        topic="cafe",
        title="Latte art, slowly 慢慢拉花",
        body="Practising my tulip. 还在练郁金香拉花 #cafe #咖啡",
        captions_en=("Pour low and steady.", "Lift at the end.", "Still practising the tulip."),
        captions_zh=("低而稳地倒。", "最后抬起来。", "郁金香还在练习中。"),
    ),
)


def _vtt(lines: tuple[str, str, str]) -> bytes:
    step = CLIP_SECONDS / len(lines)
    cues = [
        f"00:00:{i * step:06.3f} --> 00:00:{(i + 1) * step:06.3f}\n{text}\n" for i, text in enumerate(lines)
    ]
    return ("WEBVTT\n\n" + "\n".join(cues)).encode()


def _clip(tool: str, picture: Path, out: Path) -> None:
    """A CLIP_SECONDS portrait clip (540x960, 25 fps) slowly zooming into `picture` (our own JPEG)."""
    frames = CLIP_SECONDS * 25
    subprocess.run(  # noqa: S603 - an absolute tool path and our own files, no shell
        [
            tool, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", str(picture),
            "-vf", f"zoompan=z='min(zoom+0.0012,1.18)':d={frames}:s=540x960:fps=25,format=yuv420p",
            "-t", str(CLIP_SECONDS), "-c:v", "libx264", "-preset", "veryfast", "-crf", "24", str(out),
        ],
        check=True,
        timeout=300,
    )  # fmt: skip


class VideosStep(SeederBase):
    def create_videos(self, count: int = len(VIDEOS)) -> int:
        """Up to `count` video notes by members who post about their topics; 0 without ffmpeg."""
        tool = shutil.which("ffmpeg")
        if tool is None:
            self.say("ffmpeg is not installed: no demo videos")
            return 0
        made = 0
        with tempfile.TemporaryDirectory(prefix="haven-demo-video-") as work:
            for n, spec in enumerate(VIDEOS[:count]):
                author = next((m for m in self.members if spec.topic in m.persona.topics), None)
                author = author or self.members[n % len(self.members)]
                picture = Path(work) / f"{n}.jpg"
                picture.write_bytes(paint.paint_jpeg(spec.picture, width=720, height=1280, seed=1000 + n))
                clip = Path(work) / f"{n}.mp4"
                try:
                    _clip(tool, picture, clip)
                    video = media.video_from_file(
                        owner=author.user, path=clip, filename=f"{spec.picture}.mp4"
                    )
                    media.video_process(video_id=video.pk)
                    media.caption_set(
                        owner=author.user, video_id=video.pk, language="en", data=_vtt(spec.captions_en)
                    )
                    media.caption_set(
                        owner=author.user, video_id=video.pk, language="zh-Hans", data=_vtt(spec.captions_zh)
                    )
                    notes.note_create(author=author.user, title=spec.title, body=spec.body, video_id=video.pk)
                except (HavenError, subprocess.SubprocessError, OSError) as exc:
                    logger.warning("demo video %s not made: %s", spec.picture, exc)
                    continue
                made += 1
        return made
