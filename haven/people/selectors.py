"""Reads of people: a member's handles, their imported lists, and whom those lists match on Haven.

Matching (matches_for) compares the member's imported following lists with the handles other members
declared *discoverable*:
- exact: a handle on the same platform with the same key (casefolded), claimed by exactly one member;
- likely (to confirm): the same key claimed by several members (who is who is not known), or the same
  loose key (without "." and "_") but another key, or the same key declared for the other platform.
Claims are counted among every discoverable handle of an active account, so a claimer hidden from the
member still makes a key ambiguous. Offered are only members access.matchable_users lets matching
offer. One member appears once, with their best match (exact before likely).

Queries: one for the member's contacts, one per chunk of CHUNK keys for the handles, one per chunk
of candidates for who may be offered, one for the members: a constant number for a bounded list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from haven.accounts.models import User
from haven.people import access
from haven.people.handles import platform_label
from haven.people.models import Contact, ContactList, FormerHandle

CHUNK = 1000  # keys per IN (...) list
MAX_MATCHES = 500  # matches shown at once (and the most one tap follows)

EXACT = "exact"
LIKELY = "likely"


@dataclass(slots=True)
class Match:
    """A member of Haven who may be someone the viewer followed elsewhere."""

    user: User
    platform: str  # of the member's declared handle
    handle: str  # the member's declared handle, as typed
    kind: str  # "exact" | "likely"
    contact_platform: str  # of the imported list
    contact_handle: str  # the handle in the imported list it matched

    @property
    def platform_label(self) -> str:
        return platform_label(self.platform)

    @property
    def contact_platform_label(self) -> str:
        return platform_label(self.contact_platform)


def _chunks[T](items: list[T], size: int = CHUNK) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _claims() -> Any:
    """Discoverable handles of active, unsuspended accounts: what matching looks among."""
    return FormerHandle.objects.filter(
        discoverable=True, user__is_active=True, user__suspended_until__isnull=True
    )


def matches_for(
    user: Any,
    *,
    platform: str | None = None,
    limit: int | None = MAX_MATCHES,
    only_user_ids: Iterable[int] | None = None,
) -> list[Match]:
    """Whom the member's imported lists (of `platform`, or all) match: exact ones first, then likely
    ones, each by handle; at most `limit` (None: all). `only_user_ids` restricts the candidates (to
    check that ids a client sent are offered matches)."""
    if not getattr(user, "is_authenticated", False):
        return []
    contacts = Contact.objects.filter(list__user_id=user.pk)
    if platform is not None:
        contacts = contacts.filter(list__platform=platform)
    rows = list(contacts.values_list("list__platform", "handle", "handle_key", "loose_key"))
    if not rows:
        return []
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)  # key -> [(platform, contact handle)]
    by_loose: dict[tuple[str, str], tuple[str, str]] = {}  # (platform, loose) -> (key, contact handle)
    for list_platform, handle, key, loose in rows:
        by_key[key].append((list_platform, handle))
        if loose:
            by_loose.setdefault((list_platform, loose), (key, handle))
    keys = sorted(by_key)
    looses = sorted({loose for _p, loose in by_loose})
    wanted = None if only_user_ids is None else {int(i) for i in only_user_ids}
    if wanted is not None and not wanted:
        return []

    handles: dict[int, tuple[int, str, str, str, str]] = {}  # id -> (user, platform, handle, key, loose)
    for key_chunk in _chunks(keys) if keys else ():
        query = _claims().filter(handle_key__in=key_chunk)
        for row in query.values_list("id", "user_id", "platform", "handle", "handle_key", "loose_key"):
            handles[row[0]] = row[1:]  # type: ignore[assignment]
    for loose_chunk in _chunks(looses) if looses else ():
        query = _claims().filter(loose_key__in=loose_chunk)
        if platform is not None:
            query = query.filter(platform=platform)
        for row in query.values_list("id", "user_id", "platform", "handle", "handle_key", "loose_key"):
            handles[row[0]] = row[1:]  # type: ignore[assignment]

    claimers: dict[tuple[str, str], set[int]] = defaultdict(set)  # (platform, key) -> members
    for user_id, handle_platform, _h, key, _l in handles.values():
        claimers[(handle_platform, key)].add(user_id)

    best: dict[int, tuple[int, str, Match]] = {}  # member -> (rank, sort key, match)

    def offer(user_id: int, rank: int, match: Match) -> None:
        if wanted is not None and user_id not in wanted:
            return
        order = match.contact_handle.casefold()
        current = best.get(user_id)
        if current is None or (rank, order) < (current[0], current[1]):
            best[user_id] = (rank, order, match)

    for user_id, handle_platform, handle, key, loose in handles.values():
        for list_platform, contact_handle in by_key.get(key, ()):
            if list_platform == handle_platform:
                exact = len(claimers[(handle_platform, key)]) == 1
                kind, rank = (EXACT, 0) if exact else (LIKELY, 1)
            else:
                kind, rank = LIKELY, 2
            offer(
                user_id, rank, _match(user_id, handle_platform, handle, kind, list_platform, contact_handle)
            )
        near = by_loose.get((handle_platform, loose)) if loose else None
        if near is not None and near[0] != key:
            offer(user_id, 3, _match(user_id, handle_platform, handle, LIKELY, handle_platform, near[1]))

    if not best:
        return []
    candidate_ids = sorted(best)
    allowed: set[int] = set()
    for id_chunk in _chunks(candidate_ids):
        allowed.update(access.matchable_users(user).filter(pk__in=id_chunk).values_list("pk", flat=True))
    ranked = sorted(
        (entry for user_id, entry in best.items() if user_id in allowed),
        key=lambda entry: (0 if entry[2].kind == EXACT else 1, entry[1], entry[2].user.pk),
    )
    if limit is not None:
        ranked = ranked[: max(0, int(limit))]
    members = {
        u.pk: u
        for u in User.objects.filter(pk__in=[entry[2].user.pk for entry in ranked]).only(
            "id", "username", "display_name", "bio", "avatar", "avatar_blurhash", "is_private"
        )
    }
    out: list[Match] = []
    for _rank, _order, match in ranked:
        member = members.get(match.user.pk)
        if member is not None:
            match.user = member
            out.append(match)
    return out


def _match(user_id: int, platform: str, handle: str, kind: str, list_platform: str, contact: str) -> Match:
    return Match(
        user=User(pk=user_id),
        platform=platform,
        handle=handle,
        kind=kind,
        contact_platform=list_platform,
        contact_handle=contact,
    )


def handles_of(owner: User, viewer: Any) -> list[FormerHandle]:
    """The former handles to show on `owner`'s profile to `viewer`: all of them to the owner, the
    discoverable ones to others who may see the profile."""
    return list(access.handles_visible(viewer, owner).order_by("platform", "created_at", "id"))


def my_handles(user: Any) -> list[FormerHandle]:
    """The member's own handles, by platform."""
    return list(access.handles_of(user).order_by("platform", "created_at", "id"))


def contact_lists(user: Any) -> list[dict[str, Any]]:
    """The member's imported lists: platform, how many handles, the join-alert choice, dates."""
    rows = access.lists_of(user).annotate(count=Count("contacts")).order_by("platform")
    return [
        {
            "platform": row.platform,
            "platform_label": platform_label(row.platform),
            "count": row.count,  # type: ignore[attr-defined]
            "notify_on_join": row.notify_on_join,
            "imported_at": row.imported_at,
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


def has_contacts(user: Any) -> bool:
    return access.lists_of(user).filter(Q(contacts__isnull=False)).exists()


def contact_list(user: Any, platform: str) -> ContactList | None:
    return access.lists_of(user).filter(platform=platform).first()
