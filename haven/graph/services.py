"""Writes of the social graph: follows, follow requests, follower removal, blocks and mutes.

All of them are idempotent: repeating a call leaves the same state and sends no second notification.
"""

from __future__ import annotations

from typing import Final, Literal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import gates
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.graph import hooks
from haven.graph.models import Block, Follow, FollowRequest, Mute
from haven.notifications.models import Notification
from haven.notifications.services import notification_purge_between, notification_retract, notify

FollowState = Literal["followed", "requested"]

MAX_FOLLOWING: Final = 5000  # bounds the Following feed's fan-out-on-read and follow-spam
MAX_BLOCKS: Final = 10_000
MAX_MUTES: Final = 10_000
_APPROVE_ALL_BATCH: Final = 500

Verb = Notification.Verb


def _not_found() -> NotFound:
    return NotFound(_("No such member."), code="not_found")


def _privacy_of(user_id: int) -> bool | None:
    """A member's is_private flag (None if they are gone).

    A private account's row is then locked for the transaction, which serialises a new request with
    a concurrent private -> public switch (accounts.profile_update locks the same row and approves
    pending requests). Public accounts are not locked, so popular ones take follows in parallel.
    """
    members = User.objects.filter(pk=user_id, is_active=True).values_list("is_private", flat=True)
    is_private = members.first()
    if is_private:
        is_private = members.select_for_update().first()
    return is_private


