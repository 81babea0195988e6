"""The state of a demo seeding run: its settings, members, note plans and when things happened."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.demo import content
from haven.notifications.models import Notification

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
    text: content.NoteText
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


class SeederBase:
    """The state of one seeding run, shared by the steps (members, notes, engagement, history)."""

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

    def _weighted_sample(self, items: list[tuple[Member, float]], k: int) -> list[Member]:
        """k distinct items, each drawn with probability proportional to its weight (Efraimidis-Spirakis)."""
        keyed = [(self.rng.random() ** (1.0 / max(weight, 1e-9)), member) for member, weight in items]
        keyed.sort(key=lambda pair: pair[0], reverse=True)
        return [member for _key, member in keyed[:k]]

    # notes --------------------------------------------------------------------------------------

    def _event_time(self, after: datetime, mean_hours: float) -> datetime:
        """A moment a while after `after` (exponentially distributed), never later than a minute ago."""
        at = after + timedelta(hours=self.rng.expovariate(1.0 / mean_hours), minutes=self.rng.uniform(1, 20))
        latest = self.now - timedelta(minutes=self.rng.uniform(1, 20))
        return max(min(at, latest), min(after + timedelta(minutes=1), self.now))

    def _try(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        """Call a service; a refusal (e.g. a note that became invisible) skips that one action."""
        try:
            with transaction.atomic():
                return service(**kwargs)
        except HavenError:
            return None

    # spreading the history over the last weeks -------------------------------------------------

    def engage(self, plan: NotePlan) -> None:
        """Likes, saves and comments on one note (haven.demo.seeding.engagement)."""
        raise NotImplementedError
