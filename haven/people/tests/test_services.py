"""Services of people: handle validation and bounds, contact imports, one-tap follows, join alerts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from haven.graph import services as graph
from haven.graph.models import Follow, FollowRequest
from haven.notifications.models import Notification
from haven.people import services
from haven.people.handles import parse
from haven.people.models import Contact, ContactList, FormerHandle
from haven.people.tests.factories import claim, contacts, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("anna", ("anna", "anna", "anna")),
        ("@Anna.Cooks", ("Anna.Cooks", "anna.cooks", "annacooks")),
        ("  @anna_cooks_ ", ("anna_cooks_", "anna_cooks_", "annacooks")),
        ("a" * 30, ("a" * 30, "a" * 30, "a" * 30)),
    ],
)
def test_parse_valid(raw: str, expected: tuple[str, str, str]) -> None:
    assert tuple(parse(raw)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw", ["", "@", "@@anna", "anna cooks", "anna-cooks", "a" * 31, "ánna", "anna!", "x" * 500]
)
def test_parse_invalid(raw: str) -> None:
    assert parse(raw) is None


def test_handle_add_validates_and_bounds() -> None:
    user = member()
    row = services.handle_add(user=user, platform="tiktok", handle="@Anna.Cooks")
    assert (row.handle, row.handle_key, row.loose_key, row.discoverable) == (
        "Anna.Cooks",
        "anna.cooks",
        "annacooks",
        False,
    )
    with pytest.raises(Conflict) as exc:
        services.handle_add(user=user, platform="tiktok", handle="anna.COOKS")
    assert exc.value.code == "handle_exists"
    with pytest.raises(InvalidInput) as exc2:
        services.handle_add(user=user, platform="tiktok", handle="anna cooks")
    assert exc2.value.code == "invalid_handle"
    with pytest.raises(InvalidInput) as exc3:
        services.handle_add(user=user, platform="myspace", handle="anna")
    assert exc3.value.code == "invalid_platform"
    services.handle_add(user=user, platform="tiktok", handle="anna2")
    services.handle_add(user=user, platform="tiktok", handle="anna3")
    with pytest.raises(InvalidInput) as exc4:
        services.handle_add(user=user, platform="tiktok", handle="anna4")
    assert exc4.value.code == "too_many_handles"
    # The same handle on the other platform is another handle.
    services.handle_add(user=user, platform="instagram", handle="anna.cooks")
    assert FormerHandle.objects.filter(user=user).count() == 4


def test_handle_changes_are_rate_limited() -> None:
    user = member()
    row = services.handle_add(user=user, platform="tiktok", handle="anna")
    with pytest.raises(RateLimited):
        for i in range(services.HANDLE_CHANGES_PER_DAY + 1):
            services.handle_update(user=user, handle_id=row.pk, discoverable=i % 2 == 0)


def test_handle_update_and_delete_are_owner_only() -> None:
    owner, other = member(), member()
    row = services.handle_add(user=owner, platform="tiktok", handle="anna")
    with pytest.raises(NotFound) as exc:
        services.handle_update(user=other, handle_id=row.pk, discoverable=True)
    assert exc.value.code == "handle_not_found"
    with pytest.raises(NotFound):
        services.handle_delete(user=other, handle_id=row.pk)
    assert services.handle_update(user=owner, handle_id=row.pk, discoverable=True).discoverable
    services.handle_delete(user=owner, handle_id=row.pk)
    assert not FormerHandle.objects.filter(pk=row.pk).exists()


def test_contacts_import_merges_dedups_skips_and_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    user = member()
    stored = services.contacts_import(
        user=user,
        platform="tiktok",
        handles=["@anna", "ANNA", "bob.b", "not a handle", "", "x" * 40],
        notify_on_join=False,
    )
    assert stored == 2
    result = services.contacts_merge(
        user=user, platform="tiktok", handles=["bob.b", "carol", "??"], notify_on_join=True
    )
    assert (result.stored, result.added, result.skipped, result.dropped) == (3, 1, 1, 0)
    assert ContactList.objects.get(user=user, platform="tiktok").notify_on_join
    monkeypatch.setattr(services, "MAX_CONTACTS", 4)
    result = services.contacts_merge(
        user=user, platform="tiktok", handles=["d", "e", "f"], notify_on_join=True
    )
    assert (result.stored, result.added, result.dropped) == (4, 1, 2)
    with pytest.raises(InvalidInput):
        services.contacts_import(user=user, platform="vine", handles=["a"], notify_on_join=False)


def test_contacts_set_notify_and_delete() -> None:
    user = member()
    services.contacts_import(user=user, platform="tiktok", handles=["a", "b"], notify_on_join=False)
    services.contacts_import(user=user, platform="instagram", handles=["c"], notify_on_join=False)
    assert services.contacts_set_notify(user=user, platform="tiktok", notify=True).notify_on_join
    with pytest.raises(NotFound) as exc:
        services.contacts_set_notify(user=member(), platform="tiktok", notify=True)
    assert exc.value.code == "contacts_not_found"
    assert services.contacts_delete(user=user, platform="tiktok") == 2
    assert list(ContactList.objects.filter(user=user).values_list("platform", flat=True)) == ["instagram"]
    assert services.contacts_delete(user=user) == 1
    assert not Contact.objects.exists()


def test_follow_matches_follows_offered_matches_only() -> None:
    me = member()
    anna, carol, stranger, private = member(), member(), member(), member(is_private=True)
    claim(anna, "anna")
    claim(carol, "carol", discoverable=False)  # never matched
    claim(private, "pat")
    contacts(me, ["anna", "carol", "pat"])
    counts = services.follow_matches(user=me, user_ids=[anna.pk, carol.pk, stranger.pk, private.pk, 10**12])
    assert counts == {"followed": 1, "requested": 1, "skipped": 3}
    assert Follow.objects.filter(follower=me, followee=anna).exists()
    assert not Follow.objects.filter(follower=me, followee__in=[carol, stranger]).exists()
    assert FollowRequest.objects.filter(requester=me, target=private).exists()
    # Already followed: no longer an offered match, so skipped.
    assert services.follow_matches(user=me, user_ids=[anna.pk]) == {
        "followed": 0,
        "requested": 0,
        "skipped": 1,
    }
    with pytest.raises(InvalidInput):
        services.follow_matches(user=me, user_ids=list(range(1, services.MAX_FOLLOW_MATCHES + 2)))


def _people_notes(recipient: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=recipient, verb=Notification.Verb.PEOPLE_JOINED))


def test_join_alert_tells_opted_in_lists_once(django_capture_on_commit_callbacks: Any) -> None:
    anna = member()
    opted, not_opted, follower, blocked, blocker, other_platform = (member() for _ in range(6))
    contacts(opted, ["Anna.Cooks"], notify=True)
    contacts(not_opted, ["anna.cooks"], notify=False)
    contacts(follower, ["anna.cooks"], notify=True)
    contacts(blocked, ["anna.cooks"], notify=True)
    contacts(blocker, ["anna.cooks"], notify=True)
    contacts(other_platform, ["anna.cooks"], platform="instagram", notify=True)
    contacts(anna, ["anna.cooks"], notify=True)  # the claimer's own list
    graph.follow_create(follower=follower, followee=anna)
    graph.block_create(blocker=anna, blocked=blocked)
    graph.block_create(blocker=blocker, blocked=anna)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.handle_add(user=anna, platform="tiktok", handle="anna.cooks", discoverable=True)
    told = _people_notes(opted)
    assert len(told) == 1 and told[0].actor_id == anna.pk and told[0].target == f"people:{row.pk}"
    for someone in (not_opted, follower, blocked, blocker, other_platform, anna):
        assert _people_notes(someone) == []
    assert Contact.objects.filter(list__user=opted).get().notified_at is not None
    # Never twice: hide and show again, or run the task again.
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_update(user=anna, handle_id=row.pk, discoverable=False)
        services.handle_update(user=anna, handle_id=row.pk, discoverable=True)
    assert services.handle_announce(handle_id=row.pk) == 0
    assert len(_people_notes(opted)) == 1


def test_join_alert_skips_ambiguous_hidden_and_inactive_claims(
    django_capture_on_commit_callbacks: Any,
) -> None:
    anna, impostor, watcher = member(), member(), member()
    contacts(watcher, ["anna"], notify=True)
    hidden = claim(anna, "anna", discoverable=False)
    assert services.handle_announce(handle_id=hidden.pk) == 0
    hidden.discoverable = True
    hidden.save()
    claim(impostor, "anna")
    assert services.handle_announce(handle_id=hidden.pk) == 0  # two claims: nobody is told
    FormerHandle.objects.filter(user=impostor).delete()
    anna.is_active = False
    anna.save()
    assert services.handle_announce(handle_id=hidden.pk) == 0
    anna.is_active = True
    anna.save()
    assert services.handle_announce(handle_id=hidden.pk) == 1
    assert Contact.objects.get(list__user=watcher).notified_at <= timezone.now()


def test_join_alert_fan_out_is_bounded_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    anna = member()
    watchers = [member() for _ in range(3)]
    for watcher in watchers:
        contacts(watcher, ["anna"], notify=True)
    row = claim(anna, "anna")
    monkeypatch.setattr(services, "ANNOUNCE_BATCH", 2)
    enqueued: list[int] = []
    fake = SimpleNamespace(enqueue=lambda **kw: enqueued.append(kw["handle_id"]))
    monkeypatch.setattr(services.tasks, "announce_handle", fake)
    assert services.handle_announce(handle_id=row.pk) == 2
    assert enqueued == [row.pk]
    assert services.handle_announce(handle_id=row.pk) == 1
    assert enqueued == [row.pk]
