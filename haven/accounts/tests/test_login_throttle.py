"""Login back-off: failures slow an attacker down without locking the member out (issue 7 item 6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from haven.accounts import services
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.core import ratelimit

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
MEMBER = "198.51.100.7"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = _login(client, username, "not the password")
        assert response.status_code in (401, 429)


def test_backoff_after_a_few_failures_even_for_the_right_password() -> None:
    user = UserFactory()
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _fail(attacker, user.username, services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 1)
    response = attacker.post(
        "/api/v1/accounts/token",
        {"username_or_email": user.username, "password": DEFAULT_PASSWORD, "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_known_device_is_admitted_after_50_failures() -> None:
    user = UserFactory()
    member = Client(REMOTE_ADDR=ATTACKER)  # even from the attacker's own network
    assert _login(member, user.username, DEFAULT_PASSWORD).status_code == 302
    assert member.cookies.get(services.DEVICE_COOKIE)
    member.post("/accounts/logout/")
    _fail(Client(REMOTE_ADDR=ATTACKER), user.username, 50)
    assert _login(member, user.username, DEFAULT_PASSWORD).status_code == 302


def test_a_device_cookie_of_another_member_does_not_help() -> None:
    owner, victim = UserFactory(), UserFactory()
    client = Client(REMOTE_ADDR=ATTACKER)
    assert _login(client, owner.username, DEFAULT_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, victim.username, services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 1)
    assert _login(client, victim.username, DEFAULT_PASSWORD).status_code == 429


def test_attacker_on_another_network_cannot_lock_the_member_out() -> None:
    user = UserFactory()
    _fail(Client(REMOTE_ADDR=ATTACKER), user.username, 40)
    assert _login(Client(REMOTE_ADDR=MEMBER), user.username, DEFAULT_PASSWORD).status_code == 302


def test_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    user = UserFactory()
    for i in range(services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 1):
        spoofing = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        _login(spoofing, user.username, "not the password")
    spoofing = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert _login(spoofing, user.username, DEFAULT_PASSWORD).status_code == 429


def test_client_ip_trusts_only_configured_proxies(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert ratelimit.client_ip(request) == "10.0.0.5"  # no trusted proxies configured
    settings.HAVEN = settings.HAVEN.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    assert ratelimit.client_ip(request) == "203.0.113.9"  # the spoofed left-most entry is not used
    chained = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.4, 10.1.1.1, 10.2.2.2"
    )
    assert ratelimit.client_ip(chained) == "198.51.100.4"
    direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert ratelimit.client_ip(direct) == "203.0.113.1"  # the peer itself is not a trusted proxy


def test_trusted_proxy_keeps_members_apart(settings: Any) -> None:
    settings.HAVEN = settings.HAVEN.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    _fail(attacker, user.username, services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 1)
    assert _login(attacker, user.username, DEFAULT_PASSWORD).status_code == 429
    member = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=MEMBER)
    assert _login(member, user.username, DEFAULT_PASSWORD).status_code == 302
