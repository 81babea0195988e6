"""Writes of people: former handles, imported contact lists, one-tap follows, join alerts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core import ratelimit
from haven.core.errors import Conflict, HavenError, InvalidInput, NotFound
from haven.core.input import parse_ids
from haven.core.transactions import enqueue_on_commit
from haven.graph import services as graph
from haven.graph.models import Block, Follow, FollowRequest
from haven.notifications.models import Notification
from haven.notifications.services import notify_about
from haven.people import access, searchable, selectors, tasks
from haven.people.handles import check_platform, parse, parse_or_raise
from haven.people.models import Contact, ContactList, FormerHandle

logger = logging.getLogger(__name__)

MAX_HANDLES_PER_PLATFORM: Final = 3
HANDLE_CHANGES_PER_DAY: Final = 20
MAX_CONTACTS: Final = 10_000  # per list
MAX_RAW_CONTACTS: Final = 5 * MAX_CONTACTS  # entries of an import looked at, valid or not
MAX_FOLLOW_MATCHES: Final = 500
ANNOUNCE_BATCH: Final = 1000  # members told per run of announce_handle
_BULK: Final = 1000


def _rate(user: Any) -> None:
    ratelimit.hit("people.handles", str(user.pk), limit=HANDLE_CHANGES_PER_DAY, window_seconds=86_400)


# ----------------------------------------------------------------------------------------------
# Former handles


def handle_add(*, user: User, platform: str, handle: str, discoverable: bool = False) -> FormerHandle:
    """Declare a former handle (self-declared, never verified). InvalidInput `invalid_handle`,
    `invalid_platform`, `too_many_handles` (more than 3 on a platform); Conflict `handle_exists`;
    RateLimited past HANDLE_CHANGES_PER_DAY changes. A discoverable handle is announced on commit."""
    platform = check_platform(platform)
    parsed = parse_or_raise(handle)
    _rate(user)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()  # one add at a time
        mine = FormerHandle.objects.filter(user_id=user.pk, platform=platform)
        if mine.filter(handle_key=parsed.key).exists():
            raise Conflict(_("You already added this handle."), code="handle_exists")
        if mine.count() >= MAX_HANDLES_PER_PLATFORM:
            raise InvalidInput(
                _("You can add at most %(max)d handles per platform.") % {"max": MAX_HANDLES_PER_PLATFORM},
                code="too_many_handles",
                details={"max": MAX_HANDLES_PER_PLATFORM},
            )
        try:
            with transaction.atomic():
                row = FormerHandle.objects.create(
                    user_id=user.pk,
                    platform=platform,
                    handle=parsed.handle,
                    handle_key=parsed.key,
                    loose_key=parsed.loose,
                    discoverable=bool(discoverable),
                )
        except IntegrityError as exc:
            raise Conflict(_("You already added this handle."), code="handle_exists") from exc
        if row.discoverable:
            enqueue_on_commit(tasks.announce_handle, handle_id=row.pk)
            searchable.member_changed(user.pk)
    return row


def handle_update(*, user: User, handle_id: int, discoverable: bool) -> FormerHandle:
    """Let people who followed the member there find them (or stop). NotFound `handle_not_found`."""
    with transaction.atomic():
        row = access.own_handle_or_404(user, handle_id)
        if row.discoverable == bool(discoverable):
            return row
        _rate(user)
        FormerHandle.objects.filter(pk=row.pk).update(discoverable=bool(discoverable))
        row.discoverable = bool(discoverable)
        if row.discoverable:
            enqueue_on_commit(tasks.announce_handle, handle_id=row.pk)
        searchable.member_changed(user.pk)  # found by it now, or no longer
    return row


def handle_delete(*, user: User, handle_id: int) -> None:
    """Remove a former handle. NotFound `handle_not_found`."""
    row = access.own_handle_or_404(user, handle_id)
    _rate(user)
    FormerHandle.objects.filter(pk=row.pk).delete()
    if row.discoverable:
        searchable.member_changed(user.pk)


# ----------------------------------------------------------------------------------------------
# Imported contact lists (the interface haven.imports calls)


@dataclass(slots=True)
class ContactsMerge:
    stored: int  # handles the list holds afterwards
    added: int  # of which new
    skipped: int  # invalid entries (not handles)
    dropped: int  # valid but past MAX_CONTACTS (or past MAX_RAW_CONTACTS entries looked at)


def contacts_merge(
    *, user: User, platform: str, handles: Iterable[str], notify_on_join: bool
) -> ContactsMerge:
    """contacts_import, with the counts: what was added, skipped as invalid, dropped past the bound."""
    platform = check_platform(platform)
    with transaction.atomic():
        contact_list, created = ContactList.objects.get_or_create(
            user_id=user.pk, platform=platform, defaults={"notify_on_join": bool(notify_on_join)}
        )
        contact_list = ContactList.objects.select_for_update().get(pk=contact_list.pk)
        known = set() if created else set(contact_list.contacts.values_list("handle_key", flat=True))
        room = MAX_CONTACTS - len(known)
        new: list[Contact] = []
        skipped = dropped = 0
        for seen, raw in enumerate(handles):
            if seen >= MAX_RAW_CONTACTS:
                dropped += 1  # counted as one: the rest is not read
                break
            parsed = parse(raw)
            if parsed is None:
                skipped += 1
                continue
            if parsed.key in known:
                continue
            if len(new) >= room:
                dropped += 1
                continue
            known.add(parsed.key)
            new.append(
                Contact(
                    list=contact_list, handle=parsed.handle, handle_key=parsed.key, loose_key=parsed.loose
                )
            )
        Contact.objects.bulk_create(new, batch_size=_BULK, ignore_conflicts=True)
        contact_list.notify_on_join = bool(notify_on_join)
        contact_list.save(update_fields=["notify_on_join", "updated_at"])
        stored = contact_list.contacts.count()
    if skipped or dropped:
        logger.info(
            "people: %s list of %s: %d invalid, %d past the bound", platform, user.pk, skipped, dropped
        )
    return ContactsMerge(stored=stored, added=len(new), skipped=skipped, dropped=dropped)


def contacts_import(*, user: User, platform: str, handles: Sequence[str], notify_on_join: bool) -> int:
    """Merge `handles` (a following list exported from `platform`) into the member's list for it,
    creating it; invalid handles are skipped, duplicates folded by key, at most MAX_CONTACTS kept.
    Sets the list's join-alert choice. Returns how many handles the list holds afterwards."""
    return contacts_merge(user=user, platform=platform, handles=handles, notify_on_join=notify_on_join).stored


