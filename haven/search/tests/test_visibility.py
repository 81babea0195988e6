"""Search shows only what the visibility choke points let the viewer see, in results and suggestions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from haven.core.reportables import ModerationState
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory, block, follow, mute
from haven.search.tests.helpers import found, index_all, suggested, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:  # type: ignore[type-arg]
    viewer = UserFactory(username="viewer")
    private_author = UserFactory(username="privy", display_name="Kombucha Privy", private=True)
    followed = UserFactory(username="friend", display_name="Kombucha Friend")
    follow(viewer, followed)
    notes = {
        "public": NoteFactory(title="Kombucha public"),
        "followers_unfollowed": NoteFactory(title="Kombucha followers", visibility=Visibility.FOLLOWERS),
        "followers_followed": NoteFactory(
            title="Kombucha friends", author=followed, visibility=Visibility.FOLLOWERS
        ),
        "private": NoteFactory(title="Kombucha secret", visibility=Visibility.PRIVATE),
        "draft": NoteFactory(title="Kombucha draft", draft=True),
        "private_account": NoteFactory(title="Kombucha privy", author=private_author),
        "held": NoteFactory(title="Kombucha held", moderation=ModerationState.HELD),
        "limited": NoteFactory(title="Kombucha limited", moderation=ModerationState.LIMITED),
        "removed": NoteFactory(title="Kombucha removed", moderation=ModerationState.REMOVED),
        "blocked_by_viewer": NoteFactory(
            title="Kombucha blocked", author=UserFactory(display_name="Kombucha B1")
        ),
        "blocking_viewer": NoteFactory(
            title="Kombucha blocking", author=UserFactory(display_name="Kombucha B2")
        ),
        "muted": NoteFactory(title="Kombucha muted", author=UserFactory(display_name="Kombucha Muted")),
        "suspended": NoteFactory(
            title="Kombucha suspended", author=UserFactory(display_name="Kombucha Gone", is_active=False)
        ),
    }
    block(viewer, notes["blocked_by_viewer"].author)
    block(notes["blocking_viewer"].author, viewer)
    mute(viewer, notes["muted"].author)
    # A topic used only by hidden notes stays hidden; one on a public note shows.
    tag(notes["held"], "秘密话题")
    tag(notes["private"], "秘密话题")
    tag(notes["muted"], "秘密话题")
    tag(notes["public"], "kombuchalove")
    for name in ("held", "limited", "private"):
        tag(notes[name], "隐藏话题")
    index_all()
    return {"viewer": viewer, "notes": notes, "followed": followed, "private_author": private_author}


def _ids(world: dict, *names: str) -> set[int]:  # type: ignore[type-arg]
    return {world["notes"][n].pk for n in names}


def test_notes_anonymous(world: dict) -> None:  # type: ignore[type-arg]
    expected = _ids(world, "public", "blocked_by_viewer", "blocking_viewer", "muted")
    assert set(found(AnonymousUser(), "kombucha")) == expected
    assert set(found(None, "kombucha")) == expected


def test_notes_signed_in(world: dict) -> None:  # type: ignore[type-arg]
    assert set(found(world["viewer"], "kombucha")) == _ids(world, "public", "followers_followed")


def test_authors_see_their_own_distributable_notes(world: dict) -> None:  # type: ignore[type-arg]
    author = world["notes"]["followers_unfollowed"].author
    assert world["notes"]["followers_unfollowed"].pk in found(author, "kombucha")
    held_author = world["notes"]["held"].author
    assert world["notes"]["held"].pk not in found(held_author, "kombucha")  # not distributable


def test_members(world: dict) -> None:  # type: ignore[type-arg]
    viewer = world["viewer"]
    names = set(found(viewer, "kombucha", kind="member"))
    notes = world["notes"]
    assert names == {world["followed"].pk, world["private_author"].pk}
    assert notes["suspended"].author.pk not in found(None, "kombucha", kind="member")
    anonymous = set(found(None, "kombucha", kind="member"))
    assert notes["muted"].author.pk in anonymous and notes["blocked_by_viewer"].author.pk in anonymous


def test_topics(world: dict) -> None:  # type: ignore[type-arg]
    # Only the muted author's public note carries it openly: others find it, the viewer does not.
    assert len(found(None, "秘密话题", kind="topic")) == 1
    assert found(world["viewer"], "秘密话题", kind="topic") == []
    # Carried only by a held, a limited and a private note: nobody finds it, not even their authors.
    for viewer in (None, world["viewer"], world["notes"]["held"].author, world["notes"]["private"].author):
        assert found(viewer, "隐藏话题", kind="topic") == []
    assert len(found(None, "kombuchalove", kind="topic")) == 1


def test_suggestions(world: dict) -> None:  # type: ignore[type-arg]
    viewer = world["viewer"]
    notes = world["notes"]
    hidden = {
        ("member", notes["blocked_by_viewer"].author.pk),
        ("member", notes["blocking_viewer"].author.pk),
        ("member", notes["muted"].author.pk),
        ("member", notes["suspended"].author.pk),
    }
    shown = set(suggested(viewer, "Kombu"))
    assert not shown & hidden
    assert ("member", world["followed"].pk) in shown
    assert [k for k, _ in suggested(viewer, "秘密")] == []
    assert [k for k, _ in suggested(viewer, "mimi")] == []


def test_over_fetching_fills_a_page_past_hidden_hits() -> None:
    viewer = UserFactory()
    hidden_author = UserFactory()
    block(viewer, hidden_author)
    # Hidden notes rank first (more likes), then the visible ones.
    for i in range(70):
        NoteFactory(title="Matcha", author=hidden_author, like_count=1000 + i)
    visible = [NoteFactory(title="Matcha") for _ in range(3)]
    index_all()
    from haven.search import selectors

    page = selectors.search(viewer, "matcha", limit=3)
    collected = [h.id for h in page.items]
    cursor = page.next_cursor
    while cursor and len(collected) < 3:
        page = selectors.search(viewer, "matcha", limit=3, cursor=cursor)
        collected += [h.id for h in page.items]
        cursor = page.next_cursor
    assert sorted(collected) == sorted(n.pk for n in visible)
