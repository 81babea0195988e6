"""Demo seeding: likes, saves, comments and replies on each published note."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from haven.demo import content
from haven.demo.seeding.base import (
    Member,
    NotePlan,
    SeederBase,
)
from haven.engagement import services as engagement
from haven.engagement.models import Comment
from haven.notes.models import Visibility


class EngagementStep(SeederBase):
    """Who sees a note, and what they do with it."""

    def _viewers(self, plan: NotePlan) -> list[Member]:
        """Members (other than the author) who may see the note, by the visibility rule."""
        if not plan.publish or plan.visibility == Visibility.PRIVATE:
            return []
        author = plan.author
        followers = [m for m in self.members if author.pk in self.following[m.pk]]
        if plan.visibility == Visibility.FOLLOWERS or author.user.is_private:
            return followers
        return [m for m in self.members if m is not author]

    def engage(self, plan: NotePlan) -> None:
        """Likes, saves, comments, replies and comment likes on one published note."""
        viewers = self._viewers(plan)
        if viewers:
            with transaction.atomic():
                self._engage_note(plan, viewers)

    def _weights(self, plan: NotePlan, viewers: list[Member]) -> list[tuple[Member, float]]:
        author = plan.author
        return [
            (
                m,
                m.activity
                * (2.0 if author.pk in self.following[m.pk] else 1.0)
                * (1.4 if plan.topic in m.persona.topics else 1.0),
            )
            for m in viewers
        ]

    def _engage_note(self, plan: NotePlan, viewers: list[Member]) -> None:
        rng = self.rng
        author, note_id = plan.author, plan.note_id
        weighted = self._weights(plan, viewers)
        reach = 2 + author.popularity * len(self.members) * 0.8
        likes = min(len(viewers), round(reach * rng.uniform(0.5, 1.6)))
        if author is self.demo:
            likes = max(likes, min(len(viewers), 5))
        for member in self._weighted_sample(weighted, likes):
            at = self._event_time(plan.at, 10 if author.pk in self.following[member.pk] else 30)
            if self._try(engagement.note_like, user=member.user, note_id=note_id):
                self.times.likes[(member.pk, note_id)] = at
            if rng.random() < 0.3:
                collection = (
                    rng.choice(member.collections) if member.collections and rng.random() < 0.5 else None
                )
                if self._try(
                    engagement.note_save, user=member.user, note_id=note_id, collection_id=collection
                ):
                    self.times.saves[(member.pk, note_id)] = at + timedelta(minutes=rng.uniform(0, 5))
        count = min(len(viewers), rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4)) + round(author.popularity * 1.5))
        if author is self.demo:
            count = max(count, min(len(viewers), 2))
        said: set[str] = set()  # no two identical comments under one note
        for member in self._weighted_sample(weighted, count):
            self._comment_thread(plan, member, viewers, said)

    def _comment_thread(self, plan: NotePlan, member: Member, viewers: list[Member], said: set[str]) -> None:
        rng = self.rng
        author = plan.author
        lang, _mixed = content.writing_language(rng, member.persona)
        body = content.compose_comment(rng, topic=plan.topic, lang=lang, avoid=said)
        said.add(body)
        if rng.random() < 0.08 and len(viewers) > 1:
            friend = rng.choice([m for m in viewers if m is not member])
            body = f"@{friend.user.username} {'快看！' if lang == 'zh' else 'look!!'} {body}"
        at = self._event_time(plan.at, 12)
        comment = self._try(engagement.comment_create, author=member.user, note_id=plan.note_id, body=body)
        if not isinstance(comment, Comment):
            return
        self.times.comments[int(comment.pk)] = at
        if rng.random() < 0.35:
            liked_at = self._event_time(at, 4)
            if self._try(engagement.comment_like, user=author.user, comment_id=comment.pk):
                self.times.comment_likes[(author.pk, int(comment.pk))] = liked_at
        replier = author if rng.random() < 0.45 else rng.choice(viewers) if rng.random() < 0.15 else None
        if replier is None or replier is member:
            return
        reply_lang = lang if replier.persona.lang in ("both", lang) else replier.persona.lang
        reply = self._try(
            engagement.comment_create,
            author=replier.user,
            note_id=plan.note_id,
            body=content.compose_reply(rng, lang=reply_lang),
            parent_id=comment.pk,
        )
        if not isinstance(reply, Comment):
            return
        at = self._event_time(at, 4)
        self.times.comments[int(reply.pk)] = at
        if rng.random() < 0.3:  # ... and the first commenter answers back (a reply to a reply)
            back = self._try(
                engagement.comment_create,
                author=member.user,
                note_id=plan.note_id,
                body=content.compose_reply(rng, lang=lang),
                parent_id=reply.pk,
            )
            if isinstance(back, Comment):
                self.times.comments[int(back.pk)] = self._event_time(at, 3)
