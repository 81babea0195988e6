"""seed_demo: fill an empty Haven with a believable bilingual demo community, through the real services.

Every row is written by the same services real use goes through (sign-up, upload + processing, notes,
follows and follow requests, likes, saves, collections, comments), so counters, hashtags, mentions
and notifications are exactly what members would produce. Afterwards the timestamps are spread over
the last three weeks with plain queryset updates: that part is seeding, not product behaviour.
"""

from __future__ import annotations

import io
import itertools
import math
import multiprocessing
import os
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.utils import timezone

from haven.accounts import services as accounts
from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.engagement import services as engagement
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.graph import services as graph
from haven.graph.models import Follow, FollowRequest
from haven.media import services as media
from haven.media.models import MediaImage
from haven.notes import services as notes
from haven.notes.models import Hashtag, Note, Visibility
from haven.notifications import services as notifications
from haven.notifications.models import Notification
from haven.web.demo import content, painter

#: --size presets: (members, notes).
SIZES: dict[str, tuple[int, int]] = {"small": (24, 80), "medium": (60, 300), "large": (150, 1000)}
DEFAULT_PASSWORD = "haven-demo-pass"  # noqa: S105 - printed for everyone to use; demo data only
#: Demo members get addresses under this reserved-for-examples domain.
EMAIL_DOMAIN = "demo.example.com"
#: Notes are spread over this many days before now.
SPREAD_DAYS = 21
#: How many images a note has (1..6), weighted towards a few.
IMAGE_COUNT_WEIGHTS = ((1, 34), (2, 26), (3, 18), (4, 10), (5, 6), (6, 6))
MAX_MEMBERS = 2000
MAX_NOTES = 20000

Verb = Notification.Verb


# ----------------------------------------------------------------------------------------------
# Image work: run in worker processes when possible (painting and processing dominate the run time)


def _note_images(task: tuple[int, str, int, int, tuple[int, ...]]) -> list[int]:
    """Paint, upload and process one note's images; return their ids in order."""
    owner_id, topic, width, height, seeds = task
    owner = User.objects.get(pk=owner_id)
    ids: list[int] = []
    for seed in seeds:
        data = painter.paint_jpeg(topic, width=width, height=height, seed=seed)
        image = media.image_upload(owner=owner, file=data)
        # Processed right here, so seeding does not wait for a task worker (the queued task is a no-op).
        media.image_process(image_id=image.pk)
        ids.append(image.pk)
    return ids


def _avatar(task: tuple[int, str, int]) -> list[int]:
    user_id, topic, seed = task
    user = User.objects.get(pk=user_id)
    accounts.avatar_set(user=user, file=io.BytesIO(painter.paint_avatar(topic, seed=seed)))
    return []


def _work(task: tuple[str, Any]) -> list[int]:
    kind, payload = task
    return _avatar(payload) if kind == "avatar" else _note_images(payload)


def _worker_init() -> None:
    connections.close_all()  # never share the parent's database connections


def _parallel(jobs: int, tasks: list[tuple[str, Any]]) -> Iterator[list[int]]:
    """Results of `_work` for `tasks`, in order; in `jobs` forked processes when that is possible.

    At most a few tasks per worker run ahead of the consumer, so uploads do not pile up unattached
    (media refuses more than MAX_PENDING_UPLOADS per member).
    """
    if jobs <= 1:
        yield from map(_work, tasks)
        return
    connections.close_all()
    queue = iter(tasks)
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
        running = deque(pool.apply_async(_work, (task,)) for task in itertools.islice(queue, 3 * jobs))
        while running:
            result = running.popleft().get()
            task = next(queue, None)
            if task is not None:
                running.append(pool.apply_async(_work, (task,)))
            yield result


def _usable_jobs(requested: int) -> int:
    """Worker processes for image work: 1 inside a transaction (tests), in-memory SQLite or without fork."""
    jobs = requested or min(4, os.cpu_count() or 1)
    name = str(connection.settings_dict.get("NAME") or "")
    if (
        jobs <= 1
        or connection.in_atomic_block
        or "fork" not in multiprocessing.get_all_start_methods()
        or (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name))
    ):
        return 1
    return jobs


# ----------------------------------------------------------------------------------------------
# The plan


