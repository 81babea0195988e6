"""Bounded ninja schemas of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from haven.accounts.models import MAX_LANGUAGES
from haven.core.openapi import TEXT_PATTERN

LanguageCode = Annotated[str, StringConstraints(min_length=1, max_length=8)]


class SignupIn(Schema):
    username: str = Field(min_length=1, max_length=30)
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=128)
    display_name: str = Field("", max_length=50)
    languages: list[LanguageCode] = Field(default_factory=list, max_length=MAX_LANGUAGES)
    interface_language: str = Field("en", max_length=8)
    data_region: str = Field(
        "", max_length=16, description="Where media are stored: a code from GET /privacy/region (optional)"
    )


class LoginIn(Schema):
    username_or_email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=128)
    code: str | None = Field(
        None, max_length=32, description="Authenticator-app or recovery code, when two-factor is on"
    )


class TokenLoginIn(LoginIn):
    name: str = Field(min_length=1, max_length=50)


class MeOut(Schema):
    id: int
    username: str
    email: str
    display_name: str
    bio: str
    avatar_url: str
    avatar_blurhash: str
    languages: list[str]
    region: str
    interface_language: str
    is_private: bool
    date_joined: datetime


class ProfilePatchIn(Schema):
    display_name: str | None = Field(None, max_length=50)
    bio: str | None = Field(None, max_length=500)
    languages: list[LanguageCode] | None = Field(None, max_length=MAX_LANGUAGES)
    region: str | None = Field(None, max_length=2)
    interface_language: str | None = Field(None, max_length=8)
    is_private: bool | None = None


class PasswordIn(Schema):
    old_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=50)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(Schema):
    """The secret appears here once; Haven stores only its SHA-256."""

    token: str
    id: int
    name: str


class TokenListOut(Schema):
    items: list[TokenOut]
    next_cursor: str | None = None


class CsrfOut(Schema):
    csrf_token: str


# ----------------------------------------------------------------------------------------------
# Account security


class SecurityOut(Schema):
    two_factor_enabled: bool
    recovery_codes_left: int
    passkeys: int
    sessions: int
    tokens: int


class SessionOut(Schema):
    id: int
    label: str
    user_agent: str
    ip_address: str | None
    created_at: datetime
    last_seen_at: datetime
    current: bool


class SessionListOut(Schema):
    items: list[SessionOut]
    next_cursor: str | None = None


class EndAllOut(Schema):
    sessions_ended: int
    tokens_revoked: int


class LoginEventOut(Schema):
    at: datetime
    ip_address: str | None
    user_agent: str
    outcome: str
    method: str


class LoginEventListOut(Schema):
    items: list[LoginEventOut]
    next_cursor: str | None = None


class TotpSetupOut(Schema):
    """The secret of an enrolment in progress: shown as text and as a QR code (SVG)."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class CodeIn(Schema):
    code: str = Field(min_length=1, max_length=32)


class PasswordConfirmIn(Schema):
    password: str = Field(min_length=1, max_length=128)


class RecoveryCodesOut(Schema):
    """Shown once; Haven keeps only their hashes."""

    recovery_codes: list[str]


class PasskeyOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    backed_up: bool


class PasskeyListOut(Schema):
    items: list[PasskeyOut]
    next_cursor: str | None = None


class CeremonyOut(Schema):
    """`options` go to navigator.credentials; `ceremony` comes back with the answer (valid 5 minutes)."""

    ceremony: str
    options: dict[str, Any]


def _safe_json(depth: int) -> dict[str, Any]:
    """JSON whose strings and keys pass the input guard, nested at most `depth` levels (documentation)."""
    leaves: list[dict[str, Any]] = [
        {"type": "string", "pattern": TEXT_PATTERN},
        {"type": ["number", "boolean", "null"]},
    ]
    if depth <= 0:
        return {"anyOf": leaves}
    inner = _safe_json(depth - 1)
    return {
        "anyOf": [
            *leaves,
            {"type": "array", "items": inner},
            {"type": "object", "propertyNames": {"pattern": TEXT_PATTERN}, "additionalProperties": inner},
        ]
    }


#: The browser's PublicKeyCredential as JSON: an object whose strings pass the input guard.
_CREDENTIAL_SCHEMA: dict[str, Any] = {
    "propertyNames": {"pattern": TEXT_PATTERN},
    "additionalProperties": _safe_json(3),
}


class PasskeyRegisterIn(Schema):
    ceremony: str = Field(min_length=1, max_length=1000)
    credential: dict[str, Any] = Field(json_schema_extra=_CREDENTIAL_SCHEMA)
    name: str = Field("", max_length=50)


class PasskeyLoginIn(Schema):
    ceremony: str = Field(min_length=1, max_length=1000)
    credential: dict[str, Any] = Field(json_schema_extra=_CREDENTIAL_SCHEMA)


class PasskeyRenameIn(Schema):
    name: str = Field(min_length=1, max_length=50)
