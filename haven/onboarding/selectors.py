"""Reads of onboarding: a member's progress and choices, topics to pick from, and people to follow.

Everything shown comes from one pool: published public notes of public, active accounts that the
member may see (notes.access.distributable_notes: blocks either way, moderation, suspended authors),
less authors they muted and their own notes, among the newest POOL_SIZE of them. A private account's
note, or a blocked member's, is therefore never a topic's picture nor a reason to suggest someone.
Each read is a constant number of queries, bounded by POOL_SIZE.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from haven.accounts.forms import LANGUAGE_AUTONYMS
from haven.accounts.models import User
from haven.accounts.selectors import avatar_path_url
from haven.graph.models import Follow, FollowRequest
from haven.media.selectors import rendition_url
from haven.notes.access import PUBLISHED, distributable_notes, without_muted
from haven.notes.models import Note, NoteHashtag, Visibility
from haven.notes.selectors import CARD_VALUES, NoteCard, note_cards
from haven.onboarding import topics
from haven.onboarding.models import OnboardingProgress
from haven.recommend.models import TopicFollow
from haven.recommend.selectors import followed_topics

POOL_SIZE = 2000  # newest notes of the pool looked at
TOPIC_CHOICES = 24  # topics offered
TAG_ROWS = 200  # most used hashtags read from the pool
COVER_ROWS = 4000  # (note, hashtag) rows read to pick covers
SUGGESTION_ROWS = 1500  # notes read to rank authors
MAX_SUGGESTIONS = 12
OTHER_COMMUNITY = 3  # suggestions kept for people writing in a language the member does not read
BIO_MAX = 120


@dataclass(slots=True)
class _Author:
    score: float = 0.0
    languages: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    best_note: int = 0
    best_likes: int = -1
    best_on_topic: bool = False  # the sample shown is a note of the member's topics when there is one


def _viewer_id(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def pool(viewer: Any) -> QuerySet[Note]:
    """Notes onboarding may show `viewer` or draw on: published, public, from public active accounts,
    visible and distributable to the viewer, not by an author they muted, not their own."""
    notes = without_muted(distributable_notes(viewer), viewer).filter(
        status=PUBLISHED, visibility=Visibility.PUBLIC, author__is_private=False, author__is_active=True
    )
    viewer_id = _viewer_id(viewer)
    if viewer_id is not None:
        notes = notes.exclude(author_id=viewer_id)
    return notes


def _window(viewer: Any) -> QuerySet[Note, Any]:
    """The ids of the newest POOL_SIZE notes of the pool, as a subquery."""
    return pool(viewer).order_by("-published_at", "-id").values("id")[:POOL_SIZE]


def progress(user: Any) -> OnboardingProgress | None:
    """The member's progress row (None before they started)."""
    return OnboardingProgress.objects.filter(user_id=user.pk).first()


def chosen_topics(user: Any) -> list[str]:
    """The topic keys the member follows (curated pairs folded into one key), in the order followed."""
    keys: list[str] = []
    for tag in reversed(followed_topics(user.pk)):
        key = topics.key_of(tag)
        if key not in keys:
            keys.append(key)
    return keys


def onboarding_topics(user: Any) -> set[str]:
    """Hashtags the member followed from onboarding (the ones a new choice of interests may drop)."""
    return set(
        TopicFollow.objects.filter(user_id=user.pk, source=TopicFollow.Source.ONBOARDING).values_list(
            "topic", flat=True
        )
    )


def state(user: Any) -> dict[str, Any]:
    """Where the member stands: the step to show, whether done, and what they chose so far."""
    row = progress(user)
    return {
        "step": row.step if row else OnboardingProgress.Step.LANGUAGES,
        "completed": bool(row and row.completed_at),
        "skipped": bool(row and row.skipped),
        "completed_at": row.completed_at if row else None,
        "interface_language": user.interface_language,
        "languages": list(user.languages or []),
        "learning_languages": list(getattr(user, "learning_languages", None) or []),
        "topics": chosen_topics(user),
    }


def _cover(card: NoteCard) -> dict[str, Any] | None:
    if card.cover is None:
        return None
    return {
        "note_id": card.pk,
        "grid_url": rendition_url(card.cover, "grid", note=card),  # type: ignore[arg-type]
        "width": card.cover.width,
        "height": card.cover.height,
        "blurhash": card.cover.blurhash,
        "alt_text": card.cover.alt_text,
    }


