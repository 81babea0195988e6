"""Former handles in member search (core.searchables.add_text): a member is found by the TikTok or
Instagram handles they declared *and* made discoverable ("crumb.theory", "crumb theory"). Handles kept
private never enter the index; who may find the member stays the member rule (graph.searchable)."""

from __future__ import annotations

from collections.abc import Sequence

from haven.core import searchables
from haven.people.models import FormerHandle


def former_handles_text(pks: Sequence[int]) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """{member pk: (head, body)}: each discoverable handle as written and with "." and "_" as spaces."""
    out: dict[int, list[str]] = {}
    rows = FormerHandle.objects.filter(user_id__in=list(pks), discoverable=True).order_by("user_id", "id")
    for user_id, handle in rows.values_list("user_id", "handle"):
        spaced = handle.replace(".", " ").replace("_", " ").strip()
        out.setdefault(user_id, []).extend(dict.fromkeys((handle, spaced)))
    return {pk: (tuple(words), ()) for pk, words in out.items()}


def member_changed(user_id: int) -> None:
    """The member's discoverable handles changed: re-index their member document after commit."""
    searchables.changed("member", [user_id])


def register() -> None:
    searchables.add_text("member", former_handles_text)
