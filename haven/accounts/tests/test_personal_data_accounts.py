"""Accounts in the personal-data registry: every model registered, exports free of secrets, erasers work."""

from __future__ import annotations

import json

import pyotp
import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from haven.accounts import twofactor
from haven.accounts.models import ApiToken, LoginEvent, Passkey, RecoveryCode, TotpDevice, User, UserSession
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for
from haven.core import personal_data

pytestmark = pytest.mark.django_db


def _export(user: User) -> str:
    out = {}
    for section, registrations in personal_data.sections():
        rows = []
        for registration in registrations:
            if registration.model._meta.app_label in {"accounts", "sessions", "admin"}:
                assert registration.exporter is not None
                rows.extend(registration.exporter(user))
        out[section] = rows
    return json.dumps(out, default=str)


def test_every_accounts_model_is_registered() -> None:
    for model in apps.get_app_config("accounts").get_models(include_auto_created=True):
        assert personal_data.registration_for(model) or personal_data.exemption_for(model), model
    for label in ("sessions.Session", "admin.LogEntry"):
        assert personal_data.registration_for(apps.get_model(label)) is not None
    user_reg = personal_data.registration_for(User)
    assert user_reg is not None and user_reg.section == "profile"
    assert user_reg.erased_with == "privacy.account_erase"  # the row goes last; the eraser takes the avatar


def test_exports_hold_no_secrets() -> None:
    user = UserFactory()
    client = Client()
    client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})
    token, raw = token_for(user, name="laptop")
    secret = twofactor.totp_begin(user=user)
    codes = twofactor.totp_confirm(user=user, code=pyotp.TOTP(secret).now())
    Passkey.objects.create(user=user, name="Phone", credential_id="Y3JlZGVudGlhbA", public_key=b"\x01\x02")
    exported = _export(user)
    session_key = client.session.session_key
    row = UserSession.objects.get(user=user)
    forbidden = [
        raw,
        token.token_hash,
        token.prefix,
        secret,
        TotpDevice.objects.get(user=user).secret_sealed,
        *codes,
        *RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True),
        session_key,
        row.key_hash,
        row.key_sealed,
        "Y3JlZGVudGlhbA",
        user.password,
    ]
    for value in forbidden:
        assert value not in exported, value
    assert "laptop" in exported and "Phone" in exported and user.email in exported
    assert '"enabled": true' in exported


def test_erasers_remove_the_members_rows_only() -> None:
    user, other = UserFactory(), UserFactory()
    for member in (user, other):
        client = Client()
        client.post("/accounts/login/", {"login": member.username, "password": DEFAULT_PASSWORD})
        client.post("/accounts/login/", {"login": member.username, "password": "nope"})
        token_for(member)
        secret = twofactor.totp_begin(user=member)
        twofactor.totp_confirm(user=member, code=pyotp.TOTP(secret).now())
        Passkey.objects.create(user=member, name="k", credential_id=f"id{member.pk}", public_key=b"\x01")
        LogEntry.objects.create(
            user=member,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(member.pk),
            object_repr=member.username,
            action_flag=ADDITION,
        )
    for registration in personal_data.registrations():
        if registration.eraser is not None and registration.model._meta.app_label in {
            "accounts",
            "sessions",
            "admin",
        }:
            registration.eraser(user)
    for model in (ApiToken, UserSession, LoginEvent, TotpDevice, RecoveryCode, Passkey, LogEntry):
        assert not model.objects.filter(user=user).exists(), model
        assert model.objects.filter(user=other).exists(), model
