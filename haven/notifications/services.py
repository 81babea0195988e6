"""Writes of notifications: record (deduped, grouped), retract, purge and mark read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from haven.accounts.models import User
from haven.core.errors import InvalidInput
from haven.core.realtime import publish
from haven.core.transactions import after_commit
from haven.notifications.models import Notification

Verb = Notification.Verb

MAX_MARK_READ_KEYS = 200
MAX_PURGE_IDS = 500

# Verbs whose target is a note / a comment (the id is required for them).
_NOTE_VERBS = frozenset({Verb.LIKE_NOTE, Verb.COMMENT, Verb.MENTION})
_COMMENT_VERBS = frozenset({Verb.LIKE_COMMENT, Verb.REPLY})


def group_key_for(
    *, verb: str, actor_id: int, note_id: int | None = None, comment_id: int | None = None
) -> str:
    """The key that folds rows into one inbox entry (e.g. every like of note 42 -> "like_note:42").

    like_note -> per note; like_comment -> per comment; follow -> per UTC day; comment, reply and
    mention -> per item ("mention:c7" for comment 7, "mention:n7" for note 7); follow_request /
    follow_accepted -> per actor.
    """
    if verb == Verb.LIKE_NOTE:
        return f"like_note:{note_id}"
    if verb == Verb.LIKE_COMMENT:
        return f"like_comment:{comment_id}"
    if verb == Verb.FOLLOW:
        return f"follow:{timezone.now().date().isoformat()}"  # USE_TZ: now() is UTC
    if verb in (Verb.COMMENT, Verb.REPLY, Verb.MENTION):
        # "c"/"n" keep a mention in comment 5 apart from a mention in note 5.
        return f"{verb}:c{comment_id}" if comment_id is not None else f"{verb}:n{note_id}"
    if verb in (Verb.FOLLOW_REQUEST, Verb.FOLLOW_ACCEPTED):
        return f"{verb}:{actor_id}"
    if verb == Verb.SAFETY:
        return f"safety:{timezone.now().date().isoformat()}"
    raise InvalidInput(f"unknown notification verb {verb!r}", code="invalid_notification_verb")


def _check_target(verb: str, note_id: int | None, comment_id: int | None) -> None:
    if verb not in Verb.values:
        raise InvalidInput(f"unknown notification verb {verb!r}", code="invalid_notification_verb")
    if verb in _NOTE_VERBS and note_id is None:
        raise InvalidInput(f"{verb} needs a note_id", code="invalid_notification_target")
    if verb in _COMMENT_VERBS and comment_id is None:
        raise InvalidInput(f"{verb} needs a comment_id", code="invalid_notification_target")


def notify(
    *,
    recipient_id: int,
    actor_id: int,
    verb: str,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Record that `actor` did `verb` to `recipient`; call it inside the writer's transaction.

    Self-notifications are dropped. Rows are deduplicated by (recipient, actor, verb, group_key):
    - no row yet: one is inserted (unread);
    - an unread row exists: nothing changes (toggling a like does not bump the entry or add a row);
    - a read row exists: it is re-armed (unread again, with a new created_at), so a genuinely new
      event after the member looked (a new follow request, a re-follow) shows up again.
    Two statements, whatever the case; a concurrent duplicate is absorbed by the unique constraint.
    """
    if recipient_id == actor_id:
        return
    _check_target(verb, note_id, comment_id)
    group_key = group_key_for(verb=verb, actor_id=actor_id, note_id=note_id, comment_id=comment_id)
    now = timezone.now()
    same = Notification.objects.filter(
        recipient_id=recipient_id, actor_id=actor_id, verb=verb, group_key=group_key
    )
    same.filter(read_at__isnull=False).update(read_at=None, created_at=now)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                actor_id=actor_id,
                verb=verb,
                note_id=note_id,
                comment_id=comment_id,
                group_key=group_key,
                created_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    after_commit(push_realtime, recipient_id=recipient_id, group_key=group_key)


