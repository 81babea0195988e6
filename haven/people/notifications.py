"""How a people_joined notification reads and where it leads (registered with notifications)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from haven.people.handles import platform_label
from haven.people.models import FormerHandle


def _handle(group: Any) -> FormerHandle | None:
    target = str(getattr(group, "target", "") or "")
    prefix, _sep, raw_id = target.partition(":")
    if prefix != "people" or not raw_id.isdigit():
        return None
    return FormerHandle.objects.filter(pk=int(raw_id), discoverable=True).only("platform", "handle").first()


def text(group: Any) -> str:
    """ "{name}, whom you followed on TikTok as @anna.cooks, is on Haven" while the handle is still
    discoverable; "{name} is on Haven" once it is not ({name} is filled in by notifications)."""
    handle = _handle(group)
    if handle is None:
        return _("{name} is on Haven")
    # The handle goes in as data, after translation, so braces in it cannot act as placeholders.
    sentence = _("{name}, whom you followed on %(platform)s as @%(handle)s, is on Haven") % {
        "platform": platform_label(handle.platform),
        "handle": handle.handle.replace("{", "").replace("}", ""),
    }
    return sentence


def link(group: Any) -> str:
    """The profile of the member who joined."""
    actors = getattr(group, "actors", None) or []
    if actors:
        return reverse("web:profile", args=[actors[0].username])
    return reverse("people:find")