def _cards(viewer: Any, note_ids: list[int]) -> dict[int, NoteCard]:
    """Cards (with covers) of those `note_ids` still in the pool: two queries."""
    if not note_ids:
        return {}
    rows = pool(viewer).filter(pk__in=note_ids).values(*CARD_VALUES)
    return {card.pk: card for card in note_cards(rows)}


def topic_choices(viewer: Any, *, interface_language: str = "en", limit: int = TOPIC_CHOICES) -> list[dict]:
    """Topics to pick from: the most used hashtags of the pool (curated pairs such as #coffee/#咖啡
    counted as one), then curated topics, up to `limit`. Each has its name in the interface language,
    the other language's name, an emoji (curated), how many pool notes carry it, whether the member
    follows it already, and a cover: the photo of its most liked pool note, a different note for
    each topic where possible. Four queries."""
    limit = max(1, min(int(limit), TOPIC_CHOICES * 2))
    window = _window(viewer)
    counts: Counter[str] = Counter()
    tag_rows = (
        NoteHashtag.objects.filter(note_id__in=window)
        .values("hashtag__name")
        .annotate(n=Count("note_id"))
        .order_by("-n", "hashtag__name")[:TAG_ROWS]
    )
    for row in tag_rows:
        name = row["hashtag__name"]
        if name in topics.HELLO_TAGS:
            continue
        counts[topics.key_of(name)] += int(row["n"])
    keys = [key for key, _n in counts.most_common()][:limit]
    for curated in topics.CURATED:
        if len(keys) >= limit:
            break
        if curated.en not in keys:
            keys.append(curated.en)
    covers = _topic_covers(viewer, window, keys)
    followed = set(chosen_topics(viewer)) if _viewer_id(viewer) is not None else set()
    out = []
    for key in keys:
        topic = topics.curated(key)
        out.append(
            {
                "key": key,
                "label": topics.label(key, interface_language),
                "other_label": topics.other_label(key, interface_language),
                "tags": list(topics.tags_of(key)),
                "emoji": topic.emoji if topic else "",
                "note_count": counts.get(key, 0),
                "chosen": key in followed,
                "cover": covers.get(key),
            }
        )
    return out


def _topic_covers(viewer: Any, window: QuerySet[Note, Any], keys: list[str]) -> dict[str, Any]:
    by_tag = {tag: key for key in keys for tag in topics.tags_of(key)}
    rows = (
        NoteHashtag.objects.filter(note_id__in=window, hashtag__name__in=list(by_tag))
        .order_by("-note__like_count", "-note__save_count", "-note_id")
        .values_list("note_id", "hashtag__name")[:COVER_ROWS]
    )
    candidates: dict[str, list[int]] = defaultdict(list)
    for note_id, name in rows:
        bucket = candidates[by_tag[name]]
        if len(bucket) < 8:
            bucket.append(note_id)
    chosen: dict[str, int] = {}
    used: set[int] = set()
    for key in keys:  # most used topics pick first; each prefers a note no other topic shows
        options = candidates.get(key, [])
        pick = next((n for n in options if n not in used), options[0] if options else None)
        if pick is not None:
            chosen[key] = pick
            used.add(pick)
    cards = _cards(viewer, list(used))
    out: dict[str, Any] = {}
    for key, note_id in chosen.items():
        card = cards.get(note_id)
        cover = _cover(card) if card else None
        if cover:
            out[key] = cover
    return out


def _reads(user: Any) -> set[str]:
    declared = {str(code) for code in (user.languages or []) if code}
    if declared:
        return declared
    return {str(user.interface_language or "en").split("-")[0]}


