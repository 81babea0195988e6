"""How shop entries read in the inbox (notifications.Verb.SHOP, target "shop:<id>:<event>") and where
they lead: the shop's manage page, which shows the status and the operators' note."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from haven.notifications.models import Notification


def _parts(group: Any) -> tuple[int | None, str]:
    _kind, _sep, rest = str(getattr(group, "target", "") or "").partition(":")
    shop_id, _sep, event = rest.partition(":")
    return (int(shop_id) if shop_id.isdigit() else None), event


def text(group: Any) -> str:
    _shop_id, event = _parts(group)
    if event == "approved":
        return _("Your shop was approved and is open now.")
    if event == "rejected":
        return _("Your shop was not approved. See the note and resubmit.")
    if event == "suspended":
        return _("Your shop was suspended. See the note from Haven's team.")
    if event == "reinstated":
        return _("Your shop is open again.")
    return _("There is news about your shop.")


def link(group: Any) -> str:
    shop_id, _event = _parts(group)
    return reverse("shops:manage", args=[shop_id]) if shop_id else reverse("shops:mine")


def register() -> None:
    from haven.notifications.selectors import register_text
    from haven.notifications.views import register_link

    register_text(Notification.Verb.SHOP, text)
    register_link(Notification.Verb.SHOP, link)
