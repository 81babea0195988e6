"""Login history rows (success, wrong password, locked out) and their pruning; shown in the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts import selectors, services
from haven.accounts.models import LoginEvent
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"login": username, "password": password}).status_code


def test_success_and_failure_are_recorded_with_address_and_agent() -> None:
    user = UserFactory()
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="curl/8.5")
    assert _login(client, user.username, "wrong password") == 401
    assert _login(client, user.username, DEFAULT_PASSWORD) == 302
    events = list(selectors.login_history_for(user))
    assert [(e.outcome, e.method) for e in events] == [
        ("success", "password"),
        ("failed_password", "password"),
    ]
    assert events[0].ip_address == "198.51.100.20" and events[0].user_agent == "curl/8.5"


def test_unknown_accounts_leave_no_rows() -> None:
    _login(Client(), "nobody_here", "whatever")
    assert not LoginEvent.objects.exists()


def test_locked_out_is_recorded_at_most_once_a_minute() -> None:
    user = UserFactory()
    client = Client(REMOTE_ADDR="203.0.113.50")
    statuses = [
        _login(client, user.username, "wrong") for _ in range(services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 4)
    ]
    assert 429 in statuses
    assert LoginEvent.objects.filter(user=user, outcome="locked_out").count() == 1
    assert LoginEvent.objects.filter(user=user, outcome="failed_password").count() == statuses.count(401)


def test_api_lists_the_latest_fifty() -> None:
    user, other = UserFactory(), UserFactory()
    now = timezone.now()
    LoginEvent.objects.bulk_create(
        [
            LoginEvent(user=user, at=now - timedelta(minutes=i), outcome="success", method="password")
            for i in range(60)
        ]
        + [LoginEvent(user=other, at=now, outcome="success", method="passkey")]
    )
    client = Client()
    client.force_login(user)
    items = client.get("/api/v1/accounts/login-history").json()["items"]
    assert len(items) == 50
    assert all(i["method"] == "password" for i in items)
    assert items[0]["at"] > items[-1]["at"]


def test_prune_old_events() -> None:
    user = UserFactory()
    now = timezone.now()
    LoginEvent.objects.create(user=user, at=now - timedelta(days=200), outcome="success", method="password")
    LoginEvent.objects.create(user=user, at=now, outcome="success", method="password")
    assert services.login_events_prune(older_than=now - timedelta(days=90)) == 1
    assert LoginEvent.objects.count() == 1
