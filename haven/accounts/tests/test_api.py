"""HTTP contract tests of /api/v1/accounts: status codes, error codes and shapes."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from haven.accounts import services
from haven.accounts.models import ApiToken, User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, bearer, token_for
from haven.core import ratelimit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/accounts"
STRONG = "plum-Kettle-92-orbit"


def _json(client: Client, method: str, path: str, data: Any = None, **extra: Any) -> Any:
    return getattr(client, method)(f"{BASE}{path}", data=data, content_type="application/json", **extra)


class TestSignupLogin:
    def test_signup_logs_in(self, client: Client) -> None:
        r = _json(
            client,
            "post",
            "/signup",
            {"username": "NewOne", "email": "new@example.com", "password": STRONG, "languages": ["zh"]},
        )
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["username"] == "newone"
        assert body["languages"] == ["zh"]
        assert body["avatar_url"] == ""
        assert User.objects.get(username="newone").password.startswith("argon2")
        assert client.get(f"{BASE}/me").json()["username"] == "newone"

    @pytest.mark.parametrize(
        ("payload", "status", "code"),
        [
            ({"username": "admin"}, 400, "username_reserved"),
            ({"username": "taken"}, 409, "username_taken"),
            ({"email": "TAKEN@example.com"}, 409, "email_taken"),
            ({"password": "password"}, 400, "weak_password"),
            ({"username": "x" * 31}, 422, "invalid_input"),
            ({"password": "p" * 129}, 422, "invalid_input"),
            ({"languages": ["en"] * 9}, 422, "invalid_input"),
            ({"languages": ["toolongcode"]}, 422, "invalid_input"),
            ({"languages": ["xx"]}, 400, "invalid_languages"),
        ],
    )
    def test_signup_errors(self, client: Client, payload: dict[str, Any], status: int, code: str) -> None:
        UserFactory(username="taken", email="taken@example.com")
        data = {"username": "fresh", "email": "fresh@example.com", "password": STRONG, **payload}
        r = _json(client, "post", "/signup", data)
        assert r.status_code == status, r.content
        assert r.json()["code"] == code

    def test_login_and_logout(self, client: Client) -> None:
        UserFactory(username="erin")
        r = _json(client, "post", "/login", {"username_or_email": "erin", "password": DEFAULT_PASSWORD})
        assert r.status_code == 200
        assert r.json()["username"] == "erin"
        assert client.get(f"{BASE}/me").status_code == 200
        assert client.post(f"{BASE}/logout").status_code == 204
        assert client.get(f"{BASE}/me").status_code == 401

    def test_login_wrong_password(self, client: Client) -> None:
        UserFactory(username="erin")
        r = _json(client, "post", "/login", {"username_or_email": "erin", "password": "nope"})
        assert r.status_code == 401
        assert r.json()["code"] == "invalid_credentials"

    def test_login_rate_limit(self, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_020.0))
        UserFactory(username="erin")
        codes = []
        free = services.LOGIN_FREE_PER_ACCOUNT_NETWORK
        for _i in range(free + 2):
            r = _json(client, "post", "/login", {"username_or_email": "erin", "password": "nope"})
            codes.append(r.status_code)
        assert codes[: free + 1] == [401] * (free + 1)  # back-off starts after the free failures
        assert codes[free + 1] == 429
        assert r.json()["code"] == "rate_limited"
        assert int(r["Retry-After"]) > 0

    def test_token_endpoint_is_rate_limited_too(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_020.0))
        UserFactory(username="erin")
        for _i in range(10):
            _json(client, "post", "/token", {"username_or_email": "erin", "password": "x", "name": "phone"})
        r = _json(client, "post", "/token", {"username_or_email": "erin", "password": "x", "name": "phone"})
        assert r.status_code == 429
        assert r.json()["code"] == "rate_limited"


class TestCsrf:
    def test_session_post_without_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        r = _json(client, "post", "/tokens", {"name": "cli"})
        assert r.status_code == 403
        assert r.json()["code"] == "csrf_failed"
        r = _json(client, "patch", "/me", {"bio": "hi"})
        assert r.status_code == 403
        assert client.get(f"{BASE}/me").status_code == 200  # safe methods need no token

    def test_session_post_with_csrf_token_passes(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        token = client.get(f"{BASE}/csrf").json()["csrf_token"]
        r = _json(client, "post", "/tokens", {"name": "cli"}, HTTP_X_CSRFTOKEN=token)
        assert r.status_code == 201, r.content

    def test_login_needs_csrf_but_token_endpoint_does_not(self) -> None:
        UserFactory(username="erin")
        client = Client(enforce_csrf_checks=True)
        creds = {"username_or_email": "erin", "password": DEFAULT_PASSWORD}
        assert _json(client, "post", "/login", creds).status_code == 403
        token = client.get(f"{BASE}/csrf").json()["csrf_token"]
        assert _json(client, "post", "/login", creds, HTTP_X_CSRFTOKEN=token).status_code == 200
        r = _json(Client(enforce_csrf_checks=True), "post", "/token", {**creds, "name": "phone"})
        assert r.status_code == 201

    def test_bearer_requests_need_no_csrf(self) -> None:
        _token, raw = token_for(UserFactory())
        client = Client(enforce_csrf_checks=True)
        r = _json(client, "patch", "/me", {"bio": "from the app"}, **bearer(raw))
        assert r.status_code == 200
        assert r.json()["bio"] == "from the app"


class TestTokens:
    def test_token_login_then_bearer_me(self, client: Client) -> None:
        UserFactory(username="frank")
        r = _json(
            client,
            "post",
            "/token",
            {"username_or_email": "frank", "password": DEFAULT_PASSWORD, "name": "phone"},
        )
        assert r.status_code == 201
        raw = r.json()["token"]
        assert raw.startswith("hv_")
        me = Client().get(f"{BASE}/me", **bearer(raw))
        assert me.status_code == 200
        assert me.json()["username"] == "frank"
        assert ApiToken.objects.get(pk=r.json()["id"]).last_used_at is not None

    def test_token_login_wrong_password(self, client: Client) -> None:
        UserFactory(username="frank")
        r = _json(client, "post", "/token", {"username_or_email": "frank", "password": "no", "name": "p"})
        assert r.status_code == 401
        assert r.json()["code"] == "invalid_credentials"

    def test_create_list_revoke(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        created = _json(client, "post", "/tokens", {"name": "laptop"})
        assert created.status_code == 201
        raw, token_id = created.json()["token"], created.json()["id"]
        listed = client.get(f"{BASE}/tokens").json()
        assert listed["next_cursor"] is None
        assert [t["name"] for t in listed["items"]] == ["laptop"]
        assert "token" not in listed["items"][0] and "token_hash" not in listed["items"][0]
        assert Client().get(f"{BASE}/me", **bearer(raw)).status_code == 200

        assert client.delete(f"{BASE}/tokens/{token_id}").status_code == 204
        r = Client().get(f"{BASE}/me", **bearer(raw))
        assert r.status_code == 401
        assert r.json()["code"] == "not_authenticated"
        assert client.get(f"{BASE}/tokens").json()["items"] == []

    def test_revoke_errors(self, client: Client) -> None:
        other_token, _raw = token_for(UserFactory())
        client.force_login(UserFactory())
        assert client.delete(f"{BASE}/tokens/{other_token.pk}").json()["code"] == "not_found"
        assert client.delete(f"{BASE}/tokens/{other_token.pk}").status_code == 404
        assert client.delete(f"{BASE}/tokens/{10**30}").status_code == 422
        assert client.delete(f"{BASE}/tokens/0").status_code == 422

    def test_too_many_tokens(self, client: Client) -> None:
        user = UserFactory()
        for i in range(ApiToken.MAX_PER_USER):
            token_for(user, f"t{i}")
        client.force_login(user)
        r = _json(client, "post", "/tokens", {"name": "again"})
        assert r.status_code == 409
        assert r.json()["code"] == "too_many_tokens"

    def test_token_name_bounds(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert _json(client, "post", "/tokens", {"name": "n" * 51}).status_code == 422
        assert _json(client, "post", "/tokens", {"name": ""}).status_code == 422
        r = _json(client, "post", "/tokens", {"name": "  "})
        assert (r.status_code, r.json()["code"]) == (400, "invalid_token_name")

    def test_logout_with_bearer_revokes_that_token(self) -> None:
        token, raw = token_for(UserFactory())
        assert Client().post(f"{BASE}/logout", **bearer(raw)).status_code == 204
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert Client().get(f"{BASE}/me", **bearer(raw)).status_code == 401

    @pytest.mark.parametrize("header", ["Bearer nope", "Bearer hv_abc_def", "Basic Zm9vOmJhcg==", "Bearer"])
    def test_bad_authorization_header_is_401_even_with_a_session(self, client: Client, header: str) -> None:
        client.force_login(UserFactory())
        r = client.get(f"{BASE}/me", HTTP_AUTHORIZATION=header)
        assert r.status_code == 401

    def test_anonymous_is_401(self, client: Client) -> None:
        for path in ["/me", "/tokens"]:
            r = client.get(f"{BASE}{path}")
            assert r.status_code == 401
            assert r.json()["code"] == "not_authenticated"


class TestMe:
    def test_patch_only_given_fields(self, client: Client) -> None:
        user = UserFactory(display_name="Gina", bio="old")
        client.force_login(user)
        r = _json(client, "patch", "/me", {"bio": "new bio", "region": "sg", "is_private": True})
        assert r.status_code == 200
        body = r.json()
        assert (body["display_name"], body["bio"], body["region"], body["is_private"]) == (
            "Gina",
            "new bio",
            "SG",
            True,
        )

    @pytest.mark.parametrize(
        ("payload", "status", "code"),
        [
            ({"bio": "b" * 501}, 422, "invalid_input"),
            ({"display_name": "d" * 51}, 422, "invalid_input"),
            ({"region": "USA"}, 422, "invalid_input"),
            ({"region": "1a"}, 400, "invalid_region"),
            ({"languages": ["en"] * 9}, 422, "invalid_input"),
            ({"languages": ["xx"]}, 400, "invalid_languages"),
            ({"interface_language": "fr"}, 400, "invalid_interface_language"),
            ({"is_private": "maybe"}, 422, "invalid_input"),
        ],
    )
    def test_patch_bounds(self, client: Client, payload: dict[str, Any], status: int, code: str) -> None:
        client.force_login(UserFactory())
        r = _json(client, "patch", "/me", payload)
        assert r.status_code == status, r.content
        assert r.json()["code"] == code

    def test_password_change_keeps_session(self, client: Client) -> None:
        client.force_login(UserFactory())
        r = _json(client, "post", "/me/password", {"old_password": DEFAULT_PASSWORD, "new_password": STRONG})
        assert r.status_code == 204
        assert client.get(f"{BASE}/me").status_code == 200

    def test_password_change_ends_api_tokens(self, client: Client) -> None:
        user = UserFactory()
        _token, raw = token_for(user)
        client.force_login(user)
        r = _json(client, "post", "/me/password", {"old_password": DEFAULT_PASSWORD, "new_password": STRONG})
        assert r.status_code == 204
        assert Client().get(f"{BASE}/me", **bearer(raw)).status_code == 401

    def test_password_change_by_token_keeps_only_that_token(self, client: Client) -> None:
        user = UserFactory()
        _used, raw = token_for(user, "cli")
        _other, other_raw = token_for(user, "old laptop")
        r = _json(
            client,
            "post",
            "/me/password",
            {"old_password": DEFAULT_PASSWORD, "new_password": STRONG},
            **bearer(raw),
        )
        assert r.status_code == 204
        assert Client().get(f"{BASE}/me", **bearer(raw)).status_code == 200
        assert Client().get(f"{BASE}/me", **bearer(other_raw)).status_code == 401

    def test_password_change_errors(self, client: Client) -> None:
        client.force_login(UserFactory())
        r = _json(client, "post", "/me/password", {"old_password": "wrong", "new_password": STRONG})
        assert (r.status_code, r.json()["code"]) == (400, "wrong_password")
        r = _json(client, "post", "/me/password", {"old_password": DEFAULT_PASSWORD, "new_password": "123"})
        assert (r.status_code, r.json()["code"]) == (400, "weak_password")


def _jpeg_with_metadata() -> bytes:
    img = Image.new("RGB", (640, 480), (200, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = "Secret Photographer"  # Artist
    exif[0x010F] = "SpyCam"  # Make
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"private comment")
    return buffer.getvalue()


def _put_avatar(client: Client, data: bytes, name: str = "me.jpg", **extra: Any) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    body = encode_multipart(BOUNDARY, {"file": upload})
    return client.put(f"{BASE}/me/avatar", data=body, content_type=MULTIPART_CONTENT, **extra)


class TestAvatar:
    def test_upload_strips_metadata_and_replaces_previous(
        self, client: Client, django_capture_on_commit_callbacks: Any
    ) -> None:
        user = UserFactory()
        client.force_login(user)
        original = _jpeg_with_metadata()
        assert b"Secret Photographer" in original
        with django_capture_on_commit_callbacks(execute=True):
            r = _put_avatar(client, original)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["avatar_url"].startswith(f"/media/avatars/{user.pk}/")
        assert body["avatar_url"].endswith(".webp")
        assert body["avatar_blurhash"]
        user.refresh_from_db()
        first = user.avatar
        with default_storage.open(first) as fh:
            stored = fh.read()
        assert b"Secret Photographer" not in stored and b"SpyCam" not in stored
        assert b"private comment" not in stored
        rendered = Image.open(io.BytesIO(stored))
        assert rendered.format == "WEBP"
        assert rendered.size == (400, 400)
        assert not rendered.getexif()
        assert "exif" not in rendered.info and "icc_profile" not in rendered.info

        with django_capture_on_commit_callbacks(execute=True):
            assert _put_avatar(client, original).status_code == 200
        user.refresh_from_db()
        assert user.avatar != first
        assert not default_storage.exists(first)
        assert default_storage.exists(user.avatar)

    def test_upload_with_bearer(self) -> None:
        _token, raw = token_for(UserFactory())
        r = _put_avatar(Client(), _jpeg_with_metadata(), **bearer(raw))
        assert r.status_code == 200, r.content

    def test_rejects_non_images(self, client: Client) -> None:
        user = UserFactory()
        client.force_login(user)
        r = _put_avatar(client, b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", name="x.svg")
        assert r.status_code == 415
        assert r.json()["code"] == "unsupported_format"
        user.refresh_from_db()
        assert user.avatar == ""
        assert not default_storage.exists(f"avatars/{user.pk}")

    def test_missing_file(self, client: Client) -> None:
        client.force_login(UserFactory())
        r = client.put(
            f"{BASE}/me/avatar", data=encode_multipart(BOUNDARY, {}), content_type=MULTIPART_CONTENT
        )
        assert (r.status_code, r.json()["code"]) == (400, "file_missing")

    def test_remove(self, client: Client, django_capture_on_commit_callbacks: Any) -> None:
        user = UserFactory()
        client.force_login(user)
        _put_avatar(client, _jpeg_with_metadata())
        user.refresh_from_db()
        path = user.avatar
        with django_capture_on_commit_callbacks(execute=True):
            r = client.delete(f"{BASE}/me/avatar")
        assert r.status_code == 200
        assert r.json()["avatar_url"] == ""
        assert not default_storage.exists(path)
