"""Writes of engagement: likes, comments and replies, collections and saves, with their counters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.accounts.selectors import users_by_usernames
from haven.core import gates, reportables
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.text import detect_language, parse_mentions, render_rich_text
from haven.core.transactions import after_commit
from haven.engagement.access import (
    comment_deletable_or_404,
    get_visible_comment,
    owned_collection_or_404,
    visible_comments,
)
from haven.engagement.models import (
    COLLECTION_NAME_MAX,
    COMMENT_MAX,
    MAX_COLLECTIONS,
    Collection,
    Comment,
    CommentLike,
    NoteLike,
    Save,
)
from haven.notes.access import get_visible_note, parse_id, viewer_id_of, viewers_among
from haven.notes.models import Note
from haven.notes.services import clean_text, note_counter_add
from haven.notifications.models import Notification
from haven.notifications.services import notification_purge_targets, notification_retract, notify

Verb = Notification.Verb

#: The default collection's stored name (English); shown translated with `collection_display_name`.
DEFAULT_COLLECTION_NAME = "Saved"
DEFAULT_COLLECTION_LABEL = gettext_lazy("Saved")


def _user_id(user: Any) -> int:
    user_id = viewer_id_of(user)
    if user_id is None:
        raise NotFound(_("Not found."))
    return user_id


def _id_or_404(value: Any) -> int:
    pk = parse_id(value)
    if pk is None:
        raise NotFound(_("Not found."))
    return pk


@contextmanager
def _atomic_or_gone() -> Iterator[None]:
    """A transaction whose target vanished meanwhile (a foreign key fails at commit) reads as NotFound."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise NotFound(_("It is gone."), code="not_found") from exc


