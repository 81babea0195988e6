"""HTML views of accounts: sign-up, login, logout, settings, password and API tokens, over HTTP."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from PIL import Image

from haven.accounts import services
from haven.accounts.models import ApiToken, User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for
from haven.graph.models import Follow, FollowRequest
from haven.graph.tests.factories import FollowRequestFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much better passphrase 42"


def _png(size: tuple[int, int] = (64, 64)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 90)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "avatar.png"
    return buffer


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _signup_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "newbie",
        "display_name": "New Bie",
        "email": "newbie@example.com",
        "password": "a sturdy passphrase 9",
        "languages": ["en", "zh"],
        "interface_language": "zh-hans",
    }
    data.update(overrides)
    return data


class TestSignup:
    def test_form_renders_for_visitors(self, client: Client) -> None:
        response = client.get("/accounts/signup/")
        assert response.status_code == 200
        assert b'name="username"' in response.content
        assert b'name="languages"' in response.content

    def test_members_are_sent_home(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/accounts/signup/").url == "/"

    def test_signup_logs_in_and_welcomes(self, client: Client) -> None:
        response = client.post("/accounts/signup/", _signup_data())
        assert response.status_code == 302
        assert response.url == "/welcome/"  # onboarding registers itself (accounts.hooks.after_signup_url)
        user = User.objects.get(username="newbie")
        assert user.languages == ["en", "zh"]
        assert user.interface_language == "zh-hans"
        assert client.session["_auth_user_id"] == str(user.pk)
        assert any("Welcome" in m for m in _messages(response))
        assert response.cookies["django_language"].value == "zh-hans"

    def test_invalid_form_is_400_with_messages(self, client: Client) -> None:
        response = client.post("/accounts/signup/", _signup_data(email="not-an-email", username=""))
        assert response.status_code == 400
        assert b"errorlist" in response.content
        assert not User.objects.filter(username="newbie").exists()

    def test_reserved_username_shows_on_the_field(self, client: Client) -> None:
        response = client.post("/accounts/signup/", _signup_data(username="admin"))
        assert response.status_code == 400
        assert "This username is reserved." in response.content.decode()

    def test_taken_username_is_409(self, client: Client) -> None:
        UserFactory(username="newbie")
        response = client.post("/accounts/signup/", _signup_data())
        assert response.status_code == 409
        assert "This username is taken." in response.content.decode()

    def test_weak_password_is_400(self, client: Client) -> None:
        response = client.post("/accounts/signup/", _signup_data(password="12345678"))
        assert response.status_code == 400
        assert "password" in response.content.decode().lower()
        assert not User.objects.filter(username="newbie").exists()

    def test_rate_limit_is_429_with_a_friendly_message(self, client: Client, settings: Any) -> None:
        settings.HAVEN = settings.HAVEN.model_copy(update={"signup_rate_per_hour": 1})
        client.post("/accounts/signup/", _signup_data())
        client.logout()
        response = client.post(
            "/accounts/signup/", _signup_data(username="second", email="second@example.com")
        )
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()


class TestLogin:
    def test_form_renders(self, client: Client) -> None:
        response = client.get("/accounts/login/?next=/@someone/")
        assert response.status_code == 200
        assert b'value="/@someone/"' in response.content

    @pytest.mark.parametrize("field", ["username", "email"])
    def test_login_with_username_or_email(self, client: Client, field: str) -> None:
        user = UserFactory(interface_language="zh-hans")
        response = client.post(
            "/accounts/login/", {"login": getattr(user, field), "password": DEFAULT_PASSWORD, "next": "/@x/"}
        )
        assert response.status_code == 302
        assert response.url == "/@x/"
        assert client.session["_auth_user_id"] == str(user.pk)
        assert response.cookies["django_language"].value == "zh-hans"

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
    def test_unsafe_next_is_ignored(self, client: Client, target: str) -> None:
        user = UserFactory()
        response = client.post(
            "/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD, "next": target}
        )
        assert response.status_code == 302
        assert response.url == "/"

    def test_wrong_password_is_401_with_message(self, client: Client) -> None:
        user = UserFactory()
        response = client.post("/accounts/login/", {"login": user.username, "password": "nope nope nope"})
        assert response.status_code == 401
        assert "Wrong username, email or password." in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_empty_form_is_400(self, client: Client) -> None:
        assert client.post("/accounts/login/", {}).status_code == 400

    def test_rate_limit_is_429(self, client: Client) -> None:
        user = UserFactory()
        for _ in range(services.LOGIN_FREE_PER_ACCOUNT_NETWORK + 1):
            client.post("/accounts/login/", {"login": user.username, "password": "wrong password!"})
        response = client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()

    def test_signed_in_member_is_redirected(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/accounts/login/?next=/feeds/following/").url == "/feeds/following/"


class TestLogout:
    def test_get_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/accounts/logout/").status_code == 405

    def test_post_logs_out(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


class TestSettings:
    def test_login_required(self, client: Client) -> None:
        response = client.get("/accounts/settings/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_form_shows_current_values(self, client: Client) -> None:
        user = UserFactory(bio="Hello there", region="SG")
        client.force_login(user)
        response = client.get("/accounts/settings/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hello there" in body
        assert 'value="SG"' in body

    def test_save_profile(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            "/accounts/settings/",
            {
                "display_name": "小明",
                "bio": "咖啡 and film",
                "languages": ["zh", "ja"],
                "region": "cn",
                "interface_language": "zh-hans",
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.bio, user.languages, user.region) == (
            "小明",
            "咖啡 and film",
            ["zh", "ja"],
            "CN",
        )
        assert user.interface_language == "zh-hans"
        assert not user.is_private

    def test_invalid_region_is_400(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            "/accounts/settings/", {"display_name": "X", "region": "1x", "interface_language": "en"}
        )
        assert response.status_code == 400
        assert "Region must be a two-letter country code." in response.content.decode()

    def test_unsupported_language_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.post("/accounts/settings/", {"languages": ["xx"], "interface_language": "en"})
        assert response.status_code == 400

    def test_avatar_upload_and_removal(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            "/accounts/settings/", {"display_name": "A", "interface_language": "en", "avatar": _png()}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.avatar.endswith(".webp")
        response = client.post(
            "/accounts/settings/", {"display_name": "A", "interface_language": "en", "remove_avatar": "on"}
        )
        user.refresh_from_db()
        assert user.avatar == ""

    def test_bad_avatar_file_is_refused_on_the_field(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        bogus = io.BytesIO(b"this is not an image at all")
        bogus.name = "x.png"
        response = client.post("/accounts/settings/", {"interface_language": "en", "avatar": bogus})
        assert 400 <= response.status_code < 500
        assert b"errorlist" in response.content
        user.refresh_from_db()
        assert user.avatar == ""

    def test_going_public_approves_pending_requests(self, client: Client) -> None:
        owner = UserFactory(is_private=True)
        request = FollowRequestFactory(target=owner)
        client.force_login(owner)
        response = client.post("/accounts/settings/", {"display_name": "Open", "interface_language": "en"})
        assert response.status_code == 302
        owner.refresh_from_db()
        assert not owner.is_private
        assert Follow.objects.filter(follower=request.requester, followee=owner).exists()
        assert not FollowRequest.objects.filter(target=owner).exists()

    def test_going_private(self, client: Client) -> None:
        owner = UserFactory()
        client.force_login(owner)
        client.post("/accounts/settings/", {"interface_language": "en", "is_private": "on"})
        owner.refresh_from_db()
        assert owner.is_private


class TestPassword:
    def test_login_required(self, client: Client) -> None:
        assert client.get("/accounts/settings/password/").status_code == 302

    def test_change_keeps_the_session(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            "/accounts/settings/password/",
            {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert client.get("/accounts/settings/").status_code == 200  # still signed in

    def test_change_revokes_api_tokens_and_says_so(self, client: Client) -> None:
        user = UserFactory()
        token_for(user, "laptop")
        token_for(user, "phone")
        client.force_login(user)
        response = client.post(
            "/accounts/settings/password/",
            {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            follow=True,
        )
        assert response.status_code == 200
        assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
        text = " ".join(str(m) for m in get_messages(response.wsgi_request)) or response.content.decode()
        assert "Your API tokens were revoked (2)" in text

    def test_wrong_current_password_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.post(
            "/accounts/settings/password/",
            {"old_password": "not it at all", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 400
        assert "Your current password is not correct." in response.content.decode()

    def test_mismatch_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.post(
            "/accounts/settings/password/",
            {
                "old_password": DEFAULT_PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password2": "other one 123",
            },
        )
        assert response.status_code == 400
        assert "do not match" in response.content.decode()

    def test_weak_new_password_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.post(
            "/accounts/settings/password/",
            {"old_password": DEFAULT_PASSWORD, "new_password": "password", "new_password2": "password"},
        )
        assert response.status_code == 400


class TestTokens:
    def test_login_required(self, client: Client) -> None:
        assert client.get("/accounts/settings/tokens/").status_code == 302

    def test_list_shows_active_tokens(self, client: Client) -> None:
        user = UserFactory()
        token, _raw = token_for(user, "laptop")
        client.force_login(user)
        response = client.get("/accounts/settings/tokens/")
        assert response.status_code == 200
        assert "laptop" in response.content.decode()
        assert f"hv_{token.prefix}_" in response.content.decode()

    def test_create_shows_the_secret_once(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        response = client.post("/accounts/settings/tokens/", {"name": "phone"})
        assert response.status_code == 201
        token = ApiToken.objects.get(user=user)
        body = response.content.decode()
        secret = body.split('id="new-token" tabindex="0">')[1].split("<")[0]
        assert ApiToken.hash_secret(secret) == token.token_hash
        assert secret not in client.get("/accounts/settings/tokens/").content.decode()

    def test_blank_name_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.post("/accounts/settings/tokens/", {"name": ""}).status_code == 400

    def test_too_many_tokens_is_409(self, client: Client) -> None:
        user = UserFactory()
        for i in range(ApiToken.MAX_PER_USER):
            token_for(user, f"t{i}")
        client.force_login(user)
        response = client.post("/accounts/settings/tokens/", {"name": "one more"})
        assert response.status_code == 409
        assert "too many API tokens" in response.content.decode()

    def test_revoke(self, client: Client) -> None:
        user = UserFactory()
        token, _raw = token_for(user)
        client.force_login(user)
        response = client.post("/accounts/settings/tokens/revoke/", {"token_id": token.pk})
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_revoking_someone_elses_token_is_404(self, client: Client) -> None:
        token, _raw = token_for(UserFactory())
        client.force_login(UserFactory())
        response = client.post("/accounts/settings/tokens/revoke/", {"token_id": token.pk})
        assert response.status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoke_needs_post(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/accounts/settings/tokens/revoke/").status_code == 405


@pytest.mark.django_db
def test_language_switch_saves_a_members_interface_language(client) -> None:
    from haven.accounts.tests.factories import UserFactory

    member = UserFactory(interface_language="en")
    client.force_login(member)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.interface_language == "zh-hans"
    assert "发现" in client.get("/").content.decode()  # the Chinese interface, not the old preference


@pytest.mark.django_db
def test_language_switch_for_visitors_sets_the_cookie(client) -> None:
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "zh-hans"
