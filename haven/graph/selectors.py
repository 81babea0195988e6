"""Reads of the social graph: who follows, blocks and mutes whom; pages of followers and following.

Every function accepts an AnonymousUser (or None) where a viewer is expected and then answers as if
the viewer had no relationships at all: empty sets, False, zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import InvalidInput
from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor
from haven.graph.models import Block, Follow, FollowRequest, Mute

Viewer = User | AnonymousUser | None


def member_id(user: Viewer) -> int | None:
    """The id of a signed-in member, None for anonymous viewers."""
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


# ----------------------------------------------------------------------------------------------
# Id sets and yes/no questions


def following_ids(user: Viewer) -> set[int]:
    """Ids of the members `user` follows."""
    uid = member_id(user)
    if uid is None:
        return set()
    return set(Follow.objects.filter(follower_id=uid).values_list("followee_id", flat=True))


def follower_ids(user: Viewer) -> set[int]:
    """Ids of the members who follow `user`."""
    uid = member_id(user)
    if uid is None:
        return set()
    return set(Follow.objects.filter(followee_id=uid).values_list("follower_id", flat=True))


def follower_count(user: Viewer) -> int:
    uid = member_id(user)
    return 0 if uid is None else Follow.objects.filter(followee_id=uid).count()


def following_count(user: Viewer) -> int:
    uid = member_id(user)
    return 0 if uid is None else Follow.objects.filter(follower_id=uid).count()


def follow_counts(user: Viewer) -> tuple[int, int]:
    """(follower_count, following_count) in one query."""
    uid = member_id(user)
    if uid is None:
        return 0, 0
    counts = Follow.objects.filter(Q(followee_id=uid) | Q(follower_id=uid)).aggregate(
        followers=Count("pk", filter=Q(followee_id=uid)),
        following=Count("pk", filter=Q(follower_id=uid)),
    )
    return int(counts["followers"] or 0), int(counts["following"] or 0)


def is_following(follower: Viewer, followee: Viewer) -> bool:
    a, b = member_id(follower), member_id(followee)
    if a is None or b is None:
        return False
    return Follow.objects.filter(follower_id=a, followee_id=b).exists()


def following_among(user: Viewer, ids: Iterable[int]) -> set[int]:
    """Which of `ids` `user` follows (one query; for follow buttons on a page of people)."""
    uid = member_id(user)
    wanted = set(ids)
    if uid is None or not wanted:
        return set()
    return set(
        Follow.objects.filter(follower_id=uid, followee_id__in=wanted).values_list("followee_id", flat=True)
    )


def blocked_ids(user: Viewer) -> set[int]:
    """Ids of members with a block between them and `user`, in either direction."""
    uid = member_id(user)
    if uid is None:
        return set()
    made = Block.objects.filter(blocker_id=uid).values_list("blocked_id", flat=True)
    received = Block.objects.filter(blocked_id=uid).values_list("blocker_id", flat=True)
    return set(made.union(received))


def blocked_among(user: Viewer, ids: Iterable[int]) -> set[int]:
    """Which of `ids` have a block with `user` in either direction (one query)."""
    uid = member_id(user)
    wanted = set(ids)
    if uid is None or not wanted:
        return set()
    rows = Block.objects.filter(
        Q(blocker_id=uid, blocked_id__in=wanted) | Q(blocked_id=uid, blocker_id__in=wanted)
    ).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == uid else blocker for blocker, blocked in rows}


def is_blocked_between(a: Viewer, b: Viewer) -> bool:
    """True when either member blocked the other."""
    x, y = member_id(a), member_id(b)
    if x is None or y is None or x == y:
        return False
    return Block.objects.filter(Q(blocker_id=x, blocked_id=y) | Q(blocker_id=y, blocked_id=x)).exists()


def blocks_exclusion(viewer: Viewer, field: str) -> Q:
    """A Q that matches rows whose `field` (a user FK) has a block with `viewer`; use with .exclude()."""
    uid = member_id(viewer)
    if uid is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": Block.objects.filter(blocker_id=uid).values("blocked_id")}) | Q(
        **{f"{field}__in": Block.objects.filter(blocked_id=uid).values("blocker_id")}
    )


def muted_ids(user: Viewer) -> set[int]:
    """Ids of the members `user` muted."""
    uid = member_id(user)
    if uid is None:
        return set()
    return set(Mute.objects.filter(muter_id=uid).values_list("muted_id", flat=True))


def has_pending_request(requester: Viewer, target: Viewer) -> bool:
    a, b = member_id(requester), member_id(target)
    if a is None or b is None:
        return False
    return FollowRequest.objects.filter(requester_id=a, target_id=b).exists()


def pending_requests(target: Viewer) -> QuerySet[FollowRequest]:
    """Follow requests waiting for `target`, newest first, with the requester loaded."""
    uid = member_id(target)
    if uid is None:
        return FollowRequest.objects.none()
    return (
        FollowRequest.objects.filter(target_id=uid, requester__is_active=True)
        .select_related("requester")
        .order_by("-created_at", "-id")
    )


def _count(edges: QuerySet[Any], column: str) -> Coalesce:
    counted = edges.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def profile_facts(viewer: Viewer, owner: User) -> tuple[int, int, dict[str, bool]]:
    """(follower_count, following_count, relationship) of a profile card in one query: follow_counts
    and relationship (the same answers) as columns of one row."""
    empty = {"following": False, "requested": False, "followed_by": False, "blocking": False, "muting": False}
    vid = member_id(viewer)
    columns: dict[str, Any] = {
        "followers": _count(Follow.objects.filter(followee_id=OuterRef("pk")), "followee_id"),
        "followings": _count(Follow.objects.filter(follower_id=OuterRef("pk")), "follower_id"),
    }
    related = vid is not None and vid != owner.pk
    if vid is not None and related:
        columns.update(_relationship_columns(vid))
    row = User.objects.filter(pk=owner.pk).annotate(**columns).values(*columns).first()
    if row is None:
        return 0, 0, empty
    relation = {key: bool(row[key]) for key in empty} if related else empty
    return int(row["followers"]), int(row["followings"]), relation


def _relationship_columns(vid: int) -> dict[str, Exists]:
    return {
        "following": Exists(Follow.objects.filter(follower_id=vid, followee_id=OuterRef("pk"))),
        "requested": Exists(FollowRequest.objects.filter(requester_id=vid, target_id=OuterRef("pk"))),
        "followed_by": Exists(Follow.objects.filter(follower_id=OuterRef("pk"), followee_id=vid)),
        "blocking": Exists(Block.objects.filter(blocker_id=vid, blocked_id=OuterRef("pk"))),
        "muting": Exists(Mute.objects.filter(muter_id=vid, muted_id=OuterRef("pk"))),
    }


def relationship(viewer: Viewer, owner: User) -> dict[str, bool]:
    """How `viewer` relates to `owner`, in one query: following, requested, followed_by, blocking, muting."""
    empty = {"following": False, "requested": False, "followed_by": False, "blocking": False, "muting": False}
    vid = member_id(viewer)
    if vid is None or vid == owner.pk:
        return empty
    row = User.objects.filter(pk=owner.pk).annotate(**_relationship_columns(vid)).values(*empty).first()
    return {key: bool(row[key]) for key in empty} if row else empty


# ----------------------------------------------------------------------------------------------
# Cursor pages (keyset on (created_at, id) of the edge, newest first)


@dataclass(frozen=True)
class Edge[T]:
    """A member on a page of edges, with when the edge was made (followed, requested, blocked...)."""

    user: T
    since: datetime


def _decode(cursor: str | None, scope: str) -> tuple[datetime, int] | None:
    data = decode_cursor(cursor, scope=scope)
    if data is None:
        return None
    moment = parse_datetime(str(data.get("t", "")))
    ident = data.get("i")
    if moment is None or not isinstance(ident, int):
        raise InvalidInput(_("The cursor is not valid."), code="invalid_cursor")
    return moment, ident


def _page(qs: QuerySet[Any], cursor: str | None, limit: int | None, user_field: str) -> Page[Edge[Any]]:
    size = clamp_page_size(limit)
    scope = f"graph.{qs.model.__name__}.{user_field}"  # a cursor works only on the list it came from
    position = _decode(cursor, scope)
    if position is not None:
        moment, ident = position
        qs = qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=ident))
    rows: list[Any] = list(qs.select_related(user_field).order_by("-created_at", "-pk")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor({"t": rows[-1].created_at.isoformat(), "i": rows[-1].pk}, scope=scope)
    return Page(items=[Edge(getattr(r, user_field), r.created_at) for r in rows], next_cursor=next_cursor)


def followers_page(
    owner: User, cursor: str | None, limit: int | None, *, viewer: Viewer = None
) -> Page[Edge[User]]:
    """Members following `owner`, newest first; those with a block with `viewer` are left out."""
    qs = Follow.objects.filter(followee_id=owner.pk, follower__is_active=True)
    if member_id(viewer) is not None:
        qs = qs.exclude(blocks_exclusion(viewer, "follower"))
    return _page(qs, cursor, limit, "follower")


def following_page(
    owner: User, cursor: str | None, limit: int | None, *, viewer: Viewer = None
) -> Page[Edge[User]]:
    """Members `owner` follows, newest first; those with a block with `viewer` are left out."""
    qs = Follow.objects.filter(follower_id=owner.pk, followee__is_active=True)
    if member_id(viewer) is not None:
        qs = qs.exclude(blocks_exclusion(viewer, "followee"))
    return _page(qs, cursor, limit, "followee")


def requests_page(target: User, cursor: str | None, limit: int | None) -> Page[Edge[User]]:
    """Members waiting for `target` to approve their follow request, newest first."""
    qs = FollowRequest.objects.filter(target_id=target.pk, requester__is_active=True)
    return _page(qs, cursor, limit, "requester")


def blocks_page(user: User, cursor: str | None, limit: int | None) -> Page[Edge[User]]:
    """Members `user` blocked, newest first."""
    return _page(Block.objects.filter(blocker_id=user.pk), cursor, limit, "blocked")


def mutes_page(user: User, cursor: str | None, limit: int | None) -> Page[Edge[User]]:
    """Members `user` muted, newest first."""
    return _page(Mute.objects.filter(muter_id=user.pk), cursor, limit, "muted")
