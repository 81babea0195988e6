"""Hooks feeds plugs into lower layers from FeedsConfig.ready() (notes' publish hook)."""

from __future__ import annotations

from haven.feeds import store


def on_notes_published(note_ids: list[int]) -> None:
    """Called by notes on commit with newly published note ids: enqueue their fan-out (scaled profile)."""
    if not store.enabled():
        return
    from haven.feeds.tasks import fanout_note

    for note_id in note_ids:
        fanout_note.enqueue(note_id)


def prepare_discover_at_sign_in(user: object) -> None:
    """Called by accounts after a sign-in: rank the member's first Discover page ahead (when on)."""
    from haven.feeds.selectors import request_prepare

    user_id = getattr(user, "pk", None)
    if isinstance(user_id, int):
        request_prepare(user_id)
