"""Retention of accounts' data: login history (deleted) and IP addresses (blanked, the rows stay)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import LoginEvent, UserSession
from haven.accounts.sessions import login_events_prune
from haven.core.retention import register_retention

_BATCH = 2000


def prune_login_history(cutoff: datetime) -> int:
    return login_events_prune(older_than=cutoff)


def _blank(queryset: QuerySet[Any]) -> int:
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:_BATCH])
        if not ids:
            return total
        total += queryset.model._default_manager.filter(pk__in=ids).update(ip_address=None)


def blank_ip_addresses(cutoff: datetime) -> int:
    """Forget the address of sessions last seen, and of sign-ins made, before `cutoff`."""
    sessions = UserSession.objects.filter(last_seen_at__lt=cutoff, ip_address__isnull=False)
    events = LoginEvent.objects.filter(at__lt=cutoff, ip_address__isnull=False)
    return _blank(sessions) + _blank(events)


def register() -> None:
    register_retention(
        "login_history",
        setting="RETAIN_LOGIN_HISTORY_DAYS",
        days=365,
        prune=prune_login_history,
        description=_("Login history of an account: when, from which device and address, and the outcome"),
    )
    register_retention(
        "ip_addresses",
        setting="RETAIN_IP_DAYS",
        days=90,
        prune=blank_ip_addresses,
        description=_("IP addresses of sessions and logins (blanked, the rows stay)"),
    )