def _insert_once(model: Any, **fields: Any) -> bool:
    """Insert a row guarded by a unique constraint; False when it was already there (races included)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def _decrement(queryset: Any, field: str) -> None:
    queryset.update(**{field: Greatest(F(field) - 1, Value(0), output_field=IntegerField())})


# ----------------------------------------------------------------------------------------------
# Likes on notes


def note_like(*, user: Any, note_id: int) -> bool:
    """Like a note the member can see (idempotent). Returns True when a like was added just now."""
    note = get_visible_note(user, note_id)
    with _atomic_or_gone():
        created = _insert_once(NoteLike, user_id=_user_id(user), note_id=note.pk)
        if created:
            note_counter_add(note_id=note.pk, field="like_count", delta=1)
            notify(recipient_id=note.author_id, actor_id=user.pk, verb=Verb.LIKE_NOTE, note_id=note.pk)
    return created


def note_unlike(*, user: Any, note_id: int) -> bool:
    """Remove the member's like (idempotent). Returns True when a like was removed just now.

    A like the member holds can always be withdrawn (even from a note hidden since); otherwise the
    note must be visible, so the answer never reveals a hidden note.
    """
    user_id, pk = _user_id(user), _id_or_404(note_id)
    with transaction.atomic():
        deleted, _rows = NoteLike.objects.filter(user_id=user_id, note_id=pk).delete()
        if deleted:
            note_counter_add(note_id=pk, field="like_count", delta=-1)
            author_id = _note_author_id(pk)
            if author_id is not None:
                notification_retract(
                    recipient_id=author_id, actor_id=user_id, verb=Verb.LIKE_NOTE, note_id=pk
                )
            return True
    get_visible_note(user, note_id)
    return False


def _note_author_id(note_id: int) -> int | None:
    return Note.objects.filter(pk=note_id).values_list("author_id", flat=True).first()


# ----------------------------------------------------------------------------------------------
# Comments


def _clean_comment(body: str) -> str:
    text = clean_text(body)
    if not text:
        raise InvalidInput(_("Write something first."), code="comment_empty")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(
            _("A comment can be at most %(n)d characters.") % {"n": COMMENT_MAX},
            code="comment_too_long",
            details={"max_length": COMMENT_MAX},
        )
    return text


def comment_create(*, author: Any, note_id: int, body: str, parent_id: int | None = None) -> Comment:
    """Comment on a note the member can see, or reply to a comment on it.

    Threads are two levels deep: a reply to a reply joins the top-level comment's thread, with
    `reply_to` naming the member answered. Counters (note.comment_count, parent.reply_count) move in
    SQL. Notifications: COMMENT to the note's author, REPLY to the member answered, MENTION to
    mentioned members who can see the note.
    """
    text = _clean_comment(body)
    note = get_visible_note(author, note_id)
    gates.check("comment_create", user=author, note_id=note.pk)
    with _atomic_or_gone():
        parent: Comment | None = None
        reply_to_id: int | None = None
        answered_id: int | None = None
        if parent_id is not None:
            target = (
                visible_comments(author, note)
                .filter(pk=parse_id(parent_id) or 0)
                .values("pk", "parent_id", "author_id")
                .first()
            )
            # Lock the thread's top comment so it cannot vanish under the new reply.
            top_id = (target["parent_id"] or target["pk"]) if target else 0
            parent = Comment.objects.select_for_update().filter(pk=top_id, note_id=note.pk).first()
            if target is None or parent is None:
                raise NotFound(_("That comment is gone."), code="parent_not_found")
            if target["parent_id"] is not None:
                reply_to_id = target["author_id"]
            answered_id = target["author_id"]
        mentioned = users_by_usernames(parse_mentions(text)) if "@" in text else []
        detected = detect_language(text)
        comment = Comment.objects.create(
            note=note,
            author=author,
            parent=parent,
            reply_to_id=reply_to_id,
            body=text,
            body_html=render_rich_text(text, known_usernames={u.username for u in mentioned}),
            language=detected.code,
            language_confidence=detected.confidence,
        )
        note_counter_add(note_id=note.pk, field="comment_count", delta=1)
        if parent is not None and answered_id is not None:
            Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
            notify(
                recipient_id=answered_id,
                actor_id=author.pk,
                verb=Verb.REPLY,
                note_id=note.pk,
                comment_id=comment.pk,
            )
        if parent is None or answered_id != note.author_id:
            notify(
                recipient_id=note.author_id,
                actor_id=author.pk,
                verb=Verb.COMMENT,
                note_id=note.pk,
                comment_id=comment.pk,
            )
        for uid in sorted(viewers_among(note, {u.pk for u in mentioned} - {author.pk})):
            notify(
                recipient_id=uid,
                actor_id=author.pk,
                verb=Verb.MENTION,
                note_id=note.pk,
                comment_id=comment.pk,
            )
    comment.note = note
    after_commit(reportables.content_created, "comment", comment.pk)
    return comment


def comment_delete(*, actor: Any, comment_id: int) -> int:
    """Delete a comment (by its author or the note's author) with its replies; returns comments removed."""
    with transaction.atomic():
        comment = comment_deletable_or_404(actor, comment_id)
        reply_ids = list(Comment.objects.filter(parent_id=comment.pk).values_list("pk", flat=True))
        _total, per_model = Comment.objects.filter(pk=comment.pk).delete()
        removed = per_model.get(Comment._meta.label, 0)
        if removed:
            note_counter_add(note_id=comment.note_id, field="comment_count", delta=-removed)
            if comment.parent_id is not None:
                _decrement(Comment.objects.filter(pk=comment.parent_id), "reply_count")
            notification_purge_targets(comment_ids=[comment.pk, *reply_ids])
    return removed


# ----------------------------------------------------------------------------------------------
# Likes on comments


def comment_like(*, user: Any, comment_id: int) -> bool:
    """Like a comment the member can see (idempotent). Returns True when a like was added just now."""
    comment = get_visible_comment(user, comment_id)
    with _atomic_or_gone():
        created = _insert_once(CommentLike, user_id=_user_id(user), comment_id=comment.pk)
        if created:
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
            notify(
                recipient_id=comment.author_id,
                actor_id=user.pk,
                verb=Verb.LIKE_COMMENT,
                note_id=comment.note_id,
                comment_id=comment.pk,
            )
    return created


def comment_unlike(*, user: Any, comment_id: int) -> bool:
    """Remove the member's like of a comment (idempotent); True when one was removed just now."""
    user_id, pk = _user_id(user), _id_or_404(comment_id)
    with transaction.atomic():
        deleted, _rows = CommentLike.objects.filter(user_id=user_id, comment_id=pk).delete()
        if deleted:
            _decrement(Comment.objects.filter(pk=pk), "like_count")
            author_id = Comment.objects.filter(pk=pk).values_list("author_id", flat=True).first()
            if author_id is not None:
                notification_retract(
                    recipient_id=author_id, actor_id=user_id, verb=Verb.LIKE_COMMENT, comment_id=pk
                )
            return True
    get_visible_comment(user, comment_id)
    return False


# ----------------------------------------------------------------------------------------------
# Collections


def collection_display_name(collection: Collection) -> str:
    """The name to show: the default collection's name is translated, others are the owner's words."""
    return str(DEFAULT_COLLECTION_LABEL) if collection.is_default else collection.name


def _clean_collection_name(name: str) -> str:
    text = clean_text(name, multiline=False)
    if not text:
        raise InvalidInput(_("Give the collection a name."), code="name_required")
    if len(text) > COLLECTION_NAME_MAX:
        raise InvalidInput(
            _("A collection name can be at most %(n)d characters.") % {"n": COLLECTION_NAME_MAX},
            code="name_too_long",
        )
    return text


def _name_taken(owner_id: int, name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether the member already has a collection called `name`, ignoring case in any script.

    The default collection's name ("Saved", in English and translated) is reserved. A member has at
    most MAX_COLLECTIONS names, compared in Python (SQLite's iexact folds ASCII only).
    """
    wanted = name.casefold()
    if wanted in {DEFAULT_COLLECTION_NAME.casefold(), str(DEFAULT_COLLECTION_LABEL).casefold()}:
        return True
    rows = Collection.objects.filter(owner_id=owner_id)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return any(n.casefold() == wanted for n in rows.values_list("name", flat=True)[: MAX_COLLECTIONS + 1])


def _exists_conflict() -> Conflict:
    return Conflict(_("You already have a collection with that name."), code="collection_exists")


def default_collection(*, user: Any) -> Collection:
    """The member's default collection ("Saved"), created on first use (race-safe)."""
    user_id = _user_id(user)
    existing = Collection.objects.filter(owner_id=user_id, is_default=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Collection.objects.create(
                owner_id=user_id, name=DEFAULT_COLLECTION_NAME, is_default=True, is_public=False
            )
    except IntegrityError:
        return Collection.objects.get(owner_id=user_id, is_default=True)


def collection_create(*, owner: Any, name: str, is_public: bool = False) -> Collection:
    """A new named collection (at most MAX_COLLECTIONS per member, names unique ignoring case)."""
    owner_id = _user_id(owner)
    text = _clean_collection_name(name)
    with transaction.atomic():
        if Collection.objects.filter(owner_id=owner_id).count() >= MAX_COLLECTIONS:
            raise InvalidInput(
                _("You can have at most %(n)d collections.") % {"n": MAX_COLLECTIONS},
                code="too_many_collections",
            )
        if _name_taken(owner_id, text):
            raise _exists_conflict()
        try:
            with transaction.atomic():
                return Collection.objects.create(owner_id=owner_id, name=text, is_public=bool(is_public))
        except IntegrityError as exc:
            raise _exists_conflict() from exc


def collection_update(
    *, actor: Any, collection_id: int, name: str | None = None, is_public: bool | None = None
) -> Collection:
    """Rename a collection or change who sees it (owner only; the default one keeps its name)."""
    with transaction.atomic():
        collection = owned_collection_or_404(actor, collection_id, for_update=True)
        if name is not None:
            text = _clean_collection_name(name)
            if collection.is_default:
                if text != collection.name:
                    raise InvalidInput(
                        _("The default collection cannot be renamed."), code="default_collection"
                    )
            elif text != collection.name:
                if _name_taken(collection.owner_id, text, exclude_pk=collection.pk):
                    raise _exists_conflict()
                collection.name = text
        if is_public is not None:
            collection.is_public = bool(is_public)
        try:
            with transaction.atomic():
                collection.save(update_fields=["name", "is_public"])
        except IntegrityError as exc:
            raise _exists_conflict() from exc
    return collection


def collection_delete(*, actor: Any, collection_id: int) -> int:
    """Delete a collection (owner only, never the default one); returns how many saves moved.

    Its saves are not lost: they move into the member's default collection, so the notes stay saved
    and their save counts do not change.
    """
    with transaction.atomic():
        collection = owned_collection_or_404(actor, collection_id, for_update=True)
        if collection.is_default:
            raise InvalidInput(_("The default collection cannot be deleted."), code="default_collection")
        default = default_collection(user=actor)
        moved = Save.objects.filter(collection=collection).update(collection=default)
        collection.delete()
    return moved


# ----------------------------------------------------------------------------------------------
# Saves


def note_save(*, user: Any, note_id: int, collection_id: int | None = None) -> Save:
    """Save a visible note into one of the member's collections (the default one when none is named).

    Saving an already saved note moves it into that collection; the note's save count only moves on
    the first save.
    """
    note = get_visible_note(user, note_id)
    user_id = _user_id(user)
    with _atomic_or_gone():
        if collection_id is None:
            collection = default_collection(user=user)
        else:
            collection = owned_collection_or_404(user, collection_id)
        if _insert_once(Save, user_id=user_id, note_id=note.pk, collection_id=collection.pk):
            note_counter_add(note_id=note.pk, field="save_count", delta=1)
        else:
            Save.objects.filter(user_id=user_id, note_id=note.pk).exclude(collection_id=collection.pk).update(
                collection_id=collection.pk
            )
        return Save.objects.select_related("collection").get(user_id=user_id, note_id=note.pk)


def note_unsave(*, user: Any, note_id: int) -> bool:
    """Remove the member's save of a note (idempotent); True when one was removed just now."""
    user_id, pk = _user_id(user), _id_or_404(note_id)
    with transaction.atomic():
        deleted, _rows = Save.objects.filter(user_id=user_id, note_id=pk).delete()
        if deleted:
            note_counter_add(note_id=pk, field="save_count", delta=-1)
            return True
    get_visible_note(user, note_id)
    return False


def comment_set_moderation(*, comment_id: int, state: str, reason: str = "") -> bool:
    """Apply a moderation decision to a comment (ok, held, limited, removed) with its reason code."""
    if state not in reportables.ModerationState.values:
        raise InvalidInput(_("Unknown moderation state."), code="invalid_state")
    return bool(Comment.objects.filter(pk=comment_id).update(moderation=state, moderation_reason=reason[:40]))
