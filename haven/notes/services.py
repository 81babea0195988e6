"""Writes of notes: create, edit, publish, delete, counters; hashtags and mentions kept in step."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.selectors import users_by_usernames
from haven.core import gates, reportables, searchables
from haven.core.errors import Conflict, InvalidInput
from haven.core.text import detect_language, parse_hashtags, parse_mentions, render_rich_text
from haven.core.transactions import after_commit
from haven.media import services as media_services
from haven.media.access import usable_images, usable_video
from haven.media.models import MediaImage, MediaVideo
from haven.media.states import READY as MEDIA_READY
from haven.notes import counters, places
from haven.notes.access import editable_note_or_404, parse_id, viewers_among
from haven.notes.models import (
    ALT_MAX,
    BODY_MAX,
    LOCATION_MAX,
    MAX_IMAGES,
    TITLE_MAX,
    Hashtag,
    Mention,
    Note,
    NoteHashtag,
    NoteImage,
    Visibility,
)
from haven.notifications.models import Notification
from haven.notifications.services import notification_purge_targets, notify

COUNTER_FIELDS = frozenset({"like_count", "save_count", "comment_count"})
HASHTAG_MAX = 64  # Hashtag.name max_length
# Columns an edit may change (never the counters, which other writers move with F()).
_EDITABLE_FIELDS = (
    "title",
    "body",
    "body_html",
    "location_name",
    "place",
    "visibility",
    "cover_index",
    "language",
    "language_confidence",
)

# Called on commit with the ids of newly published notes (feeds plugs in its fan-out; docs/adr/0003).
PublishHook = Callable[[list[int]], None]
_publish_hooks: list[PublishHook] = []


def register_publish_hook(hook: PublishHook) -> None:
    """Let a higher layer react to published notes (called from its AppConfig.ready(); idempotent)."""
    if hook not in _publish_hooks:
        _publish_hooks.append(hook)


def _published_on_commit(note_ids: list[int]) -> None:
    for hook in _publish_hooks:
        after_commit(hook, list(note_ids))


# C0 controls (but tab and newlines) and DEL: invisible, and NUL breaks PostgreSQL text columns.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str | None, *, multiline: bool = True) -> str:
    """User text with control characters removed, newlines unified and outer whitespace stripped."""
    cleaned = _CONTROL_RE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        cleaned = " ".join(cleaned.split())
    return cleaned.strip()


def _check_length(value: str, limit: int, code: str, label: str) -> None:
    if len(value) > limit:
        raise InvalidInput(
            _("The %(field)s is too long (at most %(limit)d characters).") % {"field": label, "limit": limit},
            code=code,
            details={"max_length": limit},
        )


def _check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise InvalidInput(_("Unknown visibility."), code="invalid_visibility")


def _resolve_images(author: Any, image_ids: Sequence[Any]) -> list[MediaImage]:
    """The author's usable media rows for `image_ids`, order kept; every id must resolve."""
    ids = [parse_id(i) for i in image_ids]
    if len(ids) > MAX_IMAGES:
        raise InvalidInput(
            _("A note can have at most %(n)d images.") % {"n": MAX_IMAGES},
            code="too_many_images",
            details={"max_images": MAX_IMAGES},
        )
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("The same image is listed twice."), code="duplicate_images")
    if not ids:
        return []
    if None in ids:
        raise InvalidInput(_("Some images are missing or cannot be used."), code="invalid_images")
    images = usable_images(author, [i for i in ids if i is not None])
    if [img.pk for img in images] != ids:
        raise InvalidInput(_("Some images are missing or cannot be used."), code="invalid_images")
    return images


def _check_image_count(count: int, *, published: bool, video: MediaVideo | None = None) -> None:
    if count > MAX_IMAGES:
        raise InvalidInput(
            _("A note can have at most %(n)d images.") % {"n": MAX_IMAGES}, code="too_many_images"
        )
    if video is not None:
        if count:
            raise InvalidInput(
                _("A note has either photos or one video, not both."), code="video_with_images"
            )
        if published and video.state != MEDIA_READY:
            raise Conflict(
                _("Your video is still being processed. Save a draft, or publish once it is ready."),
                code="video_not_ready",
            )
        return
    if published and count == 0:
        raise InvalidInput(_("Add at least one photo or a video to publish a note."), code="images_required")


