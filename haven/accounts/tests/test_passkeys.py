"""Passkeys: options, full ceremonies against a software authenticator, and refusal of bad input."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from typing import Any

import pyotp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.encode_cbor import encode_cbor

from haven.accounts import passkeys, twofactor
from haven.accounts.models import LoginEvent, Passkey, User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
RP_ID = "testserver"
API = "/api/v1/accounts"
SETTINGS_URL = "/accounts/settings/"


class SoftAuthenticator:
    """A minimal WebAuthn authenticator: one EC P-256 credential, "none" attestation, user verified."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.counter = 0

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return encode_cbor(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )

    def _auth_data(self, *, rp_id: str, attested: bool) -> bytes:
        self.counter += 1
        flags = 0x01 | 0x04 | (0x40 if attested else 0)  # user present, user verified, attested data
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.counter)
        if attested:
            data += (
                bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
            )
        return data

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin}).encode()

    def create(self, options: dict[str, Any], *, origin: str = ORIGIN, rp_id: str = RP_ID) -> dict[str, Any]:
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = encode_cbor(
            {"fmt": "none", "attStmt": {}, "authData": self._auth_data(rp_id=rp_id, attested=True)}
        )
        cid = bytes_to_base64url(self.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal", "bogus"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict[str, Any], *, origin: str = ORIGIN, rp_id: str = RP_ID) -> dict[str, Any]:
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = self._auth_data(rp_id=rp_id, attested=False)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        cid = bytes_to_base64url(self.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


def _client(user: User | None = None) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    csrf = client.get(f"{API}/csrf").json()["csrf_token"]
    return client, csrf


def _post(client: Client, csrf: str, path: str, data: Any = None) -> Any:
    return client.post(f"{API}{path}", data or {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)


def _register(user: User, authenticator: SoftAuthenticator, name: str = "Phone") -> Any:
    client, csrf = _client(user)
    start = _post(client, csrf, "/passkeys/register/options").json()
    answer = authenticator.create(start["options"])
    return _post(
        client,
        csrf,
        "/passkeys/register/verify",
        {"ceremony": start["ceremony"], "credential": answer, "name": name},
    )


def test_registration_options() -> None:
    user = UserFactory()
    client, csrf = _client(user)
    body = _post(client, csrf, "/passkeys/register/options").json()
    options = body["options"]
    assert options["rp"]["id"] == RP_ID
    assert options["user"]["name"] == user.username
    assert base64url_to_bytes(options["user"]["id"]) == passkeys.user_handle(user)  # opaque, 32 bytes
    assert len(passkeys.user_handle(user)) == 32
    assert len(base64url_to_bytes(options["challenge"])) >= 32
    assert options["excludeCredentials"] == []
    other = _post(client, csrf, "/passkeys/register/options").json()
    assert other["options"]["challenge"] != options["challenge"]


def test_register_then_sign_in_without_a_password() -> None:
    user = UserFactory()
    authenticator = SoftAuthenticator()
    response = _register(user, authenticator, name="  My   phone ")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "My phone"
    passkey = Passkey.objects.get(user=user)
    assert passkey.transports == ["internal"]
    # The registered credential is excluded from the next registration.
    client, csrf = _client(user)
    assert len(_post(client, csrf, "/passkeys/register/options").json()["options"]["excludeCredentials"]) == 1
    # Registering the same credential again is a conflict.
    again = _register(user, authenticator)
    assert again.status_code == 409 and again.json()["code"] == "passkey_exists"

    anonymous, csrf = _client()
    start = _post(anonymous, csrf, "/passkeys/login/options").json()
    assert start["options"]["allowCredentials"] == [] and start["options"]["userVerification"] == "required"
    answer = authenticator.get(start["options"])
    response = _post(
        anonymous, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 200 and response.json()["username"] == user.username
    assert anonymous.get(SETTINGS_URL).status_code == 200
    assert LoginEvent.objects.filter(user=user, outcome="success", method="passkey").count() == 1
    # The same answer (and ceremony) cannot be replayed.
    replay, csrf = _client()
    response = _post(
        replay, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 400 and response.json()["code"] == "passkey_challenge_used"


def test_passkey_as_the_second_step() -> None:
    user = UserFactory()
    authenticator = SoftAuthenticator()
    assert _register(user, authenticator).status_code == 201
    secret = twofactor.totp_begin(user=user)
    twofactor.totp_confirm(user=user, code=pyotp.TOTP(secret).now())
    client, csrf = _client()
    client.post(
        "/accounts/login/",
        {"login": user.username, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    page = client.get("/accounts/login/two-factor/")
    assert b"data-passkey-login" in page.content
    start = _post(client, csrf, "/passkeys/login/options").json()
    assert len(start["options"]["allowCredentials"]) == 1  # this member's passkeys only
    answer = authenticator.get(start["options"])
    response = _post(
        client, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 200
    assert client.get(SETTINGS_URL).status_code == 200


def test_someone_elses_passkey_cannot_finish_a_half_login() -> None:
    member, intruder = UserFactory(), UserFactory()
    theirs = SoftAuthenticator()
    assert _register(intruder, theirs).status_code == 201
    secret = twofactor.totp_begin(user=member)
    twofactor.totp_confirm(user=member, code=pyotp.TOTP(secret).now())
    client, csrf = _client()
    client.post(
        "/accounts/login/",
        {"login": member.username, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    start = _post(client, csrf, "/passkeys/login/options").json()
    answer = theirs.get(start["options"])
    response = _post(
        client, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 401 and response.json()["code"] == "passkey_invalid"
    assert client.get(SETTINGS_URL).status_code == 302


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda start, answer: (start, {**answer, "response": {}}), "passkey_invalid"),
        (lambda start, answer: (start, {"id": "x"}), "passkey_invalid"),
        (lambda start, answer: ("garbage", answer), "passkey_challenge_invalid"),
        (lambda start, answer: (start[:-3] + "AAA", answer), "passkey_challenge_invalid"),
    ],
)
def test_registration_refuses_bad_input(mutate: Any, code: str) -> None:
    user = UserFactory()
    client, csrf = _client(user)
    start = _post(client, csrf, "/passkeys/register/options").json()
    answer = SoftAuthenticator().create(start["options"])
    ceremony, credential = mutate(start["ceremony"], answer)
    response = _post(
        client, csrf, "/passkeys/register/verify", {"ceremony": ceremony, "credential": credential}
    )
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Passkey.objects.exists()


def test_registration_refuses_a_wrong_origin_or_rp_and_another_members_ceremony() -> None:
    user, other = UserFactory(), UserFactory()
    client, csrf = _client(user)
    for kwargs in ({"origin": "https://evil.example"}, {"rp_id": "evil.example"}):
        start = _post(client, csrf, "/passkeys/register/options").json()
        answer = SoftAuthenticator().create(start["options"], **kwargs)
        response = _post(
            client, csrf, "/passkeys/register/verify", {"ceremony": start["ceremony"], "credential": answer}
        )
        assert response.status_code == 400 and response.json()["code"] == "passkey_invalid"
    start = _post(client, csrf, "/passkeys/register/options").json()
    answer = SoftAuthenticator().create(start["options"])
    theirs, their_csrf = _client(other)
    response = _post(
        theirs, their_csrf, "/passkeys/register/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 400 and response.json()["code"] == "passkey_challenge_invalid"


def test_expired_and_wrong_kind_ceremonies_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory()
    client, csrf = _client(user)
    start = _post(client, csrf, "/passkeys/register/options").json()
    answer = SoftAuthenticator().create(start["options"])
    monkeypatch.setattr(passkeys, "CHALLENGE_TTL", -1)
    response = _post(
        client, csrf, "/passkeys/register/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 400 and response.json()["code"] == "passkey_challenge_expired"
    monkeypatch.undo()
    # A registration ceremony is no login ceremony.
    anonymous, anon_csrf = _client()
    response = _post(
        anonymous, anon_csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 400 and response.json()["code"] == "passkey_challenge_invalid"


def test_login_refuses_an_unknown_passkey_and_a_bad_signature() -> None:
    user = UserFactory()
    authenticator = SoftAuthenticator()
    assert _register(user, authenticator).status_code == 201
    client, csrf = _client()
    start = _post(client, csrf, "/passkeys/login/options").json()
    answer = SoftAuthenticator().get(start["options"])
    response = _post(
        client, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 401 and response.json()["code"] == "passkey_invalid"
    start = _post(client, csrf, "/passkeys/login/options").json()
    answer = authenticator.get(start["options"])
    answer["response"]["signature"] = bytes_to_base64url(b"\x30\x06\x02\x01\x01\x02\x01\x01")
    response = _post(
        client, csrf, "/passkeys/login/verify", {"ceremony": start["ceremony"], "credential": answer}
    )
    assert response.status_code == 401 and response.json()["code"] == "passkey_invalid"
    assert client.get(SETTINGS_URL).status_code == 302


def test_login_options_need_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/passkeys/login/options", {}, content_type="application/json")
    assert response.status_code == 403


def test_rename_remove_and_list() -> None:
    user, other = UserFactory(), UserFactory()
    assert _register(user, SoftAuthenticator()).status_code == 201
    passkey = Passkey.objects.get(user=user)
    client, csrf = _client(user)
    response = client.patch(
        f"{API}/passkeys/{passkey.pk}",
        {"name": "Laptop"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200 and response.json()["name"] == "Laptop"
    assert client.get(f"{API}/passkeys").json()["items"][0]["name"] == "Laptop"
    theirs, their_csrf = _client(other)
    response = theirs.delete(f"{API}/passkeys/{passkey.pk}", HTTP_X_CSRFTOKEN=their_csrf)
    assert response.status_code == 404
    page = client.get("/accounts/settings/security/")
    assert b"Laptop" in page.content
    response = client.post(
        "/accounts/settings/security/passkeys/remove/",
        {"passkey_id": passkey.pk, "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302
    assert not Passkey.objects.exists()


def test_too_many_passkeys(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory()
    monkeypatch.setattr(Passkey, "MAX_PER_USER", 1)
    assert _register(user, SoftAuthenticator()).status_code == 201
    client, csrf = _client(user)
    response = _post(client, csrf, "/passkeys/register/options")
    assert response.status_code == 409 and response.json()["code"] == "too_many_passkeys"


def test_relying_party_from_host() -> None:
    from django.test import RequestFactory

    factory = RequestFactory()
    assert passkeys.relying_party(factory.get("/", HTTP_HOST="testserver:8000")) == (
        "testserver",
        "http://testserver:8000",
    )
