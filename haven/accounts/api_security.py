"""JSON API of account security (under /api/v1/accounts): sessions, login history, two-factor, passkeys."""

from __future__ import annotations

from typing import Annotated, Any

from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from haven.accounts import passkeys, selectors, services, sessions, twofactor
from haven.accounts.auth import require_csrf
from haven.accounts.models import LoginEvent, Passkey, User, UserSession
from haven.accounts.schemas import (
    CeremonyOut,
    CodeIn,
    EndAllOut,
    LoginEventListOut,
    MeOut,
    PasskeyListOut,
    PasskeyLoginIn,
    PasskeyOut,
    PasskeyRegisterIn,
    PasskeyRenameIn,
    PasswordConfirmIn,
    RecoveryCodesOut,
    SecurityOut,
    SessionListOut,
    TotpSetupOut,
)
from haven.core.errors import NotAuthenticated
from haven.core.openapi import errors

router = Router(tags=["account security"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def session_out(row: UserSession, current_id: int | None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "label": row.label,
        "user_agent": row.user_agent,
        "ip_address": row.ip_address,
        "created_at": row.created_at,
        "last_seen_at": row.last_seen_at,
        "current": row.pk == current_id,
    }


@router.get("/security", response=SecurityOut, summary="Account security at a glance")
def security(request: HttpRequest) -> dict[str, Any]:
    user = _member(request)
    return {
        "two_factor_enabled": twofactor.is_enabled(user),
        "recovery_codes_left": twofactor.recovery_codes_left(user),
        "passkeys": Passkey.objects.filter(user=user).count(),
        "sessions": UserSession.objects.filter(user=user).count(),
        "tokens": selectors.tokens_for(user).count(),
    }


@router.get("/sessions", response=SessionListOut, summary="Signed-in browser sessions (`current`: this one)")
def sessions_list(request: HttpRequest) -> dict[str, Any]:
    current = None if getattr(request, "api_token", None) else sessions.current_session_id(request)
    rows = selectors.sessions_for(_member(request))
    return {"items": [session_out(r, current) for r in rows], "next_cursor": None}


@router.delete("/sessions/{session_id}", response={204: None}, summary="Sign a session out")
def sessions_revoke(request: HttpRequest, session_id: Id) -> Status[None]:
    user = _member(request)
    current = None if getattr(request, "api_token", None) else sessions.current_session_id(request)
    sessions.session_revoke(user=user, session_id=session_id)
    if session_id == current:
        logout(request)
    return Status(204, None)


@router.post(
    "/logout-everywhere",
    response=EndAllOut,
    summary="Log out everywhere: every session (this one too) and every API token",
)
def sessions_end_all(request: HttpRequest) -> dict[str, int]:
    user = _member(request)
    ended = sessions.sessions_end_all(user=user)
    revoked = services.tokens_revoke_all(user=user)
    if getattr(request, "api_token", None) is None:
        logout(request)
    return {"sessions_ended": ended, "tokens_revoked": revoked}


@router.get("/login-history", response=LoginEventListOut, summary="The latest 50 sign-in attempts")
def login_history(request: HttpRequest) -> dict[str, Any]:
    return {"items": list(selectors.login_history_for(_member(request))), "next_cursor": None}


# ----------------------------------------------------------------------------------------------
# Two-factor (authenticator app + recovery codes)


@router.post(
    "/two-factor/totp",
    response={200: TotpSetupOut, **errors(409)},
    summary="Start setting up an authenticator app (a new secret; confirm it with a code)",
)
def totp_begin(request: HttpRequest) -> dict[str, str]:
    user = _member(request)
    secret = twofactor.totp_begin(user=user)
    uri = twofactor.provisioning_uri(user=user, secret=secret)
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": twofactor.qr_svg(uri)}


@router.post(
    "/two-factor/totp/confirm",
    response={200: RecoveryCodesOut, **errors(409)},
    summary="Turn two-factor on with a code from the app; returns recovery codes (shown once)",
)
def totp_confirm(request: HttpRequest, payload: CodeIn) -> dict[str, list[str]]:
    return {"recovery_codes": twofactor.totp_confirm(user=_member(request), code=payload.code)}


@router.post(
    "/two-factor/disable",
    response={204: None, **errors(429)},
    summary="Turn two-factor off (needs the password)",
)
def totp_disable(request: HttpRequest, payload: PasswordConfirmIn) -> Status[None]:
    user = _member(request)
    _password_attempt(user)
    twofactor.totp_disable(user=user, password=payload.password)
    return Status(204, None)


@router.post(
    "/two-factor/recovery-codes",
    response={200: RecoveryCodesOut, **errors(409, 429)},
    summary="New recovery codes (the old ones stop working; needs the password)",
)
def recovery_codes(request: HttpRequest, payload: PasswordConfirmIn) -> dict[str, list[str]]:
    user = _member(request)
    _password_attempt(user)
    return {"recovery_codes": twofactor.recovery_codes_regenerate(user=user, password=payload.password)}


def _password_attempt(user: User) -> None:
    from django.conf import settings

    from haven.core import ratelimit

    ratelimit.hit(
        "password_confirm", str(user.pk), limit=settings.HAVEN.login_rate_per_minute, window_seconds=60
    )


# ----------------------------------------------------------------------------------------------
# Passkeys


@router.get("/passkeys", response=PasskeyListOut, summary="Registered passkeys")
def passkeys_list(request: HttpRequest) -> dict[str, Any]:
    return {"items": list(selectors.passkeys_for(_member(request))), "next_cursor": None}


@router.post(
    "/passkeys/register/options",
    response={200: CeremonyOut, **errors(409)},
    summary="Start registering a passkey: options for navigator.credentials.create()",
)
def passkey_register_options(request: HttpRequest) -> dict[str, Any]:
    return passkeys.registration_options(request=request, user=_member(request))


@router.post(
    "/passkeys/register/verify",
    response={201: PasskeyOut, **errors(409)},
    summary="Finish registering a passkey with the browser's answer",
)
def passkey_register_verify(request: HttpRequest, payload: PasskeyRegisterIn) -> Status[Passkey]:
    passkey = passkeys.registration_verify(
        request=request,
        user=_member(request),
        ceremony=payload.ceremony,
        credential=payload.credential,
        name=payload.name,
    )
    return Status(201, passkey)


@router.post(
    "/passkeys/login/options",
    auth=None,
    response={200: CeremonyOut, **errors(403)},
    summary="Start signing in with a passkey (the second step after a password, or passwordless)",
)
def passkey_login_options(request: HttpRequest) -> dict[str, Any]:
    require_csrf(request)
    pending = twofactor.pending_login(request)
    return passkeys.authentication_options(request=request, user=pending[0] if pending else None)


@router.post(
    "/passkeys/login/verify",
    auth=None,
    response={200: MeOut, **errors(401, 403, 429)},
    summary="Finish signing this browser session in with a passkey",
)
def passkey_login_verify(request: HttpRequest, payload: PasskeyLoginIn) -> dict[str, Any]:
    from haven.accounts.api import me_out

    require_csrf(request)
    pending = twofactor.pending_login(request)
    if pending is not None:
        services.login_backoff_check(request=request, user=pending[0])
    try:
        passkey = passkeys.authentication_verify(
            request=request, ceremony=payload.ceremony, credential=payload.credential
        )
        if pending is not None and passkey.user_id != pending[0].pk:
            raise NotAuthenticated(_("This passkey is not known here."), code="passkey_invalid")
    except NotAuthenticated:
        if pending is not None:
            services.login_backoff_fail(request=request, user=pending[0])
            twofactor.pending_login_failed(request)
            sessions.login_event_record(
                request=request,
                user=pending[0],
                outcome=LoginEvent.Outcome.FAILED_2FA,
                method=LoginEvent.Method.PASSKEY,
            )
        raise
    if pending is not None:
        services.login_backoff_passed(request=request, user=pending[0])
    sessions.login_complete(request=request, user=passkey.user, method=LoginEvent.Method.PASSKEY)
    return me_out(passkey.user)


@router.patch("/passkeys/{passkey_id}", response=PasskeyOut, summary="Rename a passkey")
def passkey_rename(request: HttpRequest, passkey_id: Id, payload: PasskeyRenameIn) -> Passkey:
    return passkeys.passkey_rename(user=_member(request), passkey_id=passkey_id, name=payload.name)


@router.delete("/passkeys/{passkey_id}", response={204: None}, summary="Remove a passkey")
def passkey_remove(request: HttpRequest, passkey_id: Id) -> Status[None]:
    passkeys.passkey_remove(user=_member(request), passkey_id=passkey_id)
    return Status(204, None)
