"""Notes in the reportables registry (core.reportables): what moderation may load, show and decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.core import reportables
from haven.core.errors import NotFound
from haven.graph.models import Follow
from haven.media.selectors import rendition_url, video_url
from haven.notes import services
from haven.notes.access import get_visible_note
from haven.notes.models import Note, Visibility


def _visible_to(viewer: Any, pk: int) -> Note | None:
    try:
        return get_visible_note(viewer, pk)
    except NotFound:
        return None


def _load(pk: int) -> Note | None:
    return Note.objects.select_related("author").filter(pk=pk).first()


def _describe(note: Note) -> reportables.Target:
    images = [
        rendition_url(ni.image, "grid", note=note)
        for ni in note.images.select_related("image").order_by("position")[:9]
    ]
    spoken = ""
    if note.video_id and note.video is not None:
        # A video note: moderators see its poster frame and read its uploaded captions.
        images.insert(0, video_url(note.video, "poster_grid", note=note))
        spoken = _caption_text(note.video_id)
    followers = Follow.objects.filter(followee_id=note.author_id).count()
    return reportables.Target(
        kind="note",
        pk=note.pk,
        author_id=note.author_id,
        text="\n\n".join(part for part in (note.title, note.body, spoken) if part),
        language=note.language,
        title=note.title,
        url=reverse("notes:detail", args=[note.pk]),
        reach=followers + note.like_count + note.comment_count,
        is_public=note.visibility == Visibility.PUBLIC and not note.author.is_private,
        state=note.moderation,
        sensitive=note.sensitive,
        image_urls=tuple(u for u in images if u),
        created_at=note.published_at or note.created_at,
    )


#: Characters of a video's caption text shown to moderators and scored with the note's text.
CAPTION_TEXT_MAX = 4000


def _caption_text(video_id: int) -> str:
    """The text of the video's uploaded caption tracks (not machine translations), bounded."""
    from haven.media.captions import stored_cues
    from haven.media.models import VideoCaption

    lines: list[str] = []
    size = 0
    for vtt in VideoCaption.objects.filter(video_id=video_id, source="upload").values_list("vtt", flat=True)[
        :8
    ]:
        for cue in stored_cues(vtt):
            lines.append(cue.text)
            size += len(cue.text) + 1
            if size >= CAPTION_TEXT_MAX:
                return "\n".join(lines)[:CAPTION_TEXT_MAX]
    return "\n".join(lines)


def _set_state(note: Note, state: str, reason: str) -> None:
    services.note_set_moderation(note_id=note.pk, state=state, reason=reason)


def _set_sensitive(note: Note, flag: bool) -> None:
    services.note_set_sensitive(note_id=note.pk, sensitive=flag)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="note",
            label=gettext_lazy("note"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            set_sensitive=_set_sensitive,
            models=(
                "notes.Note",
                "notes.NoteImage",
                "notes.Mention",
                "notes.NoteHashtag",
                "media.MediaVideo",
                "media.VideoCaption",
            ),
        )
    )
