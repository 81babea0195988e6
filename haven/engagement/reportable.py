"""Comments in the reportables registry (core.reportables): what moderation may load, show and decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.core import reportables
from haven.core.errors import NotFound
from haven.engagement import services
from haven.engagement.access import get_visible_comment
from haven.engagement.models import Comment
from haven.notes.models import Visibility


def _visible_to(viewer: Any, pk: int) -> Comment | None:
    try:
        return get_visible_comment(viewer, pk)
    except NotFound:
        return None


def _load(pk: int) -> Comment | None:
    return Comment.objects.select_related("note", "note__author", "author").filter(pk=pk).first()


def _describe(comment: Comment) -> reportables.Target:
    note = comment.note
    return reportables.Target(
        kind="comment",
        pk=comment.pk,
        author_id=comment.author_id,
        text=comment.body,
        language=comment.language,
        title=note.title,
        url=reverse("notes:detail", args=[note.pk]) + f"#comment-{comment.pk}",
        reach=note.like_count + note.comment_count + comment.like_count,
        is_public=note.visibility == Visibility.PUBLIC and not note.author.is_private,
        state=comment.moderation,
        created_at=comment.created_at,
        extra={"note_id": note.pk},
    )


def _set_state(comment: Comment, state: str, reason: str) -> None:
    services.comment_set_moderation(comment_id=comment.pk, state=state, reason=reason)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="comment",
            label=gettext_lazy("comment"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            models=("engagement.Comment",),
        )
    )
