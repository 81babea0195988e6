"""Writes of two-factor authentication: authenticator apps (TOTP), recovery codes, the second login step.

Enrolment: `totp_begin` makes a pending secret (shown as a QR code and as text), `totp_confirm` checks
one code and turns two-factor on, returning ten single-use recovery codes to show once (only their
SHA-256 is kept). Signing in: after the password, a member with two-factor on is only *half* signed
in: `pending_login_start` keeps their id in the session for PENDING_TTL, and `second_factor_check`
accepts a TOTP code (never the same time step twice) or an unused recovery code. Failures count in
the login back-off of that account (services.login_backoff_*), and a half-login allows at most
PENDING_MAX_ATTEMPTS tries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
import time
from typing import Any, Final

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts import sealing, services
from haven.accounts.models import LoginEvent, RecoveryCode, TotpDevice, User
from haven.accounts.sessions import login_event_record
from haven.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound

RECOVERY_CODE_COUNT: Final = 10
_RECOVERY_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
MAX_CODE_LENGTH: Final = 32
PENDING_KEY: Final = "_haven_2fa_pending"
PENDING_TTL: Final = 5 * 60
PENDING_MAX_ATTEMPTS: Final = 5
TOTP_DIGITS: Final = 6
TOTP_WINDOW: Final = 1  # accept the previous and the next 30-second step too (clock drift)
_CODE_RE: Final = re.compile(r"[\s-]+")


# ----------------------------------------------------------------------------------------------
# State


def is_enabled(user: User) -> bool:
    """Whether the member must give a second factor after their password."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# ----------------------------------------------------------------------------------------------
# Enrolment


def totp_begin(*, user: User) -> str:
    """Start (or restart) enrolment: a fresh pending secret, returned in base32. Refused when on."""
    secret = pyotp.random_base32()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
        device = TotpDevice.objects.filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise Conflict(_("Two-factor authentication is already on."), code="two_factor_enabled")
        if device is None:
            TotpDevice.objects.create(user=user, secret_sealed=sealing.seal(secret))
        else:
            device.secret_sealed = sealing.seal(secret)
            device.last_counter = 0
            device.save(update_fields=["secret_sealed", "last_counter"])
    return secret


def pending_secret(user: User) -> str | None:
    """The base32 secret of an enrolment in progress, or None."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return sealing.unseal(device.secret_sealed) if device else None


def provisioning_uri(*, user: User, secret: str) -> str:
    """The otpauth:// URI authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=settings.HAVEN.site_name)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code of `uri` (segno, pure Python; no external request)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as a data: URI, for an <img> (the page's CSP allows data: images)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))


def _clean_code(code: str) -> str:
    raw = (code or "")[: MAX_CODE_LENGTH * 2]
    return _CODE_RE.sub("", raw).lower()[:MAX_CODE_LENGTH]


def _totp_accept(device: TotpDevice, code: str) -> bool:
    """Whether `code` is a current TOTP code of `device` never used before; marks its step used."""
    if not (len(code) == TOTP_DIGITS and code.isdigit()):
        return False
    secret = sealing.unseal(device.secret_sealed)
    if not secret:
        return False
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS)
    now = totp.timecode(timezone.now())
    for counter in range(now - TOTP_WINDOW, now + TOTP_WINDOW + 1):
        if counter > device.last_counter and hmac.compare_digest(totp.generate_otp(counter), code):
            # Compare-and-set: two requests racing with the same code cannot both win.
            won = TotpDevice.objects.filter(pk=device.pk, last_counter__lt=counter).update(
                last_counter=counter
            )
            if won:
                device.last_counter = counter
            return bool(won)
    return False


