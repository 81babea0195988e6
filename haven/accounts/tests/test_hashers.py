"""Password hashing sized for the machine: Argon2id parameters from settings, old hashes upgraded at login."""

from __future__ import annotations

from typing import Any

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, get_hasher, make_password
from django.test import Client
from pydantic import ValidationError

from config.env import HavenSettings
from haven.accounts.hashers import HavenArgon2PasswordHasher
from haven.accounts.models import User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

OWASP = (19 * 1024, 2, 1)  # memory KiB, passes, lanes
DJANGO_DEFAULT = (102400, 2, 8)


def _params(encoded: str) -> tuple[int, int, int]:
    assert encoded.startswith("argon2$argon2id$"), encoded
    p = argon2.extract_parameters(encoded.removeprefix("argon2"))
    return (p.memory_cost, p.time_cost, p.parallelism)


def _old_hash(password: str) -> str:
    """A hash as Haven stored it before: Django's own Argon2 hasher and its default parameters."""
    encoded = make_password(password, hasher=Argon2PasswordHasher())
    assert _params(encoded) == DJANGO_DEFAULT
    return encoded


class TestHasher:
    def test_is_the_default_and_hashes_with_owasp_parameters(self) -> None:
        assert isinstance(get_hasher(), HavenArgon2PasswordHasher)
        encoded = make_password("plum-Kettle-92-orbit")
        assert _params(encoded) == OWASP
        assert check_password("plum-Kettle-92-orbit", encoded)
        assert not check_password("plum-Kettle-92-orbis", encoded)

    def test_parameters_follow_settings(self, settings: Any) -> None:
        current = make_password("plum-Kettle-92-orbit")
        settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST, settings.ARGON2_PARALLELISM = 12288, 3, 2
        hasher = get_hasher()
        assert _params(make_password("plum-Kettle-92-orbit")) == (12288, 3, 2)
        assert hasher.must_update(current)  # made with other parameters
        assert check_password("plum-Kettle-92-orbit", current)  # but still verifies

    def test_old_django_hashes_verify_and_must_update(self) -> None:
        old = _old_hash("plum-Kettle-92-orbit")
        assert check_password("plum-Kettle-92-orbit", old)
        assert get_hasher().must_update(old)
        assert not get_hasher().must_update(make_password("plum-Kettle-92-orbit"))


@pytest.mark.django_db
class TestUpgradeOnLogin:
    def test_api_login_rehashes_an_old_default_parameter_hash(self, client: Client) -> None:
        user = UserFactory(username="olga", password=_old_hash(DEFAULT_PASSWORD))
        response = client.post(
            "/api/v1/accounts/login",
            {"username_or_email": "olga", "password": DEFAULT_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        user.refresh_from_db()
        assert _params(user.password) == OWASP
        assert check_password(DEFAULT_PASSWORD, user.password)

    def test_html_login_rehashes_too(self, client: Client) -> None:
        user = UserFactory(password=_old_hash(DEFAULT_PASSWORD))
        response = client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        user.refresh_from_db()
        assert _params(user.password) == OWASP

    def test_failed_login_keeps_the_old_hash(self, client: Client) -> None:
        old = _old_hash(DEFAULT_PASSWORD)
        user = UserFactory(username="omar", password=old)
        response = client.post(
            "/api/v1/accounts/login",
            {"username_or_email": "omar", "password": "wrong password here"},
            content_type="application/json",
        )
        assert response.status_code == 401
        assert User.objects.get(pk=user.pk).password == old


class TestSettingsBounds:
    def test_defaults_are_owasp(self) -> None:
        haven = HavenSettings()
        assert (haven.argon2_memory_kib, haven.argon2_time_cost, haven.argon2_parallelism) == OWASP

    @pytest.mark.parametrize(
        "values",
        [
            {"argon2_memory_kib": 4096},  # below OWASP's smallest memory
            {"argon2_memory_kib": 8192, "argon2_time_cost": 1},  # too little memory x passes
            {"argon2_time_cost": 0},
            {"argon2_time_cost": 11},
            {"argon2_parallelism": 0},
            {"argon2_memory_kib": 2 * 1024 * 1024},
        ],
    )
    def test_unsafe_or_absurd_values_are_refused(self, values: dict[str, int]) -> None:
        with pytest.raises(ValidationError):
            HavenSettings(**values)

    @pytest.mark.parametrize(("memory", "passes"), [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)])
    def test_owasp_equivalents_are_accepted(self, memory: int, passes: int) -> None:
        haven = HavenSettings(argon2_memory_kib=memory, argon2_time_cost=passes)
        assert haven.argon2_memory_kib == memory