def _blocked_between(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


# ----------------------------------------------------------------------------------------------
# Follows and follow requests


def follow_create(*, follower: User, followee: User) -> FollowState:
    """Follow `followee`; for a private account this files a request instead ("requested").

    A block in either direction makes the followee look missing (NotFound).
    """
    if follower.pk == followee.pk:
        raise InvalidInput(_("You cannot follow yourself."), code="cannot_follow_self")
    gates.check("follow", user=follower, followee_id=followee.pk)
    with transaction.atomic():
        is_private = _privacy_of(followee.pk)
        if is_private is None or _blocked_between(follower.pk, followee.pk):
            raise _not_found()
        if Follow.objects.filter(follower_id=follower.pk, followee_id=followee.pk).exists():
            return "followed"
        if is_private:
            _request, created = FollowRequest.objects.get_or_create(
                requester_id=follower.pk, target_id=followee.pk
            )
            if created:
                notify(recipient_id=followee.pk, actor_id=follower.pk, verb=Verb.FOLLOW_REQUEST)
            return "requested"
        if Follow.objects.filter(follower_id=follower.pk).count() >= MAX_FOLLOWING:
            raise Conflict(
                _("You follow too many accounts; unfollow some first."),
                code="too_many_following",
                details={"max": MAX_FOLLOWING},
            )
        _follow, created = Follow.objects.get_or_create(follower_id=follower.pk, followee_id=followee.pk)
        if created:
            notify(recipient_id=followee.pk, actor_id=follower.pk, verb=Verb.FOLLOW)
        return "followed"


def follow_delete(*, follower: User, followee: User) -> None:
    """Unfollow `followee`, or withdraw a pending request to follow them."""
    with transaction.atomic():
        unfollowed, _rows = Follow.objects.filter(follower_id=follower.pk, followee_id=followee.pk).delete()
        withdrawn, _rows = FollowRequest.objects.filter(
            requester_id=follower.pk, target_id=followee.pk
        ).delete()
        if unfollowed:
            notification_retract(recipient_id=followee.pk, actor_id=follower.pk, verb=Verb.FOLLOW)
        if withdrawn:
            notification_retract(recipient_id=followee.pk, actor_id=follower.pk, verb=Verb.FOLLOW_REQUEST)


def _accept(*, target_id: int, requester_ids: list[int]) -> None:
    """Turn requests into follows and tell each requester; the requests must be deleted already."""
    Follow.objects.bulk_create(
        [Follow(follower_id=rid, followee_id=target_id) for rid in requester_ids], ignore_conflicts=True
    )
    for rid in requester_ids:
        notification_retract(recipient_id=target_id, actor_id=rid, verb=Verb.FOLLOW_REQUEST)
        notify(recipient_id=rid, actor_id=target_id, verb=Verb.FOLLOW_ACCEPTED)


def follow_request_approve(*, target: User, requester: User) -> None:
    """Approve a pending request: the requester now follows `target` and is notified."""
    with transaction.atomic():
        deleted, _rows = FollowRequest.objects.filter(requester_id=requester.pk, target_id=target.pk).delete()
        if not deleted:
            raise NotFound(_("There is no such follow request."), code="follow_request_not_found")
        _accept(target_id=target.pk, requester_ids=[requester.pk])


def follow_request_deny(*, target: User, requester: User) -> None:
    """Refuse a pending request (the requester is not told)."""
    with transaction.atomic():
        deleted, _rows = FollowRequest.objects.filter(requester_id=requester.pk, target_id=target.pk).delete()
        if not deleted:
            raise NotFound(_("There is no such follow request."), code="follow_request_not_found")
        notification_retract(recipient_id=target.pk, actor_id=requester.pk, verb=Verb.FOLLOW_REQUEST)


def follow_requests_approve_all(*, target: User) -> int:
    """Approve every pending request of `target` (run when a private account becomes public).

    accounts.services.profile_update calls it through accounts.hooks (graph registers it in
    GraphConfig.ready), inside the profile update's transaction. Returns how many were approved.
    """
    approved = 0
    with transaction.atomic():
        while True:
            batch = list(
                FollowRequest.objects.filter(target_id=target.pk)
                .order_by("pk")
                .values_list("pk", "requester_id")[:_APPROVE_ALL_BATCH]
            )
            if not batch:
                return approved
            FollowRequest.objects.filter(pk__in=[pk for pk, _rid in batch]).delete()
            _accept(target_id=target.pk, requester_ids=[rid for _pk, rid in batch])
            approved += len(batch)


def approve_pending_on_made_public(user: User) -> None:
    """accounts.hooks callback: a member who turned public has their pending requests approved."""
    follow_requests_approve_all(target=user)


def follower_remove(*, owner: User, follower: User) -> None:
    """`owner` removes `follower` from their followers (no block; they may follow again)."""
    with transaction.atomic():
        removed, _rows = Follow.objects.filter(follower_id=follower.pk, followee_id=owner.pk).delete()
        if removed:
            notification_retract(recipient_id=owner.pk, actor_id=follower.pk, verb=Verb.FOLLOW)


# ----------------------------------------------------------------------------------------------
# Blocks and mutes


def block_create(*, blocker: User, blocked: User) -> None:
    """Block a member: follows and follow requests in both directions and their notifications go."""
    if blocker.pk == blocked.pk:
        raise InvalidInput(_("You cannot block yourself."), code="cannot_block_self")
    with transaction.atomic():
        if Block.objects.filter(blocker_id=blocker.pk, blocked_id=blocked.pk).exists():
            return
        if Block.objects.filter(blocker_id=blocker.pk).count() >= MAX_BLOCKS:
            raise Conflict(
                _("You have blocked too many accounts."), code="too_many_blocks", details={"max": MAX_BLOCKS}
            )
        Block.objects.get_or_create(blocker_id=blocker.pk, blocked_id=blocked.pk)
        a, b = blocker.pk, blocked.pk
        Follow.objects.filter(Q(follower_id=a, followee_id=b) | Q(follower_id=b, followee_id=a)).delete()
        FollowRequest.objects.filter(Q(requester_id=a, target_id=b) | Q(requester_id=b, target_id=a)).delete()
        notification_purge_between(user_a_id=blocker.pk, user_b_id=blocked.pk)
        hooks.member_blocked(blocker.pk, blocked.pk)


def block_delete(*, blocker: User, blocked: User) -> None:
    """Lift a block (follows removed by the block are not restored)."""
    Block.objects.filter(blocker_id=blocker.pk, blocked_id=blocked.pk).delete()


def mute_create(*, muter: User, muted: User) -> None:
    """Mute a member: their notes leave the muter's feeds; nothing else changes and they are not told."""
    if muter.pk == muted.pk:
        raise InvalidInput(_("You cannot mute yourself."), code="cannot_mute_self")
    with transaction.atomic():
        if Mute.objects.filter(muter_id=muter.pk, muted_id=muted.pk).exists():
            return
        if Mute.objects.filter(muter_id=muter.pk).count() >= MAX_MUTES:
            raise Conflict(
                _("You have muted too many accounts."), code="too_many_mutes", details={"max": MAX_MUTES}
            )
        Mute.objects.get_or_create(muter_id=muter.pk, muted_id=muted.pk)


def mute_delete(*, muter: User, muted: User) -> None:
    """Unmute a member."""
    Mute.objects.filter(muter_id=muter.pk, muted_id=muted.pk).delete()
