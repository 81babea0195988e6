"""Seeding the demo: fill an empty Haven with a believable bilingual community, through the real services.

Every row is written by the same services real use goes through (sign-up, upload + processing, notes,
follows and follow requests, likes, saves, collections, comments), so counters, hashtags, mentions
and notifications are exactly what members would produce. Afterwards the timestamps are spread over
the last three weeks with plain queryset updates: that part is seeding, not product behaviour.

Each note's pictures show what its title says (the note declares its picture subject), and notes by
bilingual members carry their authors' own translations into the other language.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from haven.accounts.models import User
from haven.catalog.models import Product
from haven.core import gates, searchables
from haven.demo import content
from haven.demo.seeding.base import (
    DEFAULT_PASSWORD,
    MAX_MEMBERS,
    MAX_NOTES,
    SIZES,
)
from haven.demo.seeding.commerce import CommerceStep
from haven.demo.seeding.engagement import EngagementStep
from haven.demo.seeding.history import HistoryStep
from haven.demo.seeding.images import usable_jobs
from haven.demo.seeding.members import MembersStep
from haven.demo.seeding.messages import MessagesStep
from haven.demo.seeding.notes import NotesStep
from haven.demo.seeding.videos import VideosStep
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.feeds import trending
from haven.graph.models import Follow, FollowRequest
from haven.media.models import MediaImage, MediaVideo
from haven.messaging.models import Message
from haven.notes.models import Hashtag, Note
from haven.notifications.models import Notification
from haven.orders.models import Order
from haven.search import index
from haven.shops.models import Shop

__all__ = ["DEFAULT_PASSWORD", "MAX_MEMBERS", "MAX_NOTES", "SIZES", "SeedReport", "demo_login", "seed_demo"]


class Seeder(MembersStep, NotesStep, EngagementStep, HistoryStep, MessagesStep, CommerceStep, VideosStep):
    """Builds the community step by step; `say` reports progress."""


# ----------------------------------------------------------------------------------------------
# The service

COUNTED: tuple[tuple[str, Any], ...] = (
    ("members", User.objects.all()),
    ("follows", Follow.objects.all()),
    ("follow requests", FollowRequest.objects.all()),
    ("notes", Note.objects.all()),
    ("images (ready)", MediaImage.objects.filter(state=MediaImage.State.READY)),
    ("videos (ready)", MediaVideo.objects.filter(state=MediaVideo.State.READY)),
    ("hashtags", Hashtag.objects.all()),
    ("likes", NoteLike.objects.all()),
    ("collections", Collection.objects.all()),
    ("saves", Save.objects.all()),
    ("comments", Comment.objects.all()),
    ("comment likes", CommentLike.objects.all()),
    ("notifications", Notification.objects.all()),
    ("messages", Message.objects.all()),
    ("shops", Shop.objects.all()),
    ("products", Product.objects.all()),
    ("orders", Order.objects.all()),
)


def _counts() -> dict[str, int]:
    return {label: queryset.count() for label, queryset in COUNTED}


@dataclass
class SeedReport:
    """What one seeding run did: `status` is "seeded", "already_seeded" or "has_members"."""

    status: str
    existing_members: int = 0
    jobs: int = 1
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def demo_login(password: str) -> str:
    """The demo login line's credentials: the password when it opens the demo account, else a hint."""
    user = User.objects.filter(username=content.DEMO.username).first()
    if user is not None and not user.check_password(password):
        return f"{content.DEMO.username} / (password unchanged)"
    return f"{content.DEMO.username} / {password}"


def seed_demo(**kwargs: Any) -> SeedReport:
    """Seed demo content (see _seed_demo); the new-account limits of the surge defences do not apply."""
    with gates.exempt():
        return _seed_demo(**kwargs)


def _seed_demo(
    *,
    members: int,
    notes: int,
    seed: int = 2024,
    password: str = DEFAULT_PASSWORD,
    jobs: int = 0,
    force: bool = False,
    videos: int = 3,
    say: Callable[[str], None] = lambda _message: None,
    start: Callable[[int], None] = lambda _jobs: None,
) -> SeedReport:
    """Seed `members` members and `notes` notes, unless the database already has members (and not `force`).

    A second run is a no-op: it finds the demo login (or other members) and leaves the data alone.
    `start` is told the number of image workers just before the work begins.
    """
    if not 1 <= members <= MAX_MEMBERS or not 0 <= notes <= MAX_NOTES:
        raise ValueError(f"members must be 1..{MAX_MEMBERS} and notes 0..{MAX_NOTES}")
    started = time.perf_counter()
    existing = User.objects.count()
    if existing and not force:
        seeded = User.objects.filter(username=content.DEMO.username).exists()
        return SeedReport(status="already_seeded" if seeded else "has_members", existing_members=existing)
    before = _counts()
    seeder = Seeder(rng=random.Random(seed), password=password, jobs=usable_jobs(jobs), say=say)
    start(seeder.jobs)
    seeder.create_members(members)
    seeder.say(f"{len(seeder.members)} members")
    followed, pending = seeder.create_follows()
    seeder.say(f"{followed} follows, {pending} pending follow requests")
    seeder.create_collections()
    seeder.plan_notes(notes)
    count, images = seeder.create_notes()
    seeder.say(f"{count} notes with {images} images, with their likes, saves and comments")
    with transaction.atomic():
        seeder.backdate()
        seeder.mark_read()
    seeder.say("history spread over the last three weeks")
    if videos:
        made = seeder.create_videos(videos)
        seeder.say(f"{made} video notes with English and Chinese captions")
    messages = seeder.create_conversations()
    seeder.say(f"{messages} messages in the demo login's conversations")
    shops = seeder.create_commerce()
    seeder.say(f"{shops['shops']} shops with {shops['products']} products and {shops['orders']} orders")
    # The backdated times feed the search ranking and the trending topics: build both now rather than
    # wait for the worker's first runs.
    for kind in searchables.kinds():
        index.reindex(kind)
    trending.compute_trending()
    seeder.say("search index and trending topics built")
    after = _counts()
    return SeedReport(
        status="seeded",
        existing_members=existing,
        jobs=seeder.jobs,
        created={label: after[label] - before[label] for label in after},
        seconds=time.perf_counter() - started,
    )
