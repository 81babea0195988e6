"""Direct tests of accounts services and selectors with real rows."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from haven.accounts import hooks, selectors, services
from haven.accounts.models import MAX_LANGUAGES, ApiToken, User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, RateLimited

pytestmark = pytest.mark.django_db

STRONG = "plum-Kettle-92-orbit"


def _signup(**overrides: object) -> User:
    kwargs: dict[str, object] = {"username": "Alice_1", "email": "Alice@Example.COM", "password": STRONG}
    kwargs.update(overrides)
    return services.user_signup(**kwargs)  # type: ignore[arg-type]


class TestSignup:
    def test_creates_member_with_argon2_hash_and_normalised_fields(self) -> None:
        user = _signup(
            display_name="  Alice\u0000 ", languages=["EN", "zh", "en"], interface_language="zh-Hans"
        )
        user.refresh_from_db()
        assert user.username == "alice_1"
        assert user.email == "Alice@example.com"
        assert user.password.startswith("argon2")
        assert user.check_password(STRONG)
        assert user.display_name == "Alice"
        assert user.languages == ["en", "zh"]
        assert user.interface_language == "zh-hans"

    @pytest.mark.parametrize("name", ["a", "has space", "x" * 31, "émile", "dash-name", ""])
    def test_invalid_username(self, name: str) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(username=name)
        assert exc.value.code == "invalid_username"

    @pytest.mark.parametrize("name", ["admin", "API", "static", "media", "haven", "settings"])
    def test_reserved_username(self, name: str) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(username=name)
        assert exc.value.code == "username_reserved"

    def test_duplicate_username_and_email_are_case_insensitive(self) -> None:
        _signup()
        with pytest.raises(Conflict) as exc:
            _signup(username="ALICE_1", email="other@example.com")
        assert exc.value.code == "username_taken"
        with pytest.raises(Conflict) as exc:
            _signup(username="bob", email="alice@EXAMPLE.com")
        assert exc.value.code == "email_taken"

    @pytest.mark.parametrize("password", ["short", "password123", "12345678901", "alice_1x"])
    def test_weak_password(self, password: str) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(password=password)
        assert exc.value.code == "weak_password"
        assert exc.value.details["messages"]
        assert not User.objects.exists()

    def test_too_long_password_is_refused_before_hashing(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(password="Ab1-" * 40)
        assert exc.value.code == "weak_password"

    def test_invalid_email(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(email="not-an-email")
        assert exc.value.code == "invalid_email"

    def test_languages_validated(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(languages=["klingon"])
        assert exc.value.code == "invalid_languages"
        with pytest.raises(InvalidInput) as exc:
            _signup(languages=["en", "zh", "ja", "ko", "es", "fr", "de", "pt", "ru"])
        assert exc.value.code == "too_many_languages"
        assert MAX_LANGUAGES == 8

    def test_interface_language_validated(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(interface_language="fr")
        assert exc.value.code == "invalid_interface_language"

    def test_display_name_bounded(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            _signup(display_name="x" * 51)
        assert exc.value.code == "invalid_display_name"

    def test_rate_limited_per_ip(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.HAVEN = settings.HAVEN.model_copy(update={"signup_rate_per_hour": 2})
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
        _signup(username="one", email="one@example.com", request=request)
        _signup(username="two", email="two@example.com", request=request)
        with pytest.raises(RateLimited):
            _signup(username="three", email="three@example.com", request=request)


class TestAuthenticate:
    def _auth(self, ident: str, password: str = DEFAULT_PASSWORD, ip: str = "198.51.100.1") -> User:
        request = RequestFactory().post("/", REMOTE_ADDR=ip)
        return services.user_authenticate(request=request, username_or_email=ident, password=password)

    def test_by_username_or_email(self) -> None:
        user = UserFactory(username="carol", email="Carol@Example.com")
        assert self._auth("CAROL") == user
        assert self._auth("carol@example.COM") == user

    def test_wrong_password_and_unknown_user(self) -> None:
        UserFactory(username="carol")
        for ident, pw in [("carol", "nope"), ("nobody", DEFAULT_PASSWORD), ("x@y.z", "pw")]:
            with pytest.raises(NotAuthenticated) as exc:
                self._auth(ident, pw)
            assert exc.value.code == "invalid_credentials"

    def test_inactive_member_cannot_log_in(self) -> None:
        UserFactory(username="gone", is_active=False)
        with pytest.raises(NotAuthenticated):
            self._auth("gone")

    def test_per_account_backoff_applies_across_networks(self) -> None:
        UserFactory(username="dave", email="dave@example.com")
        idents = ["dave", "dave@example.com", "DAVE"]
        for i in range(services.LOGIN_FREE_PER_ACCOUNT + 1):
            with pytest.raises(NotAuthenticated):
                self._auth(idents[i % 3], "wrong", ip=f"10.{i // 250}.{i % 250}.1")
        with pytest.raises(RateLimited) as exc:
            self._auth("dave", ip="192.0.2.99")
        assert exc.value.code == "rate_limited"
        assert exc.value.details["retry_after_seconds"] >= 1


class TestProfile:
    def test_only_given_fields_change(self) -> None:
        user = UserFactory(display_name="Keep", bio="old")
        services.profile_update(user=user, bio="  new\r\n\n\n\nbio ", region="cn")
        user.refresh_from_db()
        assert user.display_name == "Keep"
        assert user.bio == "new\n\nbio"
        assert user.region == "CN"

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("bio", "x" * 501, "invalid_bio"),
            ("display_name", "y" * 51, "invalid_display_name"),
            ("region", "CHN", "invalid_region"),
            ("region", "1a", "invalid_region"),
            ("languages", ["xx"], "invalid_languages"),
            ("interface_language", "de", "invalid_interface_language"),
        ],
    )
    def test_bounds(self, field: str, value: object, code: str) -> None:
        user = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.profile_update(user=user, **{field: value})  # type: ignore[arg-type]
        assert exc.value.code == code

    def test_region_may_be_cleared(self) -> None:
        user = UserFactory(region="US")
        services.profile_update(user=user, region="")
        user.refresh_from_db()
        assert user.region == ""

    def test_made_public_hook_runs_only_on_private_to_public(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        seen: list[int] = []
        monkeypatch.setattr(hooks, "_made_public", [lambda u: seen.append(u.pk)])
        user = UserFactory(private=True)
        services.profile_update(user=user, is_private=True)
        assert seen == []
        services.profile_update(user=user, is_private=False)
        assert seen == [user.pk]
        services.profile_update(user=user, is_private=False)
        assert seen == [user.pk]


class TestPassword:
    def test_change(self) -> None:
        user = UserFactory()
        services.password_change(user=user, old_password=DEFAULT_PASSWORD, new_password=STRONG)
        user.refresh_from_db()
        assert user.check_password(STRONG)

    def test_wrong_old_password(self) -> None:
        user = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.password_change(user=user, old_password="nope", new_password=STRONG)
        assert exc.value.code == "wrong_password"

    def test_weak_new_password(self) -> None:
        user = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.password_change(user=user, old_password=DEFAULT_PASSWORD, new_password="12345678")
        assert exc.value.code == "weak_password"

    def test_change_revokes_every_api_token(self) -> None:
        user = UserFactory()
        services.token_create(user=user, name="laptop")
        services.token_create(user=user, name="phone")
        other, _raw = services.token_create(user=UserFactory(), name="theirs")
        services.password_change(user=user, old_password=DEFAULT_PASSWORD, new_password=STRONG)
        assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
        other.refresh_from_db()
        assert other.revoked_at is None

    def test_change_may_keep_the_token_that_made_it(self) -> None:
        user = UserFactory()
        keep, _raw = services.token_create(user=user, name="cli")
        services.token_create(user=user, name="stolen")
        revoked = services.password_change(
            user=user, old_password=DEFAULT_PASSWORD, new_password=STRONG, keep_token=keep
        )
        assert revoked == 1
        assert list(ApiToken.objects.filter(user=user, revoked_at__isnull=True)) == [keep]

    def test_failed_change_revokes_nothing(self) -> None:
        user = UserFactory()
        services.token_create(user=user, name="laptop")
        with pytest.raises(InvalidInput):
            services.password_change(user=user, old_password="nope", new_password=STRONG)
        assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1


class TestTokens:
    def test_create_stores_only_the_hash(self) -> None:
        user = UserFactory()
        token, raw = services.token_create(user=user, name=" laptop ")
        assert raw.startswith(f"hv_{token.prefix}_")
        assert len(token.prefix) == 8
        assert token.name == "laptop"
        assert raw not in token.token_hash
        assert ApiToken.objects.get(token_hash=ApiToken.hash_secret(raw)) == token
        assert selectors.active_token(raw) == token

    def test_limit(self) -> None:
        user = UserFactory()
        for i in range(ApiToken.MAX_PER_USER):
            services.token_create(user=user, name=f"t{i}")
        with pytest.raises(Conflict) as exc:
            services.token_create(user=user, name="one more")
        assert exc.value.code == "too_many_tokens"
        services.token_revoke(user=user, token_id=ApiToken.objects.filter(user=user).first().pk)  # type: ignore[union-attr]
        services.token_create(user=user, name="fits again")

    def test_blank_name(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            services.token_create(user=UserFactory(), name="   ")
        assert exc.value.code == "invalid_token_name"

    def test_revoke(self) -> None:
        user = UserFactory()
        token, raw = services.token_create(user=user, name="t")
        services.token_revoke(user=user, token_id=token.pk)
        services.token_revoke(user=user, token_id=token.pk)  # twice is fine
        assert selectors.active_token(raw) is None
        assert list(selectors.tokens_for(user)) == []

    def test_cannot_revoke_someone_elses(self) -> None:
        token, _raw = services.token_create(user=UserFactory(), name="t")
        with pytest.raises(NotFound):
            services.token_revoke(user=UserFactory(), token_id=token.pk)

    def test_inactive_members_tokens_do_not_work(self) -> None:
        user = UserFactory()
        _token, raw = services.token_create(user=user, name="t")
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert selectors.active_token(raw) is None

    def test_malformed_tokens(self) -> None:
        assert selectors.active_token("") is None
        assert selectors.active_token("abc") is None
        assert selectors.active_token("hv_" + "x" * 500) is None


class TestSelectors:
    def test_user_lookups(self) -> None:
        a = UserFactory(username="anna")
        b = UserFactory(username="ben")
        UserFactory(username="gone", is_active=False)
        assert selectors.user_by_username("ANNA") == a
        assert selectors.user_by_username("gone") is None
        assert selectors.user_by_username("x" * 300) is None
        assert selectors.users_by_usernames(["Ben", "nobody", "anna", "ben", "gone"]) == [b, a]
        assert selectors.users_by_usernames([]) == []

    def test_avatar_url(self) -> None:
        user = UserFactory()
        assert selectors.avatar_url(user) == ""
        user.avatar = "avatars/1/x.webp"
        assert selectors.avatar_url(user) == "/media/avatars/1/x.webp"
