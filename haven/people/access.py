"""Who may see or change which former handle or contact list, and whom matching may offer.

The rules:
- A former handle is seen by its owner always; by anyone else only when it is `discoverable` and
  they may see the owner's profile (graph.access.can_view_profile: active, no block either way).
- Handles and contact lists are changed by their owner only; someone else's and a missing one look
  the same (NotFound `handle_not_found` / `contacts_not_found`).
- Matching offers `viewer` only members they may find (graph.access.findable_members: active, no
  block either way, not muted), not suspended, not themself, not already followed or requested.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.errors import NotFound
from haven.graph import access as graph_access
from haven.graph.models import Follow, FollowRequest
from haven.people.models import ContactList, FormerHandle


def _member_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


def handles_visible(viewer: Any, owner: User) -> QuerySet[FormerHandle]:
    """The handles of `owner` that `viewer` may see (see the module rule)."""
    handles = FormerHandle.objects.filter(user_id=owner.pk)
    if _member_id(viewer) == owner.pk:
        return handles
    if not graph_access.can_view_profile(viewer, owner):
        return FormerHandle.objects.none()
    return handles.filter(discoverable=True)


def handles_of(user: Any) -> QuerySet[FormerHandle]:
    """The member's own handles (an anonymous visitor has none)."""
    uid = _member_id(user)
    if uid is None:
        return FormerHandle.objects.none()
    return FormerHandle.objects.filter(user_id=uid)


def own_handle_or_404(user: Any, handle_id: int) -> FormerHandle:
    handle = handles_of(user).filter(pk=handle_id).first()
    if handle is None:
        raise NotFound(_("No such handle."), code="handle_not_found")
    return handle


def lists_of(user: Any) -> QuerySet[ContactList]:
    """The member's own imported contact lists."""
    uid = _member_id(user)
    if uid is None:
        return ContactList.objects.none()
    return ContactList.objects.filter(user_id=uid)


def own_list_or_404(user: Any, platform: str) -> ContactList:
    row = lists_of(user).filter(platform=platform).first()
    if row is None:
        raise NotFound(_("No imported list for this platform."), code="contacts_not_found")
    return row


def matchable_users(viewer: Any) -> QuerySet[User]:
    """Members matching may offer `viewer` (see the module rule); none for an anonymous visitor."""
    uid = _member_id(viewer)
    if uid is None:
        return User.objects.none()
    return (
        graph_access.findable_members(viewer)
        .filter(suspended_until__isnull=True)
        .exclude(pk=uid)
        .exclude(pk__in=Follow.objects.filter(follower_id=uid).values("followee_id"))
        .exclude(pk__in=FollowRequest.objects.filter(requester_id=uid).values("target_id"))
    )
