"""The member's saved interface language wins over the browser's; visitors keep LocaleMiddleware's choice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory, bearer, token_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"
CSRF = "/api/v1/accounts/csrf"


def test_member_with_chinese_interface_gets_zh_hans(client: Client) -> None:
    client.force_login(UserFactory(interface_language="zh-hans"))
    r = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert r["Content-Language"] == "zh-hans"


def test_member_preference_beats_accept_language(client: Client) -> None:
    client.force_login(UserFactory(interface_language="en"))
    r = client.get(ME, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert r["Content-Language"] == "en"


def test_bearer_member_gets_their_language() -> None:
    _token, raw = token_for(UserFactory(interface_language="zh-hans"))
    r = Client().get(ME, HTTP_ACCEPT_LANGUAGE="en", **bearer(raw))
    assert r.status_code == 200
    assert r["Content-Language"] == "zh-hans"


def test_anonymous_visitor_keeps_accept_language(client: Client) -> None:
    assert client.get(CSRF, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Content-Language"] == "zh-hans"
    assert client.get(CSRF, HTTP_ACCEPT_LANGUAGE="en-US")["Content-Language"] == "en"


def test_anonymous_visitor_keeps_language_cookie(client: Client) -> None:
    r = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert r.status_code == 302
    assert client.get(CSRF, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "zh-hans"
