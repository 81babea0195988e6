"""Two-factor authentication: enrol and confirm, the second login step, recovery codes, API logins."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts import sealing, twofactor
from haven.accounts.models import LoginEvent, RecoveryCode, TotpDevice, User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/accounts/settings/"
SECOND_STEP = "/accounts/login/two-factor/"


def _enrol(user: User) -> tuple[pyotp.TOTP, list[str]]:
    secret = twofactor.totp_begin(user=user)
    totp = pyotp.TOTP(secret)
    codes = twofactor.totp_confirm(user=user, code=totp.now())
    return totp, codes


def _next_code(totp: pyotp.TOTP, user: User) -> str:
    """A valid code for a time step after the last one used (codes are single-use)."""
    device = TotpDevice.objects.get(user=user)
    return totp.generate_otp(device.last_counter + 1)


def _password_step(client: Client, user: User) -> Any:
    return client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})


def _api(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts{path}", data, content_type="application/json")


def test_enrolment_needs_a_right_code_before_it_is_on() -> None:
    user = UserFactory()
    secret = twofactor.totp_begin(user=user)
    assert not twofactor.is_enabled(user)
    device = TotpDevice.objects.get(user=user)
    assert secret not in device.secret_sealed and sealing.unseal(device.secret_sealed) == secret
    with pytest.raises(Exception) as bad:
        twofactor.totp_confirm(user=user, code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert getattr(bad.value, "code", "") == "two_factor_invalid"
    codes = twofactor.totp_confirm(user=user, code=pyotp.TOTP(secret).now())
    assert twofactor.is_enabled(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert not stored & set(codes) and stored == {twofactor.recovery_hash(c) for c in codes}


def test_setup_page_shows_a_qr_code_and_confirms() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/settings/security/two-factor/")
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content
    secret = twofactor.pending_secret(user)
    assert secret and secret[:4].encode() in page.content
    wrong = client.post("/accounts/settings/security/two-factor/", {"code": "12"})
    assert wrong.status_code == 400
    assert twofactor.pending_secret(user) == secret  # a wrong code keeps the same secret
    done = client.post("/accounts/settings/security/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and b"recovery-codes" in done.content
    assert twofactor.is_enabled(user)


def test_login_asks_for_a_second_step_and_accepts_a_totp_code_once() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    client = Client()
    response = _password_step(client, user)
    assert response.status_code == 302 and response["Location"] == SECOND_STEP
    assert client.get(SETTINGS_URL).status_code == 302  # half signed in is not signed in
    code = _next_code(totp, user)
    response = client.post(SECOND_STEP, {"code": code})
    assert response.status_code == 302
    assert client.get(SETTINGS_URL).status_code == 200
    event = LoginEvent.objects.filter(user=user).latest("at")
    assert (event.outcome, event.method) == ("success", "totp")
    # The same code cannot be used again (replay).
    again = Client()
    _password_step(again, user)
    response = again.post(SECOND_STEP, {"code": code})
    assert response.status_code == 401
    assert again.get(SETTINGS_URL).status_code == 302


def test_recovery_codes_work_once() -> None:
    user = UserFactory()
    _totp, codes = _enrol(user)
    first = Client()
    _password_step(first, user)
    assert first.post(SECOND_STEP, {"code": codes[0].upper()}).status_code == 302
    assert first.get(SETTINGS_URL).status_code == 200
    assert twofactor.recovery_codes_left(user) == 9
    second = Client()
    _password_step(second, user)
    assert second.post(SECOND_STEP, {"code": codes[0]}).status_code == 401
    assert LoginEvent.objects.filter(user=user, outcome="failed_2fa", method="recovery_code").count() == 1


def test_half_login_expires_and_has_bounded_attempts() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    client = Client()
    _password_step(client, user)
    for _ in range(twofactor.PENDING_MAX_ATTEMPTS):
        client.post(SECOND_STEP, {"code": "000000" if totp.now() != "000000" else "999999"})
    response = client.post(SECOND_STEP, {"code": _next_code(totp, user)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get(SETTINGS_URL).status_code == 302
    late = Client()
    _password_step(late, user)
    session = late.session
    state = session[twofactor.PENDING_KEY]
    state["t"] = int(time.time()) - twofactor.PENDING_TTL - 1
    session[twofactor.PENDING_KEY] = state
    session.save()
    response = late.post(SECOND_STEP, {"code": _next_code(totp, user)})
    assert response["Location"] == "/accounts/login/"


def test_wrong_codes_feed_the_login_backoff() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    wrong = "000000" if totp.now() != "000000" else "999999"
    statuses = []
    for _ in range(2):
        client = Client(REMOTE_ADDR="203.0.113.9")
        assert _password_step(client, user).status_code == 302
        for _ in range(4):
            statuses.append(client.post(SECOND_STEP, {"code": wrong}).status_code)
    # A right password again does not reset the count of wrong second factors.
    assert statuses[:6] == [401] * 6 and statuses[6:] == [429, 429]


def test_disabling_needs_the_password() -> None:
    user = UserFactory()
    _enrol(user)
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/settings/security/two-factor/off/", {"password": "nope"})
    assert response.status_code == 400
    assert twofactor.is_enabled(user)
    response = client.post("/accounts/settings/security/two-factor/off/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert not twofactor.is_enabled(user)
    assert not RecoveryCode.objects.filter(user=user).exists()


def test_new_recovery_codes_replace_the_old() -> None:
    user = UserFactory()
    _totp, old = _enrol(user)
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/settings/security/recovery-codes/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert old[0].encode() not in response.content
    assert twofactor.second_factor_verify(user=user, code=old[0]) is None


def test_api_token_endpoint_requires_the_code() -> None:
    user = UserFactory()
    totp, codes = _enrol(user)
    client = Client()
    body = {"username_or_email": user.username, "password": DEFAULT_PASSWORD, "name": "cli"}
    response = _api(client, "/token", body)
    assert response.status_code == 401 and response.json()["code"] == "two_factor_required"
    wrong = "000000" if totp.now() != "000000" else "999999"
    response = _api(client, "/token", {**body, "code": wrong})
    assert response.status_code == 401 and response.json()["code"] == "two_factor_invalid"
    response = _api(client, "/token", {**body, "code": _next_code(totp, user)})
    assert response.status_code == 201 and response.json()["token"].startswith("hv_")
    response = _api(client, "/token", {**body, "code": codes[3]})
    assert response.status_code == 201
    event = LoginEvent.objects.filter(user=user, outcome="success").latest("at")
    assert event.method == "token"


def test_api_session_login_requires_the_code() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    client = Client()
    body = {"username_or_email": user.username, "password": DEFAULT_PASSWORD}
    response = _api(client, "/login", body)
    assert response.status_code == 401 and response.json()["code"] == "two_factor_required"
    assert client.get(SETTINGS_URL).status_code == 302
    response = _api(client, "/login", {**body, "code": _next_code(totp, user)})
    assert response.status_code == 200
    assert client.get(SETTINGS_URL).status_code == 200


def test_api_enrolment_flow_and_errors() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    csrf = client.get("/api/v1/accounts/csrf").json()["csrf_token"]
    post = lambda path, data=None: client.post(  # noqa: E731
        f"/api/v1/accounts{path}", data or {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    response = post("/two-factor/totp/confirm", {"code": "123456"})
    assert response.status_code == 404 and response.json()["code"] == "two_factor_not_started"
    setup = post("/two-factor/totp").json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/") and setup["qr_svg"].startswith("<svg")
    response = post("/two-factor/totp/confirm", {"code": "abc"})
    assert response.status_code == 400 and response.json()["code"] == "two_factor_invalid"
    response = post("/two-factor/totp/confirm", {"code": pyotp.TOTP(setup["secret"]).now()})
    assert response.status_code == 200 and len(response.json()["recovery_codes"]) == 10
    assert post("/two-factor/totp").json()["code"] == "two_factor_enabled"
    assert client.get("/api/v1/accounts/security").json()["two_factor_enabled"] is True
    response = post("/two-factor/disable", {"password": "wrong"})
    assert response.status_code == 400 and response.json()["code"] == "wrong_password"
    assert post("/two-factor/disable", {"password": DEFAULT_PASSWORD}).status_code == 204


def test_a_half_login_ends_when_the_password_changes() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    client = Client()
    _password_step(client, user)
    user.set_password("another long passphrase")
    user.save()
    response = client.post(SECOND_STEP, {"code": _next_code(totp, user)})
    assert response["Location"] == "/accounts/login/"


def test_old_totp_steps_are_refused() -> None:
    user = UserFactory()
    totp, _codes = _enrol(user)
    stale = totp.at(timezone.now() - timedelta(minutes=5))
    assert twofactor.second_factor_verify(user=user, code=stale) is None
