"""ApiAuth / OptionalAuth behaviour on a bare request (the HTTP paths are covered in test_api)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from haven.accounts.auth import ApiAuth, OptionalAuth
from haven.accounts.models import ApiToken
from haven.accounts.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


def _request(method: str = "get", **extra: str):  # type: ignore[no-untyped-def]
    request = getattr(RequestFactory(), method)("/api/v1/x", **extra)
    request.user = AnonymousUser()
    request.session = {}
    return request


def test_bearer_sets_request_user_and_token() -> None:
    user = UserFactory()
    token, raw = token_for(user)
    request = _request(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ApiAuth()(request) == user
    assert request.user == user
    assert request.api_token == token


def test_last_used_is_updated_at_most_once_a_minute(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    token, raw = token_for(UserFactory())
    recent = timezone.now() - timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with django_assert_num_queries(1):  # the lookup only; no write
        ApiAuth()(_request(HTTP_AUTHORIZATION=f"Bearer {raw}"))
    token.refresh_from_db()
    assert token.last_used_at == recent
    stale = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    with django_assert_num_queries(2):
        ApiAuth()(_request(HTTP_AUTHORIZATION=f"Bearer {raw}"))
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > stale


def test_optional_auth_admits_anonymous() -> None:
    result = OptionalAuth()(_request())
    assert isinstance(result, AnonymousUser)
    assert result  # ninja treats a falsy result as a failed authentication


def test_optional_auth_refuses_a_bad_token() -> None:
    assert OptionalAuth()(_request(HTTP_AUTHORIZATION="Bearer hv_nope_nope")) is None


def test_api_auth_refuses_anonymous() -> None:
    assert ApiAuth()(_request()) is None