@dataclass
class Member:
    persona: content.Persona
    user: User
    popularity: float = 1.0
    activity: float = 1.0
    collections: list[int] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return int(self.user.pk)


@dataclass
class NotePlan:
    author: Member
    topic: str
    lang: str
    mixed: bool
    size: tuple[int, int]
    seeds: tuple[int, ...]
    visibility: str
    publish: bool
    at: datetime
    friend: str | None = None
    note_id: int = 0
    image_ids: list[int] = field(default_factory=list)


@dataclass
class Timeline:
    """When each seeded event "happened", applied to the rows at the end."""

    notes: dict[int, datetime] = field(default_factory=dict)
    follows: dict[tuple[int, int], datetime] = field(default_factory=dict)
    likes: dict[tuple[int, int], datetime] = field(default_factory=dict)
    saves: dict[tuple[int, int], datetime] = field(default_factory=dict)
    comments: dict[int, datetime] = field(default_factory=dict)
    comment_likes: dict[tuple[int, int], datetime] = field(default_factory=dict)


class Seeder:
    """Builds the community step by step; `say` reports progress."""

    def __init__(self, *, rng: random.Random, password: str, jobs: int, say: Callable[[str], None]) -> None:
        self.rng = rng
        self.password = password
        self.jobs = jobs
        self.say = say
        self.now = timezone.now()
        self.members: list[Member] = []
        self.demo: Member | None = None
        self.demo_reused = False  # --force on a database that already had the demo login
        self.following: dict[int, set[int]] = {}  # accepted follows: follower pk -> followee pks
        self.plans: list[NotePlan] = []
        self.times = Timeline()
        self.used_titles: set[str] = set()  # so a feed of forty notes shows no repeated title

    # members ------------------------------------------------------------------------------------

    def personas(self, count: int) -> list[content.Persona]:
        """The demo login first, then hand-written members interleaved by language, then generated ones."""
        rng = self.rng
        by_lang: dict[str, list[content.Persona]] = {"zh": [], "en": [], "both": []}
        for persona in content.PERSONAS:
            by_lang[persona.lang].append(persona)
        for group in by_lang.values():
            rng.shuffle(group)
        ordered: list[content.Persona] = []
        pattern = ("zh", "en", "zh", "en", "both")
        while any(by_lang.values()):
            for lang in pattern:
                if by_lang[lang]:
                    ordered.append(by_lang[lang].pop())
        chosen = [content.DEMO, *ordered][:count]
        index = 0
        while len(chosen) < count:
            chosen.append(content.generated_persona(rng, index))
            index += 1
        return chosen

    def create_members(self, count: int) -> None:
        # All demo members share one password: hash it once (Argon2 is deliberately slow, ~0.1-1 s a
        # hash) and let every sign-up reuse that hash, as the accounts test factories do.
        hashed = make_password(self.password)
        with mock.patch("django.contrib.auth.base_user.make_password", lambda _raw, *a, **k: hashed):
            for persona in self.personas(count):
                user = self._signup(persona)
                if user is not None:
                    self.members.append(Member(persona=persona, user=user))
        self._assign_weights()
        self.following = {m.pk: set() for m in self.members}

    def _signup(self, persona: content.Persona) -> User | None:
        if persona is content.DEMO:
            existing = User.objects.filter(username=persona.username).first()
            if existing is not None:  # --force on a seeded database: keep the demo login as it is
                self.demo = Member(persona=persona, user=existing)
                self.demo_reused = True
                self.members.append(self.demo)
                return None
        username = self._free_username(persona.username)
        user = accounts.user_signup(  # no request: sign-ups from here are not rate-limited per IP
            username=username,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=self.password,
            display_name=persona.display_name,
            languages=persona.languages,
            interface_language=persona.ui_language,
        )
        accounts.profile_update(user=user, bio=persona.bio, region=persona.region, is_private=persona.private)
        if persona is content.DEMO:
            self.demo = Member(persona=persona, user=user)
            self.members.append(self.demo)
            return None
        return user

    @staticmethod
    def _free_username(wanted: str) -> str:
        name, k = wanted, 1
        while (
            User.objects.filter(username=name).exists()
            or User.objects.filter(email__iexact=f"{name}@{EMAIL_DOMAIN}").exists()
        ):
            k += 1
            name = f"{wanted[:26]}_{k}"
        return name

    def _assign_weights(self) -> None:
        """Power-law popularity (a few members most people follow) and varied posting activity."""
        rng = self.rng
        order = self.members[:]
        rng.shuffle(order)
        if self.demo is not None:  # the demo login is well connected, so its inbox is lively
            order.remove(self.demo)
            order.insert(min(2, len(order)), self.demo)
        for rank, member in enumerate(order):
            member.popularity = 1.0 / (rank + 1) ** 0.9
            member.activity = rng.lognormvariate(0.0, 0.6)

    # follows ------------------------------------------------------------------------------------

    def create_follows(self) -> tuple[int, int]:
        """Everyone follows a handful of members, popular ones most; private accounts approve most."""
        rng = self.rng
        count = len(self.members)
        requests: list[tuple[Member, Member]] = []
        followed = 0
        for member in self.members:
            if member is self.demo:
                k = max(min(count - 1, 8), count // 2)
            else:
                k = round(rng.lognormvariate(math.log(3 + 0.2 * count), 0.45))
            k = max(1, min(count - 1, k))
            for target in self._weighted_sample(self._follow_candidates(member), k):
                # Most follows predate the notes; a quarter are recent (the community is growing).
                days = rng.uniform(0.1, SPREAD_DAYS) if rng.random() < 0.25 else rng.uniform(SPREAD_DAYS, 60)
                at = self.now - timedelta(days=days)
                state = graph.follow_create(follower=member.user, followee=target.user)
                self.times.follows[(member.pk, target.pk)] = at
                if state == "followed":
                    self.following[member.pk].add(target.pk)
                    followed += 1
                else:
                    requests.append((member, target))
        pending = 0
        for requester, target in requests:
            if requester is self.demo or rng.random() < 0.75:
                graph.follow_request_approve(target=target.user, requester=requester.user)
                self.following[requester.pk].add(target.pk)
                followed += 1
            else:
                pending += 1
        return followed, pending

    def _follow_candidates(self, member: Member) -> list[tuple[Member, float]]:
        out = []
        for other in self.members:
            if other is member:
                continue
            weight = other.popularity
            if set(other.persona.topics) & set(member.persona.topics):
                weight *= 1.8
            if other.persona.lang == member.persona.lang or "both" in (
                other.persona.lang,
                member.persona.lang,
            ):
                weight *= 1.3
            if other is self.demo:
                weight *= 1.5
            out.append((other, weight))
        return out

    def _weighted_sample(self, items: list[tuple[Member, float]], k: int) -> list[Member]:
        """k distinct items, each drawn with probability proportional to its weight (Efraimidis-Spirakis)."""
        keyed = [(self.rng.random() ** (1.0 / max(weight, 1e-9)), member) for member, weight in items]
        keyed.sort(key=lambda pair: pair[0], reverse=True)
        return [member for _key, member in keyed[:k]]

    # notes --------------------------------------------------------------------------------------

    def plan_notes(self, total: int) -> None:
        """Decide every note up front (author, topic, language, images, visibility, time), oldest first."""
        rng = self.rng
        others = [m for m in self.members if m is not self.demo]
        demo_count = min(5, max(1, round(total * 0.05))) if self.demo is not None and total else 0
        authors: list[Member] = [self.demo] * demo_count if self.demo is not None else []
        rest = total - len(authors)
        authors += others[:rest]  # everyone posts at least once when there are enough notes
        if rest > len(others) and others:
            authors += rng.choices(others, weights=[m.activity for m in others], k=rest - len(others))
        counts = [n for n, _w in IMAGE_COUNT_WEIGHTS]
        weights = [w for _n, w in IMAGE_COUNT_WEIGHTS]
        demo_seen = 0
        for author in authors:
            persona = author.persona
            topic = rng.choice(persona.topics) if rng.random() < 0.8 else rng.choice(content.TOPICS)
            lang, mixed = content.writing_language(rng, persona)
            images = rng.choices(counts, weights)[0]
            roll = rng.random()
            visibility = (
                Visibility.FOLLOWERS
                if roll < 0.12
                else Visibility.PRIVATE
                if roll < 0.14
                else Visibility.PUBLIC
            )
            publish = rng.random() >= 0.05
            if author is self.demo:
                demo_seen += 1
                visibility = Visibility.PUBLIC
                publish = not (demo_seen == demo_count and demo_count >= 3)  # one draft among several
            hours = SPREAD_DAYS * 24 * rng.random() ** 1.3 + rng.uniform(0.5, 3)
            self.plans.append(
                NotePlan(
                    author=author,
                    topic=topic,
                    lang=lang,
                    mixed=mixed,
                    size=painter.pick_size(rng),
                    seeds=tuple(rng.randrange(1 << 30) for _i in range(images)),
                    visibility=visibility,
                    publish=publish,
                    at=self.now - timedelta(hours=hours),
                    friend=self._friend_for(author),
                )
            )
        self.plans.sort(key=lambda plan: plan.at)

    def _friend_for(self, author: Member) -> str | None:
        """Sometimes a note mentions someone the author follows (the demo login more often)."""
        rng = self.rng
        if rng.random() >= 0.15:
            return None
        follows = self.following.get(author.pk, set())
        if self.demo is not None and self.demo.pk in follows and rng.random() < 0.35:
            return str(self.demo.user.username)
        pool = [m for m in self.members if m.pk in follows] or [m for m in self.members if m is not author]
        return str(rng.choice(pool).user.username) if pool else None

    def create_notes(self) -> tuple[int, int]:
        """Paint and process images (in parallel when possible); create notes and engagement, oldest first."""
        rng = self.rng
        tasks: list[tuple[str, Any]] = [
            ("avatar", (m.pk, rng.choice(m.persona.topics), rng.randrange(1 << 30)))
            for m in self.members
            if not m.user.avatar and (m is self.demo or rng.random() < 0.85)
        ]
        avatars = len(tasks)
        tasks += [
            ("note", (plan.author.pk, plan.topic, plan.size[0], plan.size[1], plan.seeds))
            for plan in self.plans
        ]
        results = _parallel(self.jobs, tasks)
        for _i in range(avatars):
            next(results)
        images = 0
        for plan, image_ids in zip(self.plans, results, strict=True):
            text = content.compose_note(
                rng,
                topic=plan.topic,
                lang=plan.lang,
                images=len(image_ids),
                friend=plan.friend,
                mixed=plan.mixed,
                used_titles=self.used_titles,
            )
            note = notes.note_create(
                author=plan.author.user,
                title=text.title,
                body=text.body,
                image_ids=image_ids,
                alt_texts=list(text.alt_texts),
                cover_index=0,
                visibility=plan.visibility,
                location_name=text.location,
                publish=plan.publish,
            )
            plan.note_id, plan.image_ids = int(note.pk), image_ids
            self.times.notes[plan.note_id] = plan.at
            images += len(image_ids)
            self.engage(plan)  # while the workers paint the next notes
        for member in self.members:  # refresh avatars set by the workers
            member.user.refresh_from_db(fields=["avatar", "avatar_blurhash"])
        return len(self.plans), images

    # engagement ---------------------------------------------------------------------------------

    def create_collections(self) -> int:
        rng = self.rng
        made = 0
        for member in self.members:
            if member is not self.demo and rng.random() >= 0.45:
                continue
            langs = ("zh", "en") if member.persona.lang == "both" else (member.persona.lang,)
            names = [choice for lang in langs for choice in content.COLLECTION_NAMES[lang]]
            for name, is_public in rng.sample(names, k=2 if member is self.demo else rng.randint(1, 2)):
                try:
                    collection = engagement.collection_create(
                        owner=member.user, name=name, is_public=is_public
                    )
                except HavenError:
                    continue
                member.collections.append(int(collection.pk))
                made += 1
        return made

    def _event_time(self, after: datetime, mean_hours: float) -> datetime:
        """A moment a while after `after` (exponentially distributed), never later than a minute ago."""
        at = after + timedelta(hours=self.rng.expovariate(1.0 / mean_hours), minutes=self.rng.uniform(1, 20))
        latest = self.now - timedelta(minutes=self.rng.uniform(1, 20))
        return max(min(at, latest), min(after + timedelta(minutes=1), self.now))

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

    def _try(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        """Call a service; a refusal (e.g. a note that became invisible) skips that one action."""
        try:
            with transaction.atomic():
                return service(**kwargs)
        except HavenError:
            return None

    # spreading the history over the last weeks -------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# The command

COUNTED: tuple[tuple[str, Any], ...] = (
    ("members", User.objects.all()),
    ("follows", Follow.objects.all()),
    ("follow requests", FollowRequest.objects.all()),
    ("notes", Note.objects.all()),
    ("images (ready)", MediaImage.objects.filter(state=MediaImage.State.READY)),
    ("hashtags", Hashtag.objects.all()),
    ("likes", NoteLike.objects.all()),
    ("collections", Collection.objects.all()),
    ("saves", Save.objects.all()),
    ("comments", Comment.objects.all()),
    ("comment likes", CommentLike.objects.all()),
    ("notifications", Notification.objects.all()),
)


def _counts() -> dict[str, int]:
    return {label: queryset.count() for label, queryset in COUNTED}


class Command(BaseCommand):
    help = (
        "Seed a believable bilingual (Chinese/English) demo community: members, follows, notes with "
        "generated photos, likes, saves, comments and notifications. Does nothing when the database "
        "already has members, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small", help="preset (default: small)")
        parser.add_argument("--members", type=int, help="number of members (overrides --size)")
        parser.add_argument("--notes", type=int, help="number of notes (overrides --size)")
        parser.add_argument(
            "--seed", type=int, default=2024, help="random seed (the same seed, the same data)"
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every demo member")
        parser.add_argument("--jobs", type=int, default=0, help="worker processes for images (0: automatic)")
        parser.add_argument("--force", action="store_true", help="seed even when the database has members")
        parser.add_argument("--quiet", action="store_true", help="print only the demo login")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        quiet = bool(options["quiet"])
        members, total_notes = SIZES[options["size"]]
        members = options["members"] if options["members"] is not None else members
        total_notes = options["notes"] if options["notes"] is not None else total_notes
        if not 1 <= members <= MAX_MEMBERS or not 0 <= total_notes <= MAX_NOTES:
            raise CommandError(f"--members must be 1..{MAX_MEMBERS} and --notes 0..{MAX_NOTES}.")
        existing = User.objects.count()
        if existing and not options["force"]:
            if User.objects.filter(username=content.DEMO.username).exists():
                self.stdout.write(
                    "Demo data is already there (member 'demo' exists); nothing to do. "
                    "Use --force to add another batch."
                )
            else:
                self.stdout.write(
                    f"The database already has {existing} member(s); not adding demo data. "
                    "Use --force to add it anyway."
                )
            return

        def say(message: str) -> None:
            if not quiet:
                self.stdout.write(f"  {message} ({time.perf_counter() - started:.1f} s)")

        before = _counts()
        seeder = Seeder(
            rng=random.Random(options["seed"]),
            password=options["password"],
            jobs=_usable_jobs(options["jobs"]),
            say=say,
        )
        if not quiet:
            self.stdout.write(
                f"Seeding {members} members and {total_notes} notes ({seeder.jobs} image worker(s)) ..."
            )
        try:
            self._run(seeder, members, total_notes)
        except HavenError as exc:
            raise CommandError(f"seeding failed: {exc.code}: {exc}") from exc
        after = _counts()
        elapsed = time.perf_counter() - started
        if not quiet:
            self.stdout.write(f"Done in {elapsed:.1f} s. Rows created:")
            for label, count in after.items():
                self.stdout.write(f"  {label:<17} {count - before[label]:>6}")
        password = "(password unchanged)" if seeder.demo_reused else options["password"]
        self.stdout.write(self.style.SUCCESS(f"Demo login: {content.DEMO.username} / {password}"))

    def _run(self, seeder: Seeder, members: int, total_notes: int) -> None:
        seeder.create_members(members)
        seeder.say(f"{len(seeder.members)} members")
        followed, pending = seeder.create_follows()
        seeder.say(f"{followed} follows, {pending} pending follow requests")
        seeder.create_collections()
        seeder.plan_notes(total_notes)
        count, images = seeder.create_notes()
        seeder.say(f"{count} notes with {images} images, with their likes, saves and comments")
        with transaction.atomic():
            seeder.backdate()
            seeder.mark_read()
        seeder.say("history spread over the last three weeks")
