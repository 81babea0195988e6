"""Who may see a member's profile and connections: the graph's visibility choke point."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.accounts.selectors import user_by_username
from haven.core.errors import NotFound
from haven.graph import selectors
from haven.graph.models import Block, Mute
from haven.graph.selectors import Viewer, member_id


def can_view_profile(viewer: Viewer, owner: User) -> bool:
    """A profile is visible unless the owner is gone or a block exists between viewer and owner.

    (A private profile still shows its header; its notes are filtered by the note rule.)
    """
    if not owner.is_active:
        return False
    vid = member_id(viewer)
    if vid is None or vid == owner.pk:
        return True
    return not selectors.is_blocked_between(viewer, owner)


def can_view_connections(viewer: Viewer, owner: User) -> bool:
    """Follower/following lists: like the profile, and for a private account only itself and its followers."""
    if not can_view_profile(viewer, owner):
        return False
    if not owner.is_private or member_id(viewer) == owner.pk:
        return True
    return selectors.is_following(viewer, owner)


def visible_user_or_404(viewer: Viewer, username: str) -> User:
    """The member `username` if `viewer` may see their profile; NotFound otherwise (missing or hidden)."""
    user = user_by_username(username)
    if user is None or not can_view_profile(viewer, user):
        raise NotFound(_("No such member."), code="not_found")
    return user


def findable_members(viewer: Viewer) -> QuerySet[User]:
    """Members `viewer` may find in search and suggestions: active, not blocked either way, not muted."""
    users = User.objects.filter(is_active=True)
    vid = member_id(viewer)
    if vid is None:
        return users
    return users.exclude(
        Q(Exists(Block.objects.filter(blocker_id=vid, blocked_id=OuterRef("pk"))))
        | Q(Exists(Block.objects.filter(blocker_id=OuterRef("pk"), blocked_id=vid)))
        | Q(Exists(Mute.objects.filter(muter_id=vid, muted_id=OuterRef("pk"))))
    )
