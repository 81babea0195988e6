"""Template filters of the notes pages: RedNote-style relative times and placeholder colours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

_BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
NEUTRAL = "#ececf0"


@register.filter
def ago(value: Any) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 days ago", then a date ("Mar 4", or "Mar 4, 2023")."""
    if not isinstance(value, datetime):
        return ""
    now = timezone.now()
    delta = now - value
    if delta < timedelta(minutes=1):
        return _("just now")
    if delta < timedelta(hours=1):
        minutes = int(delta.total_seconds() // 60)
        return ngettext("%(n)d min ago", "%(n)d min ago", minutes) % {"n": minutes}
    if delta < timedelta(days=1):
        hours = int(delta.total_seconds() // 3600)
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    if delta < timedelta(days=7):
        return ngettext("%(n)d day ago", "%(n)d days ago", delta.days) % {"n": delta.days}
    local = timezone.localtime(value)
    if local.year == timezone.localtime(now).year:
        return date_format(local, "MONTH_DAY_FORMAT")
    return date_format(local, "DATE_FORMAT")


def blurhash_color(blurhash: str) -> str:
    """The average colour a blurhash encodes (its DC component), as #rrggbb; a neutral grey if unknown."""
    if not blurhash or len(blurhash) < 6:
        return NEUTRAL
    value = 0
    for ch in blurhash[2:6]:
        digit = _BASE83.find(ch)
        if digit < 0:
            return NEUTRAL
        value = value * 83 + digit
    return f"#{(value >> 16) & 255:02x}{(value >> 8) & 255:02x}{value & 255:02x}"


@register.filter
def placeholder(blurhash: str) -> str:
    """Template form of blurhash_color: the colour to paint while an image loads."""
    return blurhash_color(str(blurhash or ""))
