"""Who may have what translated: the visibility choke points of notes and comments, reused."""

from __future__ import annotations

from typing import Any

from haven.engagement.access import get_visible_comment
from haven.engagement.models import Comment
from haven.notes.access import get_visible_note
from haven.notes.models import Note


def note_for_translation(viewer: Any, note_id: Any) -> Note:
    """The note if `viewer` may see it (raises NotFound for missing and forbidden alike)."""
    return get_visible_note(viewer, note_id)


def comment_for_translation(viewer: Any, comment_id: Any) -> Comment:
    """The comment if `viewer` may see it and its note (raises NotFound otherwise)."""
    return get_visible_comment(viewer, comment_id)
