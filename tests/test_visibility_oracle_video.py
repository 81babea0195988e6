"""The visibility oracle over the read paths of video notes (the worlds and the rule of
tests/test_visibility_oracle.py, reused as they are).

Every note of a random world becomes a video note (a ready video with an English caption track);
for every viewer:
- the vertical feed (GET /api/v1/feeds/videos and /videos/) shows exactly the public notes the rule
  lets Discover show them, their own included, muted authors left out;
- `?start=<id>` puts a note first only when the viewer may see it (published, ready), else it is
  ignored;
- the caption track (/notes/<id>/captions/en.vtt) and its translated and bilingual tracks
  (/translation/notes/<id>/captions/en.vtt) answer exactly when the viewer may see the note (the
  translated ones 503 without a translation engine) and look missing (404) otherwise;
- the player the note API hands out is there exactly when the viewer may see the note.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis.extra.django import TestCase

import tests.test_visibility_oracle as oracle
from haven.accounts.models import User
from haven.media.models import MediaVideo, VideoCaption
from haven.notes.models import Note, NoteImage

VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHello from Paris\n\n00:02.000 --> 00:04.000\nGood morning\n"


def _videos(w: oracle.World) -> None:
    """Every note of the world becomes a video note: images off, a ready video with a caption track."""
    NoteImage.objects.filter(note__in=w.notes).delete()
    for k, note in enumerate(w.notes):
        video = MediaVideo.objects.create(
            owner_id=note.author_id,
            state=MediaVideo.State.READY,
            duration_ms=4_000,
            width=720,
            height=1280,
            hd_path=f"r/v{k}/hd-720.mp4",
            sd_path=f"r/v{k}/sd-480.mp4",
            poster_path=f"r/v{k}/poster.webp",
            poster_grid_path=f"r/v{k}/poster-grid.webp",
        )
        VideoCaption.objects.create(video=video, language="en", vtt=VTT, cue_count=2)
        Note.objects.filter(pk=note.pk).update(video=video)
        note.refresh_from_db()


class VideoOracle(TestCase):
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(oracle.MODERATED_WORLD)
    @given(oracle.worlds)
    def test_video_read_paths_match_the_rule(self, spec: dict) -> None:
        w = oracle.build(spec)
        _videos(w)
        viewers: list[User | None] = [*w.users, None]
        for viewer in viewers:
            if viewer is not None and viewer.pk in w.suspended:
                continue
            vid = viewer.pk if viewer else None
            client = Client()
            if viewer:
                client.force_login(viewer)
            ctx = f"viewer={vid} world={spec}"
            feed = {n.pk for n in w.notes if oracle.distributed(w, vid, n) and n.visibility == "public"}

            r = client.get("/api/v1/feeds/videos?limit=20")
            assert r.status_code == 200, ctx
            assert oracle._ids(r.json()["items"]) == feed, f"video feed {ctx}"
            status, links = oracle._html_note_ids(client, reverse("web:videos"))
            assert status == 200 and links <= feed, f"video feed html {ctx}"

            for note in w.notes:
                sees = oracle.oracle_sees(w, vid, note)
                r = client.get(f"/api/v1/feeds/videos?limit=20&start={note.pk}")
                first = r.json()["items"][0]["id"] if r.json()["items"] else None
                if sees and note.status == "published":
                    assert first == note.pk, f"start {note.pk} {ctx}"
                else:
                    shown = oracle._ids(r.json()["items"])
                    assert first != note.pk and shown == feed, f"start {note.pk} {ctx}"

                r = client.get(reverse("notes:captions", args=[note.pk, "en"]))
                assert r.status_code == (200 if sees else 404), f"captions {note.pk} {ctx}"
                if sees:
                    assert b"Hello from Paris" in r.content

                for mode in ("bilingual", "translated"):
                    r = client.get(
                        reverse("translation:caption_track", args=[note.pk, "en"]),
                        {"target": "zh-Hans", "mode": mode},
                    )
                    # Seen: the track, or 503 when no translation engine is configured (as in tests).
                    if sees:
                        assert r.status_code in (200, 503), f"{mode} captions {note.pk} {ctx}"
                    else:
                        assert r.status_code == 404, f"{mode} captions {note.pk} {ctx}"

                r = client.get(f"/api/v1/notes/{note.pk}")
                assert r.status_code == (200 if sees else 404), f"api detail {note.pk} {ctx}"
