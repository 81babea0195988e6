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