def totp_confirm(*, user: User, code: str) -> list[str]:
    """Turn two-factor on with a first code from the app; returns the recovery codes (shown once)."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise NotFound(
                _("Start setting up two-factor authentication first."), code="two_factor_not_started"
            )
        if device.confirmed_at is not None:
            raise Conflict(_("Two-factor authentication is already on."), code="two_factor_enabled")
        if not _totp_accept(device, _clean_code(code)):
            raise InvalidInput(_("That code is not right. Try the newest one."), code="two_factor_invalid")
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        return _recovery_codes_replace(user)


def totp_disable(*, user: User, password: str) -> None:
    """Turn two-factor off (the password is required); recovery codes go too."""
    if len(password or "") > services.MAX_PASSWORD_LENGTH or not user.check_password(password):
        raise InvalidInput(_("Your current password is not correct."), code="wrong_password")
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()


# ----------------------------------------------------------------------------------------------
# Recovery codes


def recovery_hash(code: str) -> str:
    return hashlib.sha256(f"haven-recovery:{_clean_code(code)}".encode()).hexdigest()


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def _recovery_codes_replace(user: User) -> list[str]:
    codes = [_new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=recovery_hash(c)) for c in codes])
    return codes


def recovery_codes_regenerate(*, user: User, password: str) -> list[str]:
    """New recovery codes (the old ones stop working); two-factor must be on; the password is required."""
    if len(password or "") > services.MAX_PASSWORD_LENGTH or not user.check_password(password):
        raise InvalidInput(_("Your current password is not correct."), code="wrong_password")
    with transaction.atomic():
        if not TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).exists():
            raise Conflict(_("Two-factor authentication is off."), code="two_factor_disabled")
        return _recovery_codes_replace(user)


def _recovery_accept(user: User, code: str) -> bool:
    if not code or len(code) > MAX_CODE_LENGTH:
        return False
    return bool(
        RecoveryCode.objects.filter(user=user, code_hash=recovery_hash(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def second_factor_verify(*, user: User, code: str) -> str | None:
    """The method ("totp" or "recovery_code") `code` passes as, or None. Each code works once."""
    cleaned = _clean_code(code)
    if not cleaned:
        return None
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    if cleaned.isdigit():
        return LoginEvent.Method.TOTP if _totp_accept(device, cleaned) else None
    return LoginEvent.Method.RECOVERY_CODE if _recovery_accept(user, cleaned) else None


def second_factor_check(*, request: HttpRequest, user: User, code: str | None) -> str | None:
    """Require the member's second factor when two-factor is on; returns the method used (or None when off).

    Missing: NotAuthenticated `two_factor_required`. Wrong: `two_factor_invalid`, counted in the
    login back-off of the account, which refuses further tries (RateLimited) while it lasts.
    """
    if not is_enabled(user):
        return None
    if not code:
        raise NotAuthenticated(
            _("Enter the code from your authenticator app or a recovery code."), code="two_factor_required"
        )
    services.login_backoff_check(request=request, user=user)
    method = second_factor_verify(user=user, code=code)
    if method is None:
        services.login_backoff_fail(request=request, user=user)
        login_event_record(
            request=request,
            user=user,
            outcome=LoginEvent.Outcome.FAILED_2FA,
            method=LoginEvent.Method.RECOVERY_CODE
            if not _clean_code(code).isdigit()
            else LoginEvent.Method.TOTP,
        )
        raise NotAuthenticated(_("That code is not right."), code="two_factor_invalid")
    services.login_backoff_passed(request=request, user=user)
    return method


# ----------------------------------------------------------------------------------------------
# The half-signed-in state of a browser session


def pending_login_start(*, request: HttpRequest, user: User, next_url: str) -> None:
    """Remember, in this session, that `user` gave the right password and still owes a second factor."""
    request.session[PENDING_KEY] = {  # type: ignore[attr-defined]
        "u": user.pk,
        "t": int(time.time()),
        "n": next_url[:1000],
        "a": 0,
        "h": _pending_tag(user),
    }


def _pending_tag(user: User) -> str:
    """Binds a half-login to the password it was made with (a password change ends it)."""
    return base64.b64encode(hashlib.sha256(user.password.encode()).digest()[:9]).decode()


def pending_login(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The member half signed in to this session and their pending state, or None (absent or expired)."""
    session = getattr(request, "session", None)
    state = session.get(PENDING_KEY) if session is not None else None
    if not isinstance(state, dict) or not isinstance(state.get("u"), int):
        return None
    if time.time() - int(state.get("t", 0)) > PENDING_TTL or int(state.get("a", 0)) >= PENDING_MAX_ATTEMPTS:
        pending_login_clear(request)
        return None
    user = User.objects.filter(pk=state["u"], is_active=True).first()
    if user is None or state.get("h") != _pending_tag(user):
        pending_login_clear(request)
        return None
    return user, state


def pending_login_failed(request: HttpRequest) -> None:
    """Count one wrong code against the half-login (it ends after PENDING_MAX_ATTEMPTS)."""
    state = request.session.get(PENDING_KEY)  # type: ignore[attr-defined]
    if isinstance(state, dict):
        state["a"] = int(state.get("a", 0)) + 1
        request.session[PENDING_KEY] = state  # type: ignore[attr-defined]


def pending_login_clear(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    if session is not None and PENDING_KEY in session:
        del session[PENDING_KEY]
