"""Template helpers of messaging: short times for the conversation list and the chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def dm_when(value: Any) -> str:
    """Today: 14:05; yesterday: "Yesterday"; this week: the weekday; else the short date."""
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return formats.time_format(local, "H:i")
    if local.date() == today - timedelta(days=1):
        return _("Yesterday")
    if today - local.date() < timedelta(days=7):
        return formats.date_format(local, "D")
    return formats.date_format(local, "SHORT_DATE_FORMAT")


@register.filter
def dm_day(value: Any) -> str:
    """A day separator in the chat: Today, Yesterday, or the date."""
    if not isinstance(value, datetime):
        return ""
    day = timezone.localtime(value).date()
    today = timezone.localdate()
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return formats.date_format(day, "DATE_FORMAT")