def _resolve_video(author: Any, video_id: Any, *, note_id: int | None = None) -> MediaVideo | None:
    if video_id is None or video_id == "":
        return None
    pk = parse_id(video_id)
    if pk is None:
        raise InvalidInput(_("This video cannot be used."), code="invalid_video")
    return usable_video(author, pk, note_id=note_id)


def _check_alt_texts(alt_texts: Sequence[str], count: int) -> list[str]:
    if len(alt_texts) > count:
        raise InvalidInput(_("There are more image descriptions than images."), code="too_many_alt_texts")
    cleaned = [clean_text(a, multiline=False) for a in alt_texts]
    for alt in cleaned:
        _check_length(alt, ALT_MAX, "alt_text_too_long", _("image description"))
    return cleaned + [""] * (count - len(cleaned))


def _check_cover(cover_index: int, count: int) -> None:
    if not 0 <= cover_index < max(1, count):
        raise InvalidInput(_("The cover must be one of the note's images."), code="invalid_cover_index")


def _set_images(note: Note, images: Sequence[MediaImage], alt_texts: Sequence[str]) -> None:
    NoteImage.objects.filter(note=note).delete()
    NoteImage.objects.bulk_create(
        [
            NoteImage(note=note, image=image, position=position, alt_text=alt)
            for position, (image, alt) in enumerate(zip(images, alt_texts, strict=True))
        ]
    )


def _render(note: Note) -> list[Any]:
    """Fill body_html, language and its confidence; return the existing members the text mentions."""
    text = f"{note.title}\n{note.body}"
    mentioned = users_by_usernames(parse_mentions(text)) if "@" in text else []
    note.body_html = render_rich_text(note.body, known_usernames={u.username for u in mentioned})
    detected = detect_language(text)
    note.language, note.language_confidence = detected.code, detected.confidence
    return list(mentioned)


def _sync_hashtags(note: Note) -> None:
    names = [n[:HASHTAG_MAX] for n in parse_hashtags(f"{note.title}\n{note.body}")]
    names = list(dict.fromkeys(n for n in names if n))
    NoteHashtag.objects.filter(note=note).delete()
    if not names:
        return
    Hashtag.objects.bulk_create([Hashtag(name=n) for n in names], ignore_conflicts=True)
    by_name = dict(Hashtag.objects.filter(name__in=names).values_list("name", "pk"))
    NoteHashtag.objects.bulk_create([NoteHashtag(note=note, hashtag_id=by_name[n]) for n in names])


def _sync_mentions(note: Note, users: Sequence[Any]) -> set[int]:
    """Make the Mention rows match `users`; return the ids that were not mentioned before."""
    wanted = {u.pk for u in users}
    before = set(Mention.objects.filter(note=note).values_list("user_id", flat=True))
    if before - wanted:
        Mention.objects.filter(note=note, user_id__in=before - wanted).delete()
    added = [u.pk for u in users if u.pk not in before]
    Mention.objects.bulk_create([Mention(note=note, user_id=uid) for uid in added], ignore_conflicts=True)
    return set(added)


def _notify_mentions(note: Note, user_ids: set[int]) -> None:
    """Tell mentioned members, but only about a published note they are allowed to see."""
    if note.status != Note.Status.PUBLISHED or not user_ids:
        return
    for uid in sorted(viewers_among(note, user_ids - {note.author_id})):
        notify(recipient_id=uid, actor_id=note.author_id, verb=Notification.Verb.MENTION, note_id=note.pk)