def contacts_delete(*, user: User, platform: str | None = None) -> int:
    """Delete the member's imported list for `platform` (all lists for None); returns handles deleted."""
    lists = ContactList.objects.filter(user_id=user.pk)
    if platform is not None:
        lists = lists.filter(platform=check_platform(platform))
    with transaction.atomic():
        contacts, _rows = Contact.objects.filter(list__in=lists).delete()
        lists.delete()
    return int(contacts)


def contacts_set_notify(*, user: User, platform: str, notify: bool) -> ContactList:
    """Whether the member is told when someone of that imported list joins. NotFound `contacts_not_found`."""
    row = access.own_list_or_404(user, check_platform(platform))
    if row.notify_on_join != bool(notify):
        row.notify_on_join = bool(notify)
        row.save(update_fields=["notify_on_join", "updated_at"])
    return row


# ----------------------------------------------------------------------------------------------
# One-tap follows


def follow_matches(*, user: User, user_ids: Sequence[int]) -> dict[str, int]:
    """Follow each of `user_ids` that is an offered match of the member (a private account gets a
    request); any other id is skipped, never followed. At most MAX_FOLLOW_MATCHES ids (InvalidInput
    `too_many_ids`). A refusal of graph (limit reached, rate limited) skips the rest."""
    ids = parse_ids(user_ids, max_items=MAX_FOLLOW_MATCHES)
    offered = {m.user.pk: m.user for m in selectors.matches_for(user, limit=None, only_user_ids=ids)}
    counts = {"followed": 0, "requested": 0, "skipped": 0}
    stopped = False
    for pk in ids:
        target = offered.get(pk)
        if target is None or stopped:
            counts["skipped"] += 1
            continue
        try:
            state = graph.follow_create(follower=user, followee=target)
        except (NotFound, InvalidInput):
            counts["skipped"] += 1
            continue
        except HavenError:  # too_many_following, rate limited, a gate: the rest waits
            counts["skipped"] += 1
            stopped = True
            continue
        counts[state] += 1
    return counts


# ----------------------------------------------------------------------------------------------
# Join alerts


def _told_target(handle_id: int) -> str:
    return f"people:{handle_id}"


def handle_announce(*, handle_id: int) -> int:
    """Tell the members whose imported list (same platform, same key, join alerts on) holds this
    discoverable handle that its owner is on Haven: one notification per contact, ever (notified_at
    is set compare-and-set), at most ANNOUNCE_BATCH per run; the task is enqueued again while some
    remain. Nobody is told about a key several members claim (ambiguous), nor the claimer themself,
    nor someone who already follows or asked to follow them, nor across a block. Returns how many
    were told."""
    row = (
        FormerHandle.objects.filter(
            pk=handle_id, discoverable=True, user__is_active=True, user__suspended_until__isnull=True
        )
        .only("id", "user_id", "platform", "handle_key")
        .first()
    )
    if row is None:
        return 0
    claimers = (
        FormerHandle.objects.filter(
            discoverable=True,
            platform=row.platform,
            handle_key=row.handle_key,
            user__is_active=True,
            user__suspended_until__isnull=True,
        )
        .values("user_id")
        .distinct()
        .count()
    )
    if claimers != 1:
        return 0
    claimer = row.user_id
    pending = (
        Contact.objects.filter(
            handle_key=row.handle_key,
            list__platform=row.platform,
            list__notify_on_join=True,
            list__user__is_active=True,
            notified_at__isnull=True,
        )
        .exclude(list__user_id=claimer)
        .exclude(list__user_id__in=Follow.objects.filter(followee_id=claimer).values("follower_id"))
        .exclude(list__user_id__in=FollowRequest.objects.filter(target_id=claimer).values("requester_id"))
        .exclude(list__user_id__in=Block.objects.filter(blocked_id=claimer).values("blocker_id"))
        .exclude(list__user_id__in=Block.objects.filter(blocker_id=claimer).values("blocked_id"))
        .order_by("id")
        .values_list("id", "list__user_id")[:ANNOUNCE_BATCH]
    )
    batch = list(pending)
    told = 0
    now = timezone.now()
    for contact_id, recipient_id in batch:
        with transaction.atomic():
            if not Contact.objects.filter(pk=contact_id, notified_at__isnull=True).update(notified_at=now):
                continue  # another run told them
            notify_about(
                recipient_id=recipient_id,
                actor_id=claimer,
                verb=Notification.Verb.PEOPLE_JOINED,
                target=_told_target(row.pk),
            )
            told += 1
    if len(batch) >= ANNOUNCE_BATCH:
        tasks.announce_handle.enqueue(handle_id=row.pk)
    return told
