"""Reads of feeds: Following, Discover, topic, place and profile note lists, and the card data of a page."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

import redis
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.accounts.selectors import avatar_path_url
from haven.core.compiled import CompiledQuery, ViewerRef
from haven.core.consent import PERSONALISED_RECOMMENDATIONS, consent_granted
from haven.core.errors import InvalidInput, NotFound
from haven.core.pagination import (
    MAX_PAGE_SIZE,
    Page,
    clamp_page_size,
    decode_cursor,
    encode_cursor,
    invalid_cursor,
)
from haven.core.reportables import ModerationState
from haven.engagement.selectors import liked_note_ids
from haven.feeds import candidates as shared_candidates
from haven.feeds import services, store
from haven.feeds.models import SeenNote
from haven.feeds.ranking import Candidate, diversify, rank_candidates
from haven.graph.models import Follow
from haven.media.selectors import rendition_url, video_url
from haven.media.states import READY
from haven.notes import places
from haven.notes.access import distributable_notes, parse_id, visible_notes, without_muted
from haven.notes.models import Hashtag, Note, NoteHashtag, Place, Visibility
from haven.notes.paging import cursor_values, keyset_page, make_cursor
from haven.notes.selectors import (
    CARD_VALUES,
    CardImage,
    NoteCard,
    card_images,
    card_of_note,
    note_cards,
    video_player,
)
from haven.recommend import services as recommend_services
from haven.recommend import serving as recommend
from haven.translation.aids_selectors import author_titles, reader_languages

__all__ = [
    "Candidate",
    "card_data",
    "discover_feed",
    "following_feed",
    "near_feed",
    "place_feed",
    "place_info",
    "profile_notes",
    "rank_candidates",
    "topic_feed",
    "topic_info",
    "video_feed",
    "video_slides",
]

logger = logging.getLogger(__name__)
PUBLISHED = Note.Status.PUBLISHED
DISCOVER_DAYS = 30
DISCOVER_CANDIDATES = 1000  # newest public notes considered per ranking
RANKING_TTL = 600  # seconds a ranked list stays cached for paging
#: Ranked lists: RANKED_KEY:<scope hash>:<viewer id>:<personal 0|1>:<generation>:<seed> ("anon" for
#: anonymous viewers); feeds.personal_data purges a member's on erasure.
RANKED_KEY = "feeds:ranked:v2"
TOPIC_HOT_CANDIDATES = 1000
MAX_RANKED = 1000  # notes kept of one ranking (its pages)
SEEN_READ = 3000  # latest seen-marks the personal ranking reads
KEYSET_ORDER = ("-published_at", "-id")
TopicOrder = Literal["new", "hot"]

_CANDIDATE_COLUMNS = (
    "id",
    "author_id",
    "published_at",
    "like_count",
    "save_count",
    "comment_count",
    "language",
    "author__date_joined",
)


def _viewer_id(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def _for_cards(notes: QuerySet[Note]) -> QuerySet[Note, dict[str, Any]]:
    """The card columns of `notes` (notes.selectors.CARD_VALUES) as values() rows: no model instances;
    note_cards turns a page of them into NoteCards (covers and image counts in one more query)."""
    return notes.values(*CARD_VALUES)


def feed_notes(viewer: Any) -> QuerySet[Note]:
    """Published notes `viewer` may see (notes.access.visible_notes), less authors the viewer muted."""
    return without_muted(visible_notes(viewer).filter(status=PUBLISHED), viewer)


# ---------------------------------------------------------------------------------------------
# Keyset pages over (published_at, id), newest first.


def _keyset_page(notes: QuerySet[Note], *, scope: str, cursor: str | None, limit: int) -> Page[NoteCard]:
    page = keyset_page(_for_cards(notes), order=KEYSET_ORDER, cursor=cursor, limit=limit, scope=scope)
    return Page(items=note_cards(page.items), next_cursor=page.next_cursor)


def following_feed(viewer: Any, *, cursor: str | None = None, limit: int = 20) -> Page[NoteCard]:
    """Notes of the authors `viewer` follows, newest first (fan-out on read; not the viewer's own).

    One query per page (plus the card images): follows and mutes are subqueries, never id lists.
    """
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return Page(items=[], next_cursor=None)
    followed = Follow.objects.filter(follower_id=viewer_id).values("followee_id")
    notes = feed_notes(viewer).filter(author_id__in=followed)
    if store.enabled():
        try:
            return _redis_following(viewer_id, notes, cursor=cursor, limit=limit)
        except redis.RedisError as exc:  # Redis unreachable: the SQL path serves (same cursor format)
            logger.warning("following feed: Redis failed, serving from SQL: %s", exc)
    return _keyset_page(notes, scope="following", cursor=cursor, limit=limit)


FOLLOWING_ROUNDS = 3  # candidate batches tried to fill one page when many were filtered out


def _redis_following(
    viewer_id: int, notes: QuerySet[Note], *, cursor: str | None, limit: int
) -> Page[NoteCard]:
    """Scaled Following: candidate ids from Redis (feeds.store), hydrated through `notes` (visibility,
    mutes, follows re-checked in SQL), same cursor format as the SQL path.

    Queries per page: the follow fingerprint and the hydration (plus the card images); a rebuild adds
    its own once. A batch of 2 * size + 10 candidates is hydrated at a time; only when most of them
    were filtered out is another batch tried (at most FOLLOWING_ROUNDS).
    """
    size = clamp_page_size(limit)
    values = cursor_values(cursor, order=KEYSET_ORDER, scope="following")
    after: tuple[int, int] | None = None
    if values is not None:
        at, pk = values
        if not isinstance(at, datetime) or not isinstance(pk, int):
            raise invalid_cursor()
        after = (store.score_of(at), pk)
    rows: list[dict[str, Any]] = []
    for _round in range(FOLLOWING_ROUNDS):
        batch, more = store.candidates(viewer_id, after=after, count=2 * size + 10)
        if not batch:
            break
        want = size + 1 - len(rows)
        rows += _for_cards(notes.filter(pk__in=[pk for _, pk in batch])).order_by(*KEYSET_ORDER)[:want]
        if len(rows) > size or not more:
            break
        after = batch[-1]
    if len(rows) > size:
        items = note_cards(rows[:size])
        last = items[-1]
        assert last.published_at is not None
        return Page(items=items, next_cursor=_following_cursor(last.published_at, last.pk))
    if not more or not batch:
        return Page(items=note_cards(rows), next_cursor=None)
    # Many candidates were filtered out: a short page, resumed after the last candidate examined.
    assert after is not None
    return Page(items=note_cards(rows), next_cursor=_following_cursor(store.time_of(after[0]), after[1]))


def _following_cursor(at: datetime, pk: int) -> str:
    return make_cursor(scope="following", values=[at, pk])


def profile_notes(viewer: Any, owner: User, *, cursor: str | None = None, limit: int = 20) -> Page[NoteCard]:
    """`owner`'s published notes that `viewer` may see, newest first (drafts never, even for the owner)."""
    notes = visible_notes(viewer).filter(status=PUBLISHED, author_id=owner.pk)
    return _keyset_page(notes, scope=f"profile:{owner.pk}", cursor=cursor, limit=limit)


# ---------------------------------------------------------------------------------------------
# Ranked lists (Discover, hot topics): ranked once, cached, paged by offset.


@dataclass
class RankedPage(Page[NoteCard]):
    """A page of a ranked list, with why each note is there and what ranked it (Discover)."""

    reasons: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # id -> (code, argument, topics)
    model_version: str = ""
    prepared: bool = False  # a first page served from a ranking made ahead (discover_prepare)


def _ranked_page(
    viewer: Any,
    *,
    scope: str,
    personal: bool,
    cursor: str | None,
    limit: int,
    rank: Callable[[str], dict[str, Any]],
    ahead: bool = False,
) -> RankedPage:
    """A page of a ranked id list that stays stable while paging.

    `rank(seed)` returns {"ids": [...], "why": {id: [code, argument]}, "v": model version}. A first page
    of a signed-in viewer ranks afresh under a new random seed; the ranking is cached for RANKING_TTL
    under (scope, viewer, seed, the viewer's ranking generation) and the cursor carries {seed, offset}.
    A "not interested" choice moves the generation on (recommend.serving.ranking_generation), so the
    next page is ranked again under the same seed without what was refused. Anonymous rankings have no
    personal factor, so they are shared per 10-minute bucket. An expired ranking is rebuilt under the
    same seed. The page's notes are loaded (and visibility re-checked) in rank order.

    `ahead`: a first page takes the ranking made ahead for this viewer and generation, if one is
    waiting (discover_prepare), instead of ranking in the request; notes served since it was made
    move to its end.
    """
    size = clamp_page_size(limit)
    viewer_id = _viewer_id(viewer)
    data = decode_cursor(cursor)
    if data is None:
        offset = 0
        seed = secrets.token_hex(6) if viewer_id is not None else str(int(time.time() // RANKING_TTL))
        fresh = viewer_id is not None
    else:
        raw_seed, raw_offset = data.get("seed"), data.get("o")
        if data.get("s") != scope or not isinstance(raw_seed, str) or not isinstance(raw_offset, int):
            raise invalid_cursor()
        if len(raw_seed) > 20 or not 0 <= raw_offset <= MAX_RANKED:
            raise invalid_cursor()
        seed, offset, fresh = raw_seed, raw_offset, False
    generation = 0
    if viewer_id is None:
        who = "anon"
    else:
        generation = recommend.ranking_generation(viewer_id) if personal else 0
        who = _who(viewer_id, personal, generation)
    ranked = (
        _take_prepared(viewer_id, generation, scope) if fresh and ahead and viewer_id is not None else None
    )
    prepared = ranked is not None
    if ranked is not None:
        seed = ranked["seed"]
    key = _ranked_key(scope, who, seed)
    if not fresh:  # a later page reads what its first page stored (ranked again if it expired)
        ranked = cache.get(key)
    # A first page's ranking serves the next pages: stored here, unless the worker that made it ahead
    # stored it already (then `ranked` is its head, and "n" the whole length).
    store = ranked is None or (fresh and not ranked.get("stored"))
    if ranked is None:
        ranked = rank(seed)
    if store:
        cache.set(key, ranked, RANKING_TTL)
    page_ids = ranked["ids"][offset : offset + size]
    notes = _notes_in_order(viewer, page_ids)
    end = offset + size
    total = int(ranked.get("n", len(ranked["ids"])))
    next_cursor = encode_cursor({"s": scope, "seed": seed, "o": end}) if end < total else None
    why = ranked.get("why") or {}
    reasons = {n.pk: tuple(why[n.pk]) for n in notes if n.pk in why}
    return RankedPage(
        items=notes,
        next_cursor=next_cursor,
        reasons=reasons,
        model_version=ranked.get("v", ""),
        prepared=prepared,
    )


# ---------------------------------------------------------------------------------------------
# Discover ranked ahead (docs/recommend.md "Ranked ahead"): the task worker ranks a member's next first
# page into the cache after each first page and at sign-in, so the request only loads its notes.

PREPARED_KEY = "feeds:discover:ahead:v1"
PREPARING_LOCK_SECONDS = 60  # one pending preparation per member; a lost task frees it after this


def prepare_enabled() -> bool:
    """Whether Discover is ranked ahead: HAVEN_DISCOVER_PREPARE, by default on when the cache is shared
    between processes (Redis) and a task worker runs the tasks."""
    choice = settings.HAVEN.discover_prepare
    if choice is not None:
        return bool(choice)
    return bool(settings.HAVEN.redis_url) and settings.HAVEN.tasks_backend == "database"


def _prepared_key(viewer_id: int, generation: int) -> str:
    return f"{PREPARED_KEY}:{viewer_id}:{generation}"


def _preparing_key(viewer_id: int) -> str:
    return f"{PREPARED_KEY}:lock:{viewer_id}"


def _ranked_key(scope: str, who: str, seed: str) -> str:
    return f"{RANKED_KEY}:{hashlib.sha256(scope.encode()).hexdigest()[:24]}:{who}:{seed}"


def _who(viewer_id: int, personal: bool, generation: int) -> str:
    return f"{viewer_id}:{int(personal)}:{generation}"


#: A ranking made ahead is stored whole under its paging key, and its first PREPARED_HEAD ids (with their
#: reasons) under the viewer's prepared key: the first page reads only that head (a few hundred bytes,
#: not the thousand ids and reasons), and later pages the whole, as for a ranking made in the request.
PREPARED_HEAD = MAX_PAGE_SIZE


def _take_prepared(viewer_id: int, generation: int, scope: str) -> dict[str, Any] | None:
    """The ranking made ahead for this viewer and generation (removed: each serves one first page), or
    None when none is waiting. Usually its head ({"ids", "why", "v", "seed", "n", "stored"}); when notes
    were served since it was made (another device), the whole ranking with them moved to its end (one
    query for that, and the whole read and stored again)."""
    key = _prepared_key(viewer_id, generation)
    head = cache.get(key)
    if not isinstance(head, dict) or not isinstance(head.get("seed"), str):
        return None
    cache.delete(key)
    made = datetime.fromtimestamp(float(head.get("at", 0)), tz=UTC)
    served = set(
        SeenNote.objects.filter(user_id=viewer_id, seen_at__gt=made).values_list("note_id", flat=True)[
            :SEEN_READ
        ]
    )
    if not served:
        return head
    ranked = cache.get(_ranked_key(scope, _who(viewer_id, True, generation), head["seed"]))
    if not isinstance(ranked, dict):
        return None  # the whole has expired: ranked afresh in the request
    ids = ranked["ids"]
    ranked["ids"] = [i for i in ids if i not in served] + [i for i in ids if i in served]
    return {**ranked, "seed": head["seed"]}


def request_prepare(viewer_id: int) -> bool:
    """Ask the task worker to rank this member's next Discover first page, unless one is pending
    (a cache lock); returns whether a task was enqueued. No-op when discover_prepare is off."""
    if not prepare_enabled() or not cache.add(_preparing_key(viewer_id), 1, PREPARING_LOCK_SECONDS):
        return False
    from haven.feeds.tasks import prepare_discover

    prepare_discover.enqueue(viewer_id)
    return True


def discover_prepare(user_id: int) -> int:
    """Rank `user_id`'s next Discover first page into the cache (the task behind request_prepare), as
    discover_feed would in the request; returns its length, 0 when the member gets no personal ranking
    (gone, suspended, refused the consent)."""
    try:
        viewer = User.objects.filter(pk=user_id, is_active=True).first()
        if viewer is None or not consent_granted(user_id, PERSONALISED_RECOMMENDATIONS):
            return 0
        generation = recommend.ranking_generation(user_id)
        seed = secrets.token_hex(6)
        made = time.time()
        ranked = _discover_ranker(viewer, user_id, personal=True)(seed)
        waits = int(settings.HAVEN.discover_prepared_seconds)
        ids, why = ranked["ids"], ranked.get("why") or {}
        head = [int(i) for i in ids[:PREPARED_HEAD]]
        pointer = {
            "ids": head,
            "why": {i: why[i] for i in head if i in why},
            "v": ranked.get("v", ""),
            "seed": seed,
            "at": made,
            "n": len(ids),
            "stored": True,
        }
        # The whole outlives its head by a paging window: pages after a first page taken late still find it.
        cache.set(_ranked_key("discover", _who(user_id, True, generation), seed), ranked, waits + RANKING_TTL)
        cache.set(_prepared_key(user_id, generation), pointer, waits)
        return len(ids)
    finally:
        cache.delete(_preparing_key(user_id))


def _ranked_notes(viewer: Any, ids: Sequence[int]) -> QuerySet[Note, dict[str, Any]]:
    # Ranked pages (Discover, hot topics) distribute: limited notes stay out (notes.access).
    return _for_cards(feed_notes(viewer).filter(id__in=ids, moderation=ModerationState.OK))


#: A signed-in viewer's ranked page, compiled once per thread and page length (core.compiled): the same
#: notes.access rule, without Django building its subqueries again on every page.
_RANKED_NOTES = CompiledQuery(
    "feeds.ranked_notes",
    lambda viewer, ids: _ranked_notes(ViewerRef(viewer), ids),
    scalars=("viewer",),
    lists=("ids",),
)


def _notes_in_order(viewer: Any, ids: Sequence[int]) -> list[NoteCard]:
    if not ids:
        return []
    viewer_id = _viewer_id(viewer)
    rows = _ranked_notes(viewer, ids) if viewer_id is None else _RANKED_NOTES.rows(viewer=viewer_id, ids=ids)
    found = {row["id"]: row for row in rows}
    return note_cards(found[i] for i in ids if i in found)


def _candidates(notes: QuerySet[Note], count: int) -> list[Candidate]:
    rows = notes.order_by(*KEYSET_ORDER).values_list(*_CANDIDATE_COLUMNS)[:count]
    return [Candidate(*row) for row in rows]


def viewer_languages(viewer: Any) -> set[str]:
    """Languages the viewer reads: those declared in their profile, else their interface language
    ("zh-hans" -> "zh"); none for anonymous viewers."""
    if _viewer_id(viewer) is None:
        return set()
    declared = {str(code).lower() for code in (getattr(viewer, "languages", None) or []) if code}
    if declared:
        return declared
    interface = str(getattr(viewer, "interface_language", "") or "")
    return {interface.split("-")[0].lower()} if interface else set()


def discover_feed(
    viewer: Any,
    *,
    cursor: str | None = None,
    limit: int = 20,
    non_personalized: bool = False,
    record_seen: bool = True,
) -> RankedPage:
    """Discover: recent public notes ranked by time-decayed engagement (feeds.ranking), in stable pages.

    Candidates: the newest DISCOVER_CANDIDATES public notes of the last DISCOVER_DAYS days that the
    viewer may see, muted authors and the viewer's own notes left out. Personal factors (signed in,
    allowing personalised recommendations (core.consent), not `non_personalized`): a boost for notes
    in the viewer's languages and a push-down for notes already served (SeenNote).
    Served notes are recorded as seen (one upsert) for signed-in viewers who allow personalised
    recommendations, unless `record_seen` is False.
    Constant queries per page: candidates (columns only) and seen ids when ranking, then the page.
    """
    viewer_id = _viewer_id(viewer)
    # A member who refused personalised recommendations gets no personal factor and no seen history.
    allowed = viewer_id is not None and consent_granted(viewer_id, PERSONALISED_RECOMMENDATIONS)
    personal = allowed and not non_personalized
    ahead = personal and prepare_enabled()
    page = _ranked_page(
        viewer,
        scope="discover",
        personal=personal,
        cursor=cursor,
        limit=limit,
        rank=_discover_ranker(viewer, viewer_id, personal=personal),
        ahead=ahead,
    )
    if record_seen and allowed and page.items:
        services.mark_seen(user=viewer, note_ids=[n.pk for n in page.items])
    if ahead and cursor is None:  # after the seen-marks, which the next ranking reads
        assert viewer_id is not None
        request_prepare(viewer_id)
    return page


def _discover_ranker(
    viewer: Any, viewer_id: int | None, *, personal: bool
) -> Callable[[str], dict[str, Any]]:
    """Discover's `rank(seed)` for `_ranked_page`: the trained ranking (recommend.serving) for a personal
    ranking when it is enabled, else v0 (feeds.ranking) with the personal factors when `personal`."""

    def rank(_seed: str) -> dict[str, Any]:
        now = timezone.now()
        candidates = _fresh_candidates(viewer, viewer_id, now)
        seen: set[int] = set()
        if viewer_id is not None and personal and candidates:
            seen = set(
                SeenNote.objects.filter(
                    user_id=viewer_id, note_id__in=[c.id for c in candidates]
                ).values_list("note_id", flat=True)
            )
        languages = viewer_languages(viewer) if personal else set()
        return {
            "ids": rank_candidates(candidates, viewer_languages=languages, seen_ids=seen, now=now),
            "v": "v0",
        }

    def rank_personal(seed: str) -> dict[str, Any]:
        """The trained ranking (recommend.serving): the member's own candidate sources, learned weights,
        reasons; the same fresh candidates as v0, then diversified by author like v0."""
        now = timezone.now()
        candidates = _fresh_candidates(viewer, viewer_id, now)

        assert viewer_id is not None  # personal rankings are for signed-in members

        def seen_among(ids: Collection[int]) -> set[int]:
            # The member's latest seen-marks, not an IN list of every candidate (cheaper to build and run).
            recent = SeenNote.objects.filter(user_id=viewer_id).order_by("-seen_at")
            return set(recent.values_list("note_id", flat=True)[:SEEN_READ]) & set(ids)

        ranked = recommend.rank_for_viewer(
            viewer,
            candidates,
            reads=viewer_languages(viewer),
            learning=[str(code) for code in (getattr(viewer, "learning_languages", None) or [])],
            seen_among=seen_among,
            now=now,
            seed=seed,
            known_tags=shared_candidates.shared_tags() if shared_candidates.enabled() else None,
        )
        ordered = diversify([(ranked.scores[i], i, ranked.authors[i]) for i in ranked.ids])[:MAX_RANKED]
        why = {i: [*ranked.reasons[i], list(ranked.topics.get(i, ())[:3])] for i in ordered}
        return {"ids": ordered, "why": why, "v": ranked.version}

    return rank_personal if personal and recommend.enabled() else rank


def _fresh_candidates(viewer: Any, viewer_id: int | None, now: datetime) -> list[Candidate]:
    """Discover's fresh candidates: the newest public notes of the last DISCOVER_DAYS days the viewer may
    be shown (shared and cached when HAVEN_DISCOVER_CACHE_SECONDS > 0), never the viewer's own."""
    if shared_candidates.enabled():
        return [c for c in shared_candidates.for_viewer(viewer_id) if c.author_id != viewer_id]
    recent = feed_notes(viewer).filter(
        visibility=Visibility.PUBLIC,
        published_at__gte=now - timedelta(days=DISCOVER_DAYS),
        moderation=ModerationState.OK,
    )
    if viewer_id is not None:  # a viewer's own notes do not belong in their Discover
        recent = recent.exclude(author_id=viewer_id)
    return _candidates(recent, DISCOVER_CANDIDATES)


# ---------------------------------------------------------------------------------------------
# Topics (hashtags).


def normalize_topic(tag: str) -> str:
    """The normalized hashtag name of `tag` ("#Coffee" -> "coffee"); InvalidInput `invalid_tag` if none."""
    return recommend_services.topic_name(tag)


def _topic_notes(viewer: Any, name: str) -> QuerySet[Note]:
    tagged = NoteHashtag.objects.filter(hashtag__name=name).values("note_id")
    return feed_notes(viewer).filter(id__in=tagged, moderation=ModerationState.OK)


def topic_feed(
    viewer: Any, tag: str, *, cursor: str | None = None, limit: int = 20, order: TopicOrder = "new"
) -> Page[NoteCard]:
    """Notes carrying `#tag` that the viewer may see (muted authors left out).

    "new": newest first (keyset). "hot": the newest TOPIC_HOT_CANDIDATES ranked by time-decayed
    engagement without personal factors, in stable cached pages like Discover.
    """
    name = normalize_topic(tag)
    if order == "new":
        return _keyset_page(_topic_notes(viewer, name), scope=f"topic:{name}", cursor=cursor, limit=limit)
    if order != "hot":
        raise InvalidInput(_("Sort by new or hot."), code="invalid_order")

    def rank(_seed: str) -> dict[str, Any]:
        candidates = _candidates(_topic_notes(viewer, name), TOPIC_HOT_CANDIDATES)
        return {"ids": rank_candidates(candidates, viewer_languages=(), seen_ids=(), now=timezone.now())}

    page = _ranked_page(
        viewer, scope=f"topic-hot:{name}", personal=False, cursor=cursor, limit=limit, rank=rank
    )
    return Page(items=page.items, next_cursor=page.next_cursor)


def topic_info(tag: str) -> dict[str, Any]:
    """Header facts of a topic page: {"tag", "exists", "note_count"} (public notes anyone may see)."""
    name = normalize_topic(tag)
    hashtag = Hashtag.objects.filter(name=name).first()
    if hashtag is None:
        return {"tag": name, "exists": False, "note_count": 0}
    tagged = NoteHashtag.objects.filter(hashtag=hashtag).values("note_id")
    count = visible_notes(None).filter(id__in=tagged, moderation=ModerationState.OK).count()
    return {"tag": name, "exists": True, "note_count": count}


# ---------------------------------------------------------------------------------------------
# Places (notes.places reads location names as cities and venues).


def _place_notes(viewer: Any, place: Place) -> QuerySet[Note]:
    """Notes at `place` (a city: its venues' too) that may be shown to the viewer, muted authors left out."""
    return feed_notes(viewer).filter(moderation=ModerationState.OK, place_id__in=places.place_scope(place))


def place_info(viewer: Any, place_id: Any, *, venues: int = 12) -> dict[str, Any]:
    """Header facts of a place page: {"place", "city", "note_count", "venues"}.

    NotFound ("not_found") when the place is missing or the viewer may see no note there: places are
    read from notes' text, so a place only known from notes hidden from the viewer stays unknown.
    Queries: the place, the count, the venues of a city (one more only when muting hid every note).
    """
    place = places.get_place(place_id)
    count = _place_notes(viewer, place).count()
    if count == 0 and not places.notes_at(viewer, place).exists():
        raise NotFound(_("Place not found."))
    return {
        "place": place,
        "city": place.parent,
        "note_count": count,
        "venues": places.venues_of(place, limit=venues) if venues and place.kind == Place.Kind.CITY else [],
    }


def place_feed(viewer: Any, place: Place, *, cursor: str | None = None, limit: int = 20) -> Page[NoteCard]:
    """Notes at `place` (a city: its venues' too) the viewer may see, newest first (keyset pages)."""
    return _keyset_page(_place_notes(viewer, place), scope=f"place:{place.pk}", cursor=cursor, limit=limit)


def near_feed(
    viewer: Any, *, cursor: str | None = None, limit: int = 20
) -> tuple[Place | None, Page[NoteCard]]:
    """(the viewer's chosen city, its notes newest first); (None, empty) when no city was chosen."""
    city = places.home_city_of(viewer)
    if city is None:
        return None, Page(items=[], next_cursor=None)
    return city, place_feed(viewer, city, cursor=cursor, limit=limit)


# ---------------------------------------------------------------------------------------------
# Card data.


def card_data(
    viewer: Any, notes: Sequence[NoteCard | Note], *, reasons: dict[int, tuple[Any, ...]] | None = None
) -> list[dict[str, Any]]:
    """Everything a feed card shows, for the NoteCards of the feeds here, or for Notes loaded with their
    author (notes.selectors.with_card_data; search results).

    One query whatever the page size (which notes the viewer liked), one for the covers and image
    counts of Notes (NoteCards come with theirs), plus one for authors' translated titles when some
    note is in a language the viewer does not read.
    """
    if not notes:
        return []
    cards = [n if isinstance(n, NoteCard) else card_of_note(n) for n in notes]
    card_images([card for card, note in zip(cards, notes, strict=True) if card is not note])
    viewer_id = _viewer_id(viewer)
    liked = liked_note_ids(viewer, [card.pk for card in cards]) if viewer_id is not None else set()
    titles = author_titles(cards, reader_languages(viewer, get_language()))  # 0 queries unless needed
    out = []
    for card in cards:
        author = card.author
        translated = titles.get(card.pk)
        out.append(
            {
                "id": card.pk,
                "title": card.title,
                # The author's own translation of the title, for a reader who does not read its language.
                "translated_title": (
                    {"text": translated.title, "language": translated.language} if translated else None
                ),
                "cover": _cover(card.cover, card) if card.video is None else _video_cover(card),
                "video": _card_video(card),
                "author": {
                    "username": author.username,
                    "display_name": author.display_name,
                    "avatar_url": avatar_path_url(author.avatar),
                },
                "like_count": card.like_count,
                "liked": card.pk in liked,
                "visibility": card.visibility,
                "language": card.language,
                "published_at": card.published_at,
                "image_count": card.image_count,
                # A moderator's sensitive-content label: the cover is blurred until the note is opened.
                "sensitive": bool(card.sensitive) and card.author_id != viewer_id,
            }
        )
        # Discover's cards say why they are there, and offer "not interested" in one of their topics.
        if reasons and card.pk in reasons:
            code, argument, note_topics = reasons[card.pk]
            out[-1]["reason"] = {
                "code": code,
                "text": recommend.reason_text(code, argument),
                "topic": argument if code == "topic" else (note_topics[0] if note_topics else None),
            }
            out[-1]["topics"] = list(note_topics[:3])
    return out


def _video_cover(card: NoteCard) -> dict[str, Any] | None:
    """A video note's cover: its poster frame (card size)."""
    video = card.video
    if video is None:
        return None
    return {
        "grid_url": video_url(video, "poster_grid", note=card),
        "width": video.width,
        "height": video.height,
        "blurhash": video.blurhash,
        "alt_text": "",
    }


def _card_video(card: NoteCard) -> dict[str, Any] | None:
    """What a card shows of a video note: its length and a short muted preview."""
    video = card.video
    if video is None:
        return None
    return {"duration_ms": video.duration_ms, "preview_url": video_url(video, "preview", note=card)}


def _cover(cover: CardImage | None, card: NoteCard) -> dict[str, Any] | None:
    if cover is None:
        return None
    return {
        "grid_url": rendition_url(cover, "grid", note=card),  # type: ignore[arg-type]
        "width": cover.width,
        "height": cover.height,
        "blurhash": cover.blurhash,
        "alt_text": cover.alt_text,
    }


# ---------------------------------------------------------------------------------------------
# The vertical video feed (/videos/): one video per screen, swipe to the next.

VIDEO_SCOPE = "videos"
VIDEO_PAGE_MAX = 20  # slides per page: each carries a player (one caption query each)


def _video_notes(viewer: Any) -> QuerySet[Note]:
    """Public, published notes with a ready video that may be pushed to `viewer`
    (notes.access.distributable_notes: visible and not limited), muted authors left out."""
    return without_muted(distributable_notes(viewer), viewer).filter(
        status=PUBLISHED, visibility=Visibility.PUBLIC, video__state=READY
    )


def video_feed(viewer: Any, *, cursor: str | None = None, limit: int = 8, start: Any = None) -> Page[Note]:
    """The vertical video feed: public video notes with a ready video that the viewer may be shown
    (the viewer's own included), newest first, in keyset pages over (published_at, id).

    `start` (a note id; first page only): that note comes first when the viewer may see it
    (notes.access.visible_notes; opened from its card or page, so not only distributable notes) and it
    has a ready video; the feed goes on with the videos published before it. An unknown or hidden
    `start` is ignored. Notes come loaded with their author and video (notes.selectors.video_player).
    One query per page, one more for `start`.
    """
    size = clamp_page_size(limit)
    if size > VIDEO_PAGE_MAX:
        raise InvalidInput(
            _("The page size must be between 1 and %(max)d.") % {"max": VIDEO_PAGE_MAX},
            code="invalid_page_size",
        )
    notes = _video_notes(viewer).select_related("author", "video")
    pk = parse_id(start) if cursor is None and start is not None else None
    first = (
        visible_notes(viewer)
        .filter(pk=pk, status=PUBLISHED, video__state=READY)
        .select_related("author", "video")
        .first()
        if pk
        else None
    )
    if first is None:
        return keyset_page(notes, order=KEYSET_ORDER, cursor=cursor, limit=size, scope=VIDEO_SCOPE)
    assert first.published_at is not None  # published
    after_first = make_cursor(scope=VIDEO_SCOPE, values=[first.published_at, first.pk])
    if size == 1:
        return Page(items=[first], next_cursor=after_first)
    rest = keyset_page(notes, order=KEYSET_ORDER, cursor=after_first, limit=size - 1, scope=VIDEO_SCOPE)
    return Page(items=[first, *rest.items], next_cursor=rest.next_cursor)


def _base(code: str) -> str:
    return code.strip().lower().split("-")[0]


def _bilingual_track(note_id: int, captions: Sequence[dict[str, Any]], target: str) -> dict[str, Any] | None:
    """A bilingual caption track (the translation service's, original and translation per cue) of the
    first track not in `target`'s language; None without one, or while that route is not installed."""
    source = next((c for c in captions if _base(c["language"]) != _base(target)), None)
    if source is None:
        return None
    try:
        url = reverse("translation:caption_track", kwargs={"note_id": note_id, "source": source["language"]})
    except NoReverseMatch:
        return None
    query = urlencode({"target": target, "mode": "bilingual"})
    return {"url": f"{url}?{query}", "source": source["language"], "target": target}


def video_slides(viewer: Any, notes: Sequence[Note]) -> list[dict[str, Any]]:
    """The slides of a page of the video feed: each note's card (card_data) with its `player`
    (notes.selectors.video_player: poster, sources, caption tracks), the caption track to show by
    default (`default_caption`: the one in the viewer's interface language, "" when none) and a
    `bilingual` track in that language when the note has captions in another.

    Queries: card_data's, plus one for the caption tracks of the whole page.
    """
    interface = get_language() or "en"
    prefetch_related_objects(list(notes), "video__captions")
    slides = []
    for note, card in zip(notes, card_data(viewer, notes), strict=True):
        player = video_player(note) or {"ready": False}
        captions = player.get("captions") or []
        default = next((c["language"] for c in captions if _base(c["language"]) == _base(interface)), "")
        player["default_caption"] = default
        player["bilingual"] = _bilingual_track(note.pk, captions, interface) if captions else None
        slides.append({**card, "player": player})
    return slides