def note_create(
    *,
    author: Any,
    title: str = "",
    body: str = "",
    image_ids: Sequence[int] = (),
    alt_texts: Sequence[str] = (),
    cover_index: int = 0,
    visibility: str = Visibility.PUBLIC,
    location_name: str = "",
    publish: bool = True,
    video_id: int | None = None,
) -> Note:
    """Create a note (published: 1..18 images or one ready video; draft: 0..18 images or a video in
    any state but failed), with hashtags, mentions and language."""
    if publish:
        gates.check("note_publish", user=author)
    title, body = clean_text(title, multiline=False), clean_text(body)
    location_name = clean_text(location_name, multiline=False)
    _check_length(title, TITLE_MAX, "title_too_long", _("title"))
    _check_length(body, BODY_MAX, "body_too_long", _("text"))
    _check_length(location_name, LOCATION_MAX, "location_too_long", _("location"))
    _check_visibility(visibility)
    with transaction.atomic():
        images = _resolve_images(author, image_ids)
        video = _resolve_video(author, video_id)
        _check_image_count(len(images), published=publish, video=video)
        alts = _check_alt_texts(alt_texts, len(images))
        _check_cover(cover_index, len(images))
        now = timezone.now()
        note = Note(
            author=author,
            title=title,
            body=body,
            location_name=location_name,
            place=places.place_for_location(location_name),
            visibility=visibility,
            cover_index=cover_index,
            status=Note.Status.PUBLISHED if publish else Note.Status.DRAFT,
            published_at=now if publish else None,
            video=video,
        )
        mentioned = _render(note)
        note.save(force_insert=True)
        _set_images(note, images, alts)
        _sync_hashtags(note)
        added = _sync_mentions(note, mentioned)
        _notify_mentions(note, added)
        if publish:
            _published_on_commit([note.pk])
        searchables.changed("note", [note.pk])
    return note


def note_update(
    *,
    actor: Any,
    note_id: int,
    title: str | None = None,
    body: str | None = None,
    image_ids: Sequence[int] | None = None,
    alt_texts: Sequence[str] | None = None,
    cover_index: int | None = None,
    visibility: str | None = None,
    location_name: str | None = None,
    video_id: int | None = None,
) -> Note:
    """Edit a note (author only). None leaves a field as it is; `image_ids` replaces and reorders;
    `video_id` replaces the video of a video note (the one it replaces is deleted).

    With new `image_ids` but no `alt_texts`, images already on the note keep their descriptions and
    the cover follows its image when it is still there. Text edits re-parse hashtags and mentions
    (only newly mentioned members are notified) and re-detect the language.
    """
    with transaction.atomic():
        note = editable_note_or_404(actor, note_id, for_update=True)
        published = note.status == Note.Status.PUBLISHED
        if title is not None:
            note.title = clean_text(title, multiline=False)
            _check_length(note.title, TITLE_MAX, "title_too_long", _("title"))
        if body is not None:
            note.body = clean_text(body)
            _check_length(note.body, BODY_MAX, "body_too_long", _("text"))
        if location_name is not None:
            note.location_name = clean_text(location_name, multiline=False)
            _check_length(note.location_name, LOCATION_MAX, "location_too_long", _("location"))
            note.place = places.place_for_location(note.location_name)
        if visibility is not None:
            _check_visibility(visibility)
            note.visibility = visibility

        current = list(NoteImage.objects.filter(note=note).order_by("position"))
        if image_ids is not None:
            images = _resolve_images(actor, image_ids)
            old_alts = {ni.image_id: ni.alt_text for ni in current}
            if alt_texts is None:
                alts = [old_alts.get(img.pk, "") for img in images]
            else:
                alts = _check_alt_texts(alt_texts, len(images))
            if cover_index is None:
                old_cover = next((ni.image_id for ni in current if ni.position == note.cover_index), None)
                new_ids = [img.pk for img in images]
                cover_index = new_ids.index(old_cover) if old_cover in new_ids else 0
            count = len(images)
        else:
            count = len(current)
            if alt_texts is not None:
                alts = _check_alt_texts(alt_texts, count)
                for ni, alt in zip(current, alts, strict=True):
                    if ni.alt_text != alt:
                        ni.alt_text = alt
                        ni.save(update_fields=["alt_text"])
        old_video_id = note.video_id
        video = _resolve_video(actor, video_id, note_id=note.pk) if video_id is not None else note.video
        _check_image_count(count, published=published, video=video)
        note.video = video
        if cover_index is not None:
            _check_cover(cover_index, count)
            note.cover_index = cover_index
        if image_ids is not None:
            _set_images(note, images, alts)

        text_changed = title is not None or body is not None
        mentioned = _render(note) if text_changed else []
        note.edited_at = timezone.now()
        note.save(update_fields=[*_EDITABLE_FIELDS, "video", "edited_at", "updated_at"])
        if old_video_id and old_video_id != note.video_id:
            media_services.video_delete_unused(video_id=old_video_id)
        if text_changed:
            _sync_hashtags(note)
            added = _sync_mentions(note, mentioned)
            _notify_mentions(note, added)
            if note.status == Note.Status.PUBLISHED:  # moderation scores the new text (after commit)
                after_commit(reportables.content_created, "note", note.pk)
        searchables.changed("note", [note.pk])
    return note