def notify_about(*, recipient_id: int, actor_id: int, verb: str, target: str) -> None:
    """A commerce entry (an order was paid, shipped...; a shop was approved), or a people_joined entry
    (haven.people: someone the member followed elsewhere is on Haven): one entry per `target`.

    Unlike `notify`, the actor may be the recipient (an operator's own shop) and each target is its
    own entry, re-armed when it comes again. Call it inside the writer's transaction.
    """
    if verb not in (Verb.ORDER, Verb.SHOP, Verb.PEOPLE_JOINED) or not target or len(target) > 60:
        raise InvalidInput(
            f"bad commerce notification {verb!r} {target!r}", code="invalid_notification_target"
        )
    group_key = f"{verb}:{target}"[:80]
    now = timezone.now()
    same = Notification.objects.filter(recipient_id=recipient_id, verb=verb, group_key=group_key)
    if not same.update(read_at=None, created_at=now):
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=recipient_id,
                    actor_id=actor_id,
                    verb=verb,
                    target=target,
                    group_key=group_key,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )
    after_commit(push_realtime, recipient_id=recipient_id, group_key=group_key)


def notify_safety(*, recipient_id: int) -> None:
    """A safety notice (haven.moderation): a report the member made was decided, or a decision about
    their content or account was made. No actor is shown; the entry links to the member's safety page,
    which says what happened in their language. One entry per day, re-armed by each new notice."""
    group_key = group_key_for(verb=Verb.SAFETY, actor_id=recipient_id)
    now = timezone.now()
    same = Notification.objects.filter(recipient_id=recipient_id, verb=Verb.SAFETY, group_key=group_key)
    if not same.update(read_at=None, created_at=now):
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=recipient_id,
                    actor_id=recipient_id,
                    verb=Verb.SAFETY,
                    group_key=group_key,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )
    after_commit(push_realtime, recipient_id=recipient_id, group_key=group_key)


def push_realtime(*, recipient_id: int, group_key: str) -> None:
    """Tell the recipient's open connections (haven.messaging.consumers) to refresh their badge; run
    after the writer's transaction commits. Clients without a connection poll unread-count."""
    publish([recipient_id], {"type": "haven.notification", "group_key": group_key})


def notification_retract(
    *,
    recipient_id: int,
    actor_id: int,
    verb: str,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> int:
    """Undo `notify` (unlike, unfollow, withdrawn request): delete that actor's row; returns rows deleted.

    For `follow` every follow row of the actor is removed, whatever day it was grouped under.
    """
    if recipient_id == actor_id:
        return 0
    _check_target(verb, note_id, comment_id)
    rows = Notification.objects.filter(recipient_id=recipient_id, actor_id=actor_id, verb=verb)
    if verb != Verb.FOLLOW:
        rows = rows.filter(
            group_key=group_key_for(verb=verb, actor_id=actor_id, note_id=note_id, comment_id=comment_id)
        )
    deleted, _ = rows.delete()
    return deleted


def notification_purge_between(*, user_a_id: int, user_b_id: int) -> int:
    """Delete every notification between two members, both directions (call it when one blocks the other)."""
    deleted, _ = Notification.objects.filter(
        Q(recipient_id=user_a_id, actor_id=user_b_id) | Q(recipient_id=user_b_id, actor_id=user_a_id)
    ).delete()
    return deleted


def notification_purge_targets(*, note_ids: Iterable[int] = (), comment_ids: Iterable[int] = ()) -> int:
    """Delete notifications about deleted notes / comments (at most MAX_PURGE_IDS of each per call)."""
    notes = list(note_ids)[:MAX_PURGE_IDS]
    comments = list(comment_ids)[:MAX_PURGE_IDS]
    if not notes and not comments:
        return 0
    deleted, _ = Notification.objects.filter(Q(note_id__in=notes) | Q(comment_id__in=comments)).delete()
    return deleted


def mark_read(*, user: User, group_keys: Iterable[str] | None = None) -> int:
    """Mark the member's unread notifications read: all of them (None) or those of `group_keys`.

    At most MAX_MARK_READ_KEYS keys per call (InvalidInput `too_many_group_keys` beyond). Returns rows marked.
    """
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if group_keys is not None:
        keys = list(dict.fromkeys(group_keys))
        if len(keys) > MAX_MARK_READ_KEYS:
            raise InvalidInput(
                f"at most {MAX_MARK_READ_KEYS} group keys per call",
                code="too_many_group_keys",
            )
        if not keys:
            return 0
        rows = rows.filter(group_key__in=keys)
    return rows.update(read_at=timezone.now())
