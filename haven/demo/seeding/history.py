"""Demo seeding, last step: spreading the history over the last weeks, and reading old notifications."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from haven.accounts.models import User
from haven.demo.seeding.base import (
    SPREAD_DAYS,
    SeederBase,
    Verb,
)
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.graph.models import Follow, FollowRequest
from haven.media.models import MediaImage
from haven.notes.models import Note
from haven.notifications import services as notifications
from haven.notifications.models import Notification


class HistoryStep(SeederBase):
    """Backdating rows (plain updates: this is seeding) and marking old notifications read."""

    def backdate(self) -> None:
        """Give every seeded row the time its event "happened" (plain updates: this is seeding)."""
        rng, t = self.rng, self.times
        member_ids = [m.pk for m in self.members]
        new_ids = [m.pk for m in self.members if not (self.demo_reused and m is self.demo)]
        users = list(User.objects.filter(pk__in=new_ids).only("pk", "date_joined"))
        for user in users:
            user.date_joined = self.now - timedelta(days=rng.uniform(SPREAD_DAYS + 45, SPREAD_DAYS + 200))
        User.objects.bulk_update(users, ["date_joined"], batch_size=500)

        rows = list(Note.objects.filter(pk__in=list(t.notes)).only("pk", "status"))
        for note in rows:
            at = t.notes[note.pk]
            note.created_at = at - timedelta(minutes=rng.uniform(3, 90))
            note.updated_at = at
            note.published_at = at if note.status == Note.Status.PUBLISHED else None
        Note.objects.bulk_update(rows, ["created_at", "updated_at", "published_at"], batch_size=500)

        image_times = {i: plan.at for plan in self.plans for i in plan.image_ids}
        images = list(MediaImage.objects.filter(pk__in=list(image_times)).only("pk"))
        for image in images:
            image.created_at = image_times[image.pk] - timedelta(minutes=rng.uniform(95, 120))
            image.state_changed_at = image.processed_at = image.created_at + timedelta(
                seconds=rng.uniform(2, 9)
            )
        MediaImage.objects.bulk_update(
            images, ["created_at", "state_changed_at", "processed_at"], batch_size=500
        )

        self._retime(
            Follow.objects.filter(follower_id__in=member_ids), ("follower_id", "followee_id"), t.follows
        )
        self._retime(
            FollowRequest.objects.filter(requester_id__in=member_ids),
            ("requester_id", "target_id"),
            t.follows,
        )
        self._retime(NoteLike.objects.filter(note_id__in=list(t.notes)), ("user_id", "note_id"), t.likes)
        self._retime(Save.objects.filter(note_id__in=list(t.notes)), ("user_id", "note_id"), t.saves)
        self._retime(
            CommentLike.objects.filter(comment_id__in=list(t.comments)),
            ("user_id", "comment_id"),
            t.comment_likes,
        )
        self._retime(
            Comment.objects.filter(pk__in=list(t.comments)), ("pk",), {(k,): v for k, v in t.comments.items()}
        )
        Collection.objects.filter(owner_id__in=member_ids).update(
            created_at=self.now - timedelta(days=SPREAD_DAYS + 2)
        )
        self._retime_notifications(member_ids)

    def _retime(self, queryset: Any, key_fields: tuple[str, ...], times: dict[Any, datetime]) -> None:
        rows = list(queryset.only("pk", *key_fields))
        changed = []
        for row in rows:
            at = times.get(tuple(getattr(row, f) for f in key_fields))
            if at is not None:
                row.created_at = at
                changed.append(row)
        if changed:
            queryset.model.objects.bulk_update(changed, ["created_at"], batch_size=500)

    def _retime_notifications(self, member_ids: list[int]) -> None:
        t = self.times
        rows = list(
            Notification.objects.filter(recipient_id__in=member_ids).only(
                "pk", "recipient_id", "actor_id", "verb", "note_id", "comment_id"
            )
        )
        changed = []
        for row in rows:
            at: datetime | None = None
            if row.verb == Verb.LIKE_NOTE:
                at = t.likes.get((row.actor_id, row.note_id or 0))
            elif row.verb == Verb.LIKE_COMMENT:
                at = t.comment_likes.get((row.actor_id, row.comment_id or 0))
            elif row.comment_id is not None:
                at = t.comments.get(row.comment_id)
            elif row.note_id is not None:
                at = t.notes.get(row.note_id)
            elif row.verb == Verb.FOLLOW_ACCEPTED:
                at = t.follows.get((row.recipient_id, row.actor_id))
                at = at + timedelta(hours=self.rng.uniform(1, 20)) if at else None
            else:
                at = t.follows.get((row.actor_id, row.recipient_id))
            if at is not None:
                row.created_at = at
                changed.append(row)
        Notification.objects.bulk_update(changed, ["created_at"], batch_size=500)

    def mark_read(self) -> None:
        """Members have read what is older than a day; the demo login keeps its recent inbox unread."""
        for member in self.members:
            horizon = self.now - timedelta(days=3 if member is self.demo else 1)
            keys = list(
                Notification.objects.filter(
                    recipient=member.user, read_at__isnull=True, created_at__lt=horizon
                )
                .values_list("group_key", flat=True)
                .distinct()
            )
            recent = set(
                Notification.objects.filter(recipient=member.user, created_at__gte=horizon).values_list(
                    "group_key", flat=True
                )
            )
            keys = [k for k in keys if k not in recent]
            for start in range(0, len(keys), notifications.MAX_MARK_READ_KEYS):
                notifications.mark_read(
                    user=member.user, group_keys=keys[start : start + notifications.MAX_MARK_READ_KEYS]
                )