def note_publish(*, actor: Any, note_id: int) -> Note:
    """Publish a draft (author only): it needs at least one image; mentioned members are told."""
    gates.check("note_publish", user=actor)
    with transaction.atomic():
        note = editable_note_or_404(actor, note_id, for_update=True)
        if note.status != Note.Status.DRAFT:
            raise Conflict(_("This note is already published."), code="already_published")
        _check_image_count(
            NoteImage.objects.filter(note=note).count(),
            published=True,
            video=MediaVideo.objects.filter(pk=note.video_id).first() if note.video_id else None,
        )
        note.status = Note.Status.PUBLISHED
        note.published_at = timezone.now()
        note.save(update_fields=["status", "published_at", "updated_at"])
        _notify_mentions(note, set(Mention.objects.filter(note=note).values_list("user_id", flat=True)))
        _published_on_commit([note.pk])
        searchables.changed("note", [note.pk])
    return note


def note_delete(*, actor: Any, note_id: int) -> None:
    """Delete a note for good (author only); its likes, comments and saves go with it.

    A video note's video goes with it (its files once the transaction commits). Once the deletion
    commits, its images that no other note or attachment uses are deleted, files included
    (media.services.image_delete_unused); should that be interrupted, media's cleanup removes them.
    """
    with transaction.atomic():
        note = editable_note_or_404(actor, note_id, for_update=True)
        deleted_id, video_id = note.pk, note.video_id
        image_ids = list(NoteImage.objects.filter(note=note).values_list("image_id", flat=True))
        note.delete()
        if video_id:
            media_services.video_delete_unused(video_id=video_id)
        notification_purge_targets(note_ids=[deleted_id])
        searchables.changed("note", [deleted_id])
        after_commit(media_services.image_delete_unused, image_ids=image_ids)


def note_counter_add(*, note_id: int, field: str, delta: int) -> None:
    """Add `delta` to one denormalized counter of a note in SQL; it never goes below zero.

    With HAVEN_COUNTER_BUFFER (and Redis) the delta is buffered in Redis and applied in batches by the
    flush_counters task (notes.counters), once the surrounding transaction commits.
    """
    if field not in COUNTER_FIELDS:
        raise ValueError(f"unknown note counter {field!r}")
    if delta == 0:
        return
    if counters.buffering():
        after_commit(counters.counter_buffer_add, note_id=note_id, field=field, delta=delta)
        return
    expression = (
        F(field) + delta
        if delta > 0
        else Greatest(F(field) - (-delta), Value(0), output_field=IntegerField())
    )
    Note.objects.filter(pk=note_id).update(**{field: expression})


def note_set_moderation(*, note_id: int, state: str, reason: str = "", sensitive: bool | None = None) -> bool:
    """Apply a moderation decision to a note (haven.moderation calls this through the reportables
    registry): its state (ok, held, limited, removed), the reason code, and the sensitive label.
    Returns False when the note is gone."""
    if state not in reportables.ModerationState.values:
        raise InvalidInput(_("Unknown moderation state."), code="invalid_state")
    updates: dict[str, Any] = {"moderation": state, "moderation_reason": reason[:40]}
    if sensitive is not None:
        updates["sensitive"] = sensitive
    return bool(Note.objects.filter(pk=note_id).update(**updates))


def note_set_sensitive(*, note_id: int, sensitive: bool) -> bool:
    """Put or lift the sensitive-content label (an interstitial before the note shows)."""
    return bool(Note.objects.filter(pk=note_id).update(sensitive=sensitive))
