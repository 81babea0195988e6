"""Members in the reportables registry (core.reportables): a reported profile is decided by suspension."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.accounts.models import User
from haven.core import reportables
from haven.core.text import detect_language


def _visible_to(viewer: Any, pk: int) -> User | None:
    """Members can report any active member except themselves (blocks are checked by graph, later)."""
    if getattr(viewer, "pk", None) == pk:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _load(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def _describe(user: User) -> reportables.Target:
    text = "\n".join(part for part in (user.display_name, user.bio) if part)
    return reportables.Target(
        kind="member",
        pk=user.pk,
        author_id=user.pk,
        text=text,
        language=detect_language(text).code if text else "und",
        title=f"@{user.username}",
        url=reverse("web:profile", args=[user.username]),
        reach=getattr(user, "follower_edges").count(),  # noqa: B009 (graph's reverse relation)
        is_public=not user.is_private,
        state=reportables.ModerationState.OK if user.is_active else reportables.ModerationState.REMOVED,
        created_at=user.date_joined,
    )


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="member",
            label=gettext_lazy("member"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            models=("accounts.User",),
        )
    )
