"""The top-bar language switch: visitors (cached pages, no token) are checked by Origin, members by CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.accounts.models import User
from haven.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = "/accounts/language/"
CHINESE = {"language": "zh-hans", "next": "/"}


@pytest.fixture
def strict() -> Client:
    return Client(enforce_csrf_checks=True)


def test_visitor_switches_from_a_cached_page_without_a_token(strict: Client) -> None:
    page = strict.get("/")
    assert "csrfmiddlewaretoken" not in page.content.decode()  # the form on a shared page has none
    same_site = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    response = strict.post(SWITCH, CHINESE, **same_site)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "zh-hans"
    assert strict.get("/")["Content-Language"] == "zh-hans"


def test_visitor_without_origin_headers_may_switch(strict: Client) -> None:
    assert strict.post(SWITCH, CHINESE).status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"},
    ],
)
def test_another_site_cannot_switch_a_visitors_language(strict: Client, headers: dict[str, str]) -> None:
    response = strict.post(SWITCH, CHINESE, **headers)
    assert response.status_code == 403
    assert "django_language" not in response.cookies


def test_trusted_origin_may_switch(strict: Client, settings: object) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://haven.example"]  # type: ignore[attr-defined]
    assert strict.post(SWITCH, CHINESE, HTTP_ORIGIN="https://haven.example").status_code == 302


def test_member_switch_still_needs_the_csrf_token(strict: Client) -> None:
    member = UserFactory(interface_language="en")
    strict.force_login(member)
    refused = strict.post(SWITCH, CHINESE, HTTP_ORIGIN="http://testserver")
    assert refused.status_code == 403
    assert User.objects.get(pk=member.pk).interface_language == "en"
    page = strict.get("/")  # a member's page is private and carries the token
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(SWITCH, {**CHINESE, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).interface_language == "zh-hans"
