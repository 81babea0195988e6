"""Graph's entries in the personal-data registry: follows, follow requests, blocks and mutes.

Another member appears in an export by username only. Follower and following counts are counted from
the Follow rows (graph.selectors), so deleting the rows is all their counters need.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q

from haven.core import personal_data
from haven.graph.models import Block, Follow, FollowRequest, Mute

CHUNK = 2000


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_follows(user: Any) -> Iterator[dict[str, Any]]:
    """The people the member follows (username, since when), then their followers (usernames only)."""
    following = (
        Follow.objects.filter(follower_id=user.pk)
        .order_by("pk")
        .values_list("pk", "followee__username", "created_at")
    )
    for pk, username, created_at in following.iterator(chunk_size=CHUNK):
        yield {"id": pk, "direction": "following", "username": username, "created_at": _iso(created_at)}
    followers = (
        Follow.objects.filter(followee_id=user.pk).order_by("pk").values_list("follower__username", flat=True)
    )
    for username in followers.iterator(chunk_size=CHUNK):
        yield {"direction": "follower", "username": username}


def export_follow_requests(user: Any) -> Iterator[dict[str, Any]]:
    """Pending follow requests the member sent and received (usernames)."""
    sent = (
        FollowRequest.objects.filter(requester_id=user.pk)
        .order_by("pk")
        .values_list("pk", "target__username", "created_at")
    )
    for pk, username, created_at in sent.iterator(chunk_size=CHUNK):
        yield {"id": pk, "direction": "sent", "username": username, "created_at": _iso(created_at)}
    received = (
        FollowRequest.objects.filter(target_id=user.pk)
        .order_by("pk")
        .values_list("requester__username", "created_at")
    )
    for username, created_at in received.iterator(chunk_size=CHUNK):
        yield {"direction": "received", "username": username, "created_at": _iso(created_at)}


def export_blocks(user: Any) -> Iterator[dict[str, Any]]:
    """Members the member blocked (never who blocked them)."""
    rows = (
        Block.objects.filter(blocker_id=user.pk)
        .order_by("pk")
        .values_list("pk", "blocked__username", "created_at")
    )
    for pk, username, created_at in rows.iterator(chunk_size=CHUNK):
        yield {"id": pk, "username": username, "created_at": _iso(created_at)}


def export_mutes(user: Any) -> Iterator[dict[str, Any]]:
    """Members the member muted (never who muted them)."""
    rows = (
        Mute.objects.filter(muter_id=user.pk)
        .order_by("pk")
        .values_list("pk", "muted__username", "created_at")
    )
    for pk, username, created_at in rows.iterator(chunk_size=CHUNK):
        yield {"id": pk, "username": username, "created_at": _iso(created_at)}


def _erase(model: Any, mine: str, theirs: str) -> Any:
    def eraser(user: Any) -> int:
        with transaction.atomic():
            deleted, _per_model = model.objects.filter(
                Q(**{f"{mine}_id": user.pk}) | Q(**{f"{theirs}_id": user.pk})
            ).delete()
        return int(deleted)

    eraser.__name__ = f"erase_{model._meta.model_name}s"
    eraser.__doc__ = f"Delete every {model._meta.verbose_name} from or to the member (both directions)."
    return eraser


erase_follows = _erase(Follow, "follower", "followee")
erase_follow_requests = _erase(FollowRequest, "requester", "target")
erase_blocks = _erase(Block, "blocker", "blocked")
erase_mutes = _erase(Mute, "muter", "muted")


def register_all() -> None:
    """Called from GraphConfig.ready(). Feeds' eraser (order 10) reads follows before they go (50)."""
    personal_data.register(
        Follow,
        section="follows",
        owner_fields=("follower",),
        other_user_fields=("followee",),
        exporter=export_follows,
        eraser=erase_follows,
        order=50,
    )
    personal_data.register(
        FollowRequest,
        section="follow_requests",
        owner_fields=("requester",),
        other_user_fields=("target",),
        exporter=export_follow_requests,
        eraser=erase_follow_requests,
        order=50,
    )
    personal_data.register(
        Block,
        section="blocks",
        owner_fields=("blocker",),
        other_user_fields=("blocked",),
        exporter=export_blocks,
        eraser=erase_blocks,
        order=50,
    )
    personal_data.register(
        Mute,
        section="mutes",
        owner_fields=("muter",),
        other_user_fields=("muted",),
        exporter=export_mutes,
        eraser=erase_mutes,
        order=50,
    )
