"""factory_boy factories for members and API tokens (usable by every app's tests)."""

from __future__ import annotations

import functools
from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from haven.accounts import services
from haven.accounts.models import ApiToken, User

DEFAULT_PASSWORD = "correct horse battery staple"


@functools.cache
def _default_password_hash() -> str:
    """Hash once per test run: Argon2 is deliberately slow."""
    return make_password(DEFAULT_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A member whose password is DEFAULT_PASSWORD. `UserFactory(private=True)` for a private account."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        private = factory.Trait(is_private=True)

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    display_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.LazyFunction(_default_password_hash)
    languages = factory.LazyFunction(lambda: ["en"])
    interface_language = "en"
    is_private = False


def token_for(user: User, name: str = "test") -> tuple[ApiToken, str]:
    """A fresh API token for `user` and its raw secret."""
    return services.token_create(user=user, name=name)


def bearer(raw: str) -> dict[str, Any]:
    """Test-client keyword arguments that send `raw` as a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
