"""Matching: exact, ambiguous and loose and cross-platform likely matches, exclusions, query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from haven.graph import services as graph
from haven.graph.models import FollowRequest
from haven.people import selectors
from haven.people.tests.factories import claim, contacts, member

pytestmark = pytest.mark.django_db


def _found(user: Any, **kwargs: Any) -> dict[str, tuple[str, str, str]]:
    return {
        m.user.username: (m.kind, m.handle, m.contact_handle) for m in selectors.matches_for(user, **kwargs)
    }


def test_exact_match_is_one_claimer_same_platform_same_key() -> None:
    me, anna = member(), member()
    claim(anna, "Anna.Cooks")
    contacts(me, ["anna.cooks"])
    assert _found(me) == {anna.username: ("exact", "Anna.Cooks", "anna.cooks")}


def test_ambiguous_loose_and_other_platform_are_likely() -> None:
    me = member()
    twin1, twin2, loose, cross, exact = (member() for _ in range(5))
    claim(twin1, "twin")
    claim(twin2, "TWIN")
    claim(loose, "bob_b")  # list has bob.b: same loose key, other key
    claim(cross, "cara", platform="instagram")  # list is tiktok
    claim(exact, "dave")
    contacts(me, ["twin", "bob.b", "cara", "dave"])
    found = _found(me)
    assert found == {
        exact.username: ("exact", "dave", "dave"),
        twin1.username: ("likely", "twin", "twin"),
        twin2.username: ("likely", "TWIN", "twin"),
        loose.username: ("likely", "bob_b", "bob.b"),
        cross.username: ("likely", "cara", "cara"),
    }
    kinds = [m.kind for m in selectors.matches_for(me)]
    assert kinds == sorted(kinds)  # exact ones first
    assert _found(me, platform="instagram") == {}  # no instagram list
    assert len(selectors.matches_for(me, limit=2)) == 2


def test_exact_wins_over_likely_for_the_same_member() -> None:
    me, anna = member(), member()
    claim(anna, "anna")
    claim(anna, "anna", platform="instagram")
    contacts(me, ["anna"], platform="tiktok")
    contacts(me, ["anna"], platform="instagram")
    assert _found(me) == {anna.username: ("exact", "anna", "anna")}
    assert len(selectors.matches_for(me)) == 1


def test_exclusions() -> None:
    me = member()
    followed, requested, blocked, blocker, muted, inactive, suspended, hidden, ok = (
        member() for _ in range(9)
    )
    names = [
        "followed",
        "requested",
        "blocked",
        "blocker",
        "muted",
        "inactive",
        "suspended",
        "hidden",
        "ok",
        "me",
    ]
    for user, name in zip(
        [followed, requested, blocked, blocker, muted, inactive, suspended, hidden, ok, me],
        names,
        strict=True,
    ):
        claim(user, name, discoverable=name != "hidden")
    contacts(me, names)
    graph.follow_create(follower=me, followee=followed)
    FollowRequest.objects.create(requester=me, target=requested)
    graph.block_create(blocker=me, blocked=blocked)
    graph.block_create(blocker=blocker, blocked=me)
    graph.mute_create(muter=me, muted=muted)
    inactive.is_active = False
    inactive.save()
    suspended.suspended_until = timezone.now() + timezone.timedelta(days=3)
    suspended.save()
    assert _found(me) == {ok.username: ("exact", "ok", "ok")}


def test_a_hidden_claimer_still_makes_a_key_ambiguous() -> None:
    me, anna, impostor = member(), member(), member()
    claim(anna, "anna")
    claim(impostor, "anna")
    graph.block_create(blocker=me, blocked=impostor)
    contacts(me, ["anna"])
    assert _found(me) == {anna.username: ("likely", "anna", "anna")}


def test_no_lists_no_matches_and_anonymous() -> None:
    from django.contrib.auth.models import AnonymousUser

    me, anna = member(), member()
    claim(anna, "anna")
    assert selectors.matches_for(me) == []
    assert selectors.matches_for(AnonymousUser()) == []


def test_handles_of_shows_discoverable_to_others_and_all_to_owner() -> None:
    owner, viewer, blocked = member(), member(), member()
    claim(owner, "shown")
    claim(owner, "hidden", platform="instagram", discoverable=False)
    graph.block_create(blocker=owner, blocked=blocked)
    assert [h.handle for h in selectors.handles_of(owner, owner)] == ["hidden", "shown"]
    assert [h.handle for h in selectors.handles_of(owner, viewer)] == ["shown"]
    assert selectors.handles_of(owner, blocked) == []


def test_matches_for_query_budget_with_2000_contacts(django_assert_max_num_queries: Any) -> None:
    me = member()
    handles = [f"user{i}" for i in range(2000)]
    contacts(me, handles)
    claimers = [member() for _ in range(12)]
    for i, user in enumerate(claimers):
        claim(user, f"user{i * 150}")
        claim(user, f"us.er{i * 150 + 1}")  # a loose match as well
    with django_assert_max_num_queries(8):
        found = selectors.matches_for(me)
    assert len(found) == 12 and {m.kind for m in found} == {"exact"}
