"""The registry of reportable things (ARCHITECTURE.md rule 11) and the content moderation states.

Every app whose members' content can be reported (notes, comments, members; messages and products
later) registers a `Reportable` from its `AppConfig.ready()`. The moderation app knows nothing of
them but this registry: it loads a target, describes it for the review screen, and applies a
decision through the registration's callbacks, which call the owning app's services.

`tests/test_reportables.py` walks every installed model holding member content and fails when one
is neither registered here nor declared as not reportable, so a new app cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy


class ModerationState(models.TextChoices):
    """Where a piece of content stands with moderation. Only OK content is distributed."""

    OK = "ok", gettext_lazy("visible")
    HELD = "held", gettext_lazy("held for review")  # seen by its author and moderators only
    LIMITED = "limited", gettext_lazy("limited reach")  # out of Discover, topics and search
    REMOVED = "removed", gettext_lazy("removed")  # its author sees a tombstone with the reason


#: States in which others than the author may still open the content (by link, from a profile).
SEEN_BY_OTHERS = (ModerationState.OK, ModerationState.LIMITED)


@dataclass(frozen=True)
class Target:
    """What the review screen needs to know about one reported thing, read by its owning app."""

    kind: str
    pk: int
    author_id: int | None
    text: str
    language: str
    title: str = ""
    url: str = ""
    reach: int = 0  # how many people may see it (followers of the author, or likes and comments)
    is_public: bool = True
    state: str = ModerationState.OK
    sensitive: bool = False
    image_urls: tuple[str, ...] = ()
    created_at: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reportable:
    """One kind of reportable thing.

    - `visible_to(viewer, pk)` returns the object when `viewer` may see it (the app's access.py), else None:
      members can only report what they can see.
    - `load(pk)` returns the object whatever its state (moderators), or None when it is gone.
    - `describe(obj)` returns its `Target`.
    - `set_state(obj, state, reason)` applies a moderation state (ModerationState) through the app's
      services; None when the kind has no content state (members are suspended instead).
    - `set_sensitive(obj, flag)` puts or lifts a sensitive-content label; None when not supported.
    """

    kind: str
    label: Any
    visible_to: Callable[[Any, int], Any | None]
    load: Callable[[int], Any | None]
    describe: Callable[[Any], Target]
    set_state: Callable[[Any, str, str], None] | None = None
    set_sensitive: Callable[[Any, bool], None] | None = None
    models: tuple[str, ...] = ()  # app_label.ModelName of the models this registration covers


_registry: dict[str, Reportable] = {}
_content_listeners: list[Callable[[str, int], None]] = []


def register(reportable: Reportable) -> None:
    """Register a reportable kind (idempotent by kind)."""
    _registry[reportable.kind] = reportable


def get(kind: str) -> Reportable | None:
    return _registry.get(kind)


def kinds() -> dict[str, Reportable]:
    return dict(_registry)


def covered_models() -> set[str]:
    return {label for r in _registry.values() for label in r.models}


def on_content_created(listener: Callable[[str, int], None]) -> None:
    """Let moderation score new or edited content: `listener(kind, pk)`, called after commit."""
    if listener not in _content_listeners:
        _content_listeners.append(listener)


def content_created(kind: str, pk: int) -> None:
    """Called by an owning app (after commit) when content was created or its text changed."""
    for listener in list(_content_listeners):
        listener(kind, pk)
