"""Languages a member reads and is learning (user_set_languages), their export, and the after-sign-up hook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from haven.accounts import hooks, services
from haven.accounts.models import MAX_LANGUAGES, SUPPORTED_LANGUAGES
from haven.accounts.personal_data import export_profile
from haven.accounts.tests.factories import UserFactory
from haven.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_reads_and_learning_are_saved_in_order_without_duplicates() -> None:
    user = UserFactory(languages=["en"])
    services.user_set_languages(user=user, reads=["en", " FR ", "en"], learning=["zh", "ja", "zh"])
    user.refresh_from_db()
    assert user.languages == ["en", "fr"]
    assert user.learning_languages == ["zh", "ja"]


def test_learning_nothing_is_fine() -> None:
    user = UserFactory(languages=["en"])
    services.user_set_languages(user=user, reads=["zh"], learning=[])
    user.refresh_from_db()
    assert (user.languages, user.learning_languages) == (["zh"], [])


@pytest.mark.parametrize(
    ("reads", "learning", "code"),
    [
        (["en"], ["en"], "language_read_and_learned"),
        (["en", "zh"], ["ja", "zh"], "language_read_and_learned"),
        (["xx"], [], "invalid_languages"),
        (["en"], ["klingon"], "invalid_languages"),
        (list(SUPPORTED_LANGUAGES[: MAX_LANGUAGES + 1]), [], "too_many_languages"),
        ([], list(SUPPORTED_LANGUAGES[: MAX_LANGUAGES + 1]), "too_many_languages"),
        ("en", [], "invalid_languages"),
    ],
)
def test_refusals_have_stable_codes_and_change_nothing(reads: object, learning: object, code: str) -> None:
    user = UserFactory(languages=["en"])
    with pytest.raises(InvalidInput) as caught:
        services.user_set_languages(user=user, reads=reads, learning=learning)  # type: ignore[arg-type]
    assert caught.value.code == code
    user.refresh_from_db()
    assert (user.languages, user.learning_languages) == (["en"], [])


def test_the_export_holds_learning_languages() -> None:
    user = UserFactory(languages=["en"], learning_languages=["zh"])
    (row,) = list(export_profile(user))
    assert row["languages"] == ["en"]
    assert row["learning_languages"] == ["zh"]


@pytest.fixture
def restore_after_signup() -> Iterator[None]:
    saved = list(hooks._after_signup)
    yield
    hooks._after_signup[:] = saved


def test_after_signup_url_is_discover_until_an_app_registers_one(restore_after_signup: None) -> None:
    hooks._after_signup.clear()
    assert hooks.after_signup_url() == "web:home"
    hooks.set_after_signup_url("feeds:following")
    hooks.set_after_signup_url("accounts:settings")  # the last registration wins
    assert hooks.after_signup_url() == "accounts:settings"


def test_signup_lands_on_the_registered_page(client: object, restore_after_signup: None) -> None:
    hooks.set_after_signup_url("accounts:settings")
    response = client.post(  # type: ignore[attr-defined]
        "/accounts/signup/",
        {
            "username": "landing",
            "email": "landing@example.com",
            "password": "a sturdy passphrase 9",
            "languages": ["en"],
            "interface_language": "en",
        },
    )
    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