def people_suggestions(viewer: Any, *, limit: int = MAX_SUGGESTIONS) -> list[dict[str, Any]]:
    """People to follow: authors of the pool's most liked notes in the member's topics, mostly writing
    in languages the member reads, and up to OTHER_COMMUNITY writing in another language (those in a
    language the member is learning first): the exchange is the point. When the topics give too few,
    popular authors of the pool fill in. Never the member, someone they follow or asked to follow,
    a blocked, muted, private or inactive account. Five queries."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return []
    limit = max(1, min(int(limit), MAX_SUGGESTIONS))
    keys = chosen_topics(viewer)
    tags = {tag: key for key in keys for tag in topics.tags_of(key)}
    notes = (
        pool(viewer)
        .filter(id__in=_window(viewer))
        .exclude(author_id__in=Follow.objects.filter(follower_id=viewer_id).values("followee_id"))
        .exclude(author_id__in=FollowRequest.objects.filter(requester_id=viewer_id).values("target_id"))
    )
    authors: dict[int, _Author] = defaultdict(_Author)
    if tags:
        rows = (
            NoteHashtag.objects.filter(note__in=notes, hashtag__name__in=list(tags))
            .order_by("-note__like_count", "-note_id")
            .values_list(
                "note_id",
                "note__author_id",
                "note__language",
                "note__like_count",
                "note__save_count",
                "hashtag__name",
            )[:SUGGESTION_ROWS]
        )
        for note_id, author_id, language, likes, saves, name in rows:
            _count(authors[author_id], note_id, language, likes, saves, on_topic=True)
            authors[author_id].topics[tags[name]] += 1
    general = notes.order_by("-like_count", "-id").values_list(
        "id", "author_id", "language", "like_count", "save_count"
    )[: SUGGESTION_ROWS // 3]
    for note_id, author_id, language, likes, saves in general:
        _count(authors[author_id], note_id, language, likes, saves, on_topic=False)
    picked = _pick(authors, reads=_reads(viewer), learning=set(viewer.learning_languages or []), limit=limit)
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=picked, is_active=True, is_private=False).only(
            "id", "username", "display_name", "bio", "avatar", "is_private"
        )
    }
    cards = _cards(viewer, [authors[pk].best_note for pk in picked if pk in users])
    reads = _reads(viewer)
    out = []
    for pk in picked:
        user = users.get(pk)
        if user is None:
            continue
        author = authors[pk]
        language = author.languages.most_common(1)[0][0] if author.languages else "und"
        card = cards.get(author.best_note)
        out.append(
            {
                "user": user,  # for the HTML follow button; the API leaves it out
                "username": user.username,
                "display_name": user.display_name,
                "avatar_url": avatar_path_url(user.avatar),
                "bio": _bio_line(user.bio),
                "language": language,
                "language_label": LANGUAGE_AUTONYMS.get(language, ""),
                "other_community": language not in reads and language != "und",
                "topics": [key for key, _n in author.topics.most_common(3)],
                "sample": (
                    {"title": card.title, **(_cover(card) or {})} if card is not None and card.cover else None
                ),
            }
        )
    return out


def _count(author: _Author, note_id: int, language: str, likes: int, saves: int, *, on_topic: bool) -> None:
    author.score += (3.0 if on_topic else 1.0) * (1 + likes + 2 * saves)
    if language and language != "und":
        author.languages[language] += 1
    better = likes > author.best_likes if on_topic == author.best_on_topic else on_topic
    if better:
        author.best_note, author.best_likes, author.best_on_topic = note_id, likes, on_topic


def _pick(authors: dict[int, _Author], *, reads: set[str], learning: set[str], limit: int) -> list[int]:
    """Authors by score: up to OTHER_COMMUNITY from outside the member's languages (learning ones
    first), the rest from within; either side fills in when the other runs short. The others are
    spread among the rest (about one in three)."""
    ranked = sorted(authors, key=lambda pk: (-authors[pk].score, pk))
    position = {pk: i for i, pk in enumerate(ranked)}

    def language(pk: int) -> str:
        langs = authors[pk].languages
        return langs.most_common(1)[0][0] if langs else "und"

    same = [pk for pk in ranked if language(pk) in reads or language(pk) == "und"]
    same_set = set(same)
    other = [pk for pk in ranked if pk not in same_set]
    other.sort(key=lambda pk: (language(pk) not in learning, position[pk]))
    keep_other = min(len(other), OTHER_COMMUNITY if limit > OTHER_COMMUNITY else 1)
    mine = same[: limit - keep_other]
    others = other[:keep_other]
    taken = set(mine) | set(others)
    for pk in ranked:  # one side ran short: the other fills in
        if len(mine) + len(others) >= limit:
            break
        if pk not in taken:
            (mine if pk in same_set else others).append(pk)
            taken.add(pk)
    out: list[int] = []
    while mine or others:
        out.extend(mine[:2])
        mine = mine[2:]
        if others:
            out.append(others.pop(0))
    return out


def _bio_line(bio: str) -> str:
    line = (bio or "").strip().splitlines()[0] if (bio or "").strip() else ""
    return line if len(line) <= BIO_MAX else line[: BIO_MAX - 1].rstrip() + "…"
