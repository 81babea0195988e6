"""Writes of passkeys (WebAuthn, with py_webauthn): register, sign in with one, rename, remove.

A ceremony has two halves. `*_options` makes a random challenge and returns it inside the options the
browser passes to `navigator.credentials`, together with a signed `ceremony` token (the challenge,
who it is for, which kind, the relying party) valid for CHALLENGE_TTL. `*_verify` takes the token
back with the browser's answer, refuses an expired, forged or already used token, and lets py_webauthn
check the answer against the challenge, the relying party id (this site's host) and the origin.
A passkey serves as a second factor (after a password) or alone, for passwordless sign-in (then the
authenticator must verify the user: PIN or biometrics).
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Final

import webauthn
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.options_to_json_dict import options_to_json_dict
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from haven.accounts.models import Passkey, User
from haven.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound

CHALLENGE_TTL: Final = 5 * 60
MAX_CEREMONY: Final = 1000
MAX_CREDENTIAL_JSON: Final = 32 * 1024
MAX_NAME: Final = 50
_SALT: Final = "haven.accounts.passkeys.ceremony"
_TRANSPORTS: Final = frozenset(t.value for t in AuthenticatorTransport)
REGISTER: Final = "register"
AUTHENTICATE: Final = "authenticate"


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(rp id, origin) of this request: the host without its port, and scheme://host[:port]."""
    host = request.get_host()  # validated against ALLOWED_HOSTS
    if host.startswith("["):
        rp_id = host[1:].split("]", 1)[0]
    else:
        rp_id = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return rp_id.lower(), f"{request.scheme}://{host}"


def user_handle(user: User) -> bytes:
    """The WebAuthn user id: opaque and stable, no personal data (an HMAC of the member id)."""
    return salted_hmac("haven.accounts.passkeys.user", str(user.pk), algorithm="sha256").digest()[:32]


def _ceremony(*, kind: str, challenge: bytes, rp_id: str, user_id: int | None) -> str:
    payload = {
        "k": kind,
        "c": bytes_to_base64url(challenge),
        "r": rp_id,
        "u": user_id,
        "n": secrets.token_hex(8),
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def _open_ceremony(token: str, *, kind: str, request: HttpRequest) -> dict[str, Any]:
    """The ceremony behind `token`: refused when forged, expired, of another kind or site, or used."""
    if not isinstance(token, str) or not token or len(token) > MAX_CEREMONY:
        raise InvalidInput(
            _("This passkey request is not valid; try again."), code="passkey_challenge_invalid"
        )
    try:
        data = signing.loads(token, salt=_SALT, max_age=CHALLENGE_TTL)
    except signing.SignatureExpired as exc:
        raise InvalidInput(
            _("This passkey request expired; try again."), code="passkey_challenge_expired"
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(
            _("This passkey request is not valid; try again."), code="passkey_challenge_invalid"
        ) from exc
    rp_id, _origin = relying_party(request)
    if not isinstance(data, dict) or data.get("k") != kind or data.get("r") != rp_id:
        raise InvalidInput(
            _("This passkey request is not valid; try again."), code="passkey_challenge_invalid"
        )
    if not cache.add(f"accounts:passkey_ceremony:{data.get('n')}", 1, CHALLENGE_TTL + 60):
        raise InvalidInput(
            _("This passkey request was already used; try again."), code="passkey_challenge_used"
        )
    return data


def _credential(credential: Any) -> dict[str, Any]:
    """The browser's answer as a dict, bounded."""
    if not isinstance(credential, dict) or len(json.dumps(credential, default=str)) > MAX_CREDENTIAL_JSON:
        raise InvalidInput(_("The passkey answer is not valid."), code="passkey_invalid")
    return credential


def _clean_name(name: str) -> str:
    label = " ".join((name or "").split())
    if len(label) > MAX_NAME:
        raise InvalidInput(
            _("Passkey names are at most %(max)d characters.") % {"max": MAX_NAME},
            code="invalid_passkey_name",
        )
    return label


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    out = []
    for credential_id, transports in Passkey.objects.filter(user=user).values_list(
        "credential_id", "transports"
    ):
        known = [AuthenticatorTransport(t) for t in (transports or []) if t in _TRANSPORTS]
        out.append(
            PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(credential_id), transports=known)
        )
    return out


# ----------------------------------------------------------------------------------------------
# Registration


def registration_options(*, request: HttpRequest, user: User) -> dict[str, Any]:
    """Options for `navigator.credentials.create()` and the ceremony token to send back."""
    if Passkey.objects.filter(user=user).count() >= Passkey.MAX_PER_USER:
        raise Conflict(
            _("You have too many passkeys; remove one first."),
            code="too_many_passkeys",
            details={"max": Passkey.MAX_PER_USER},
        )
    rp_id, _origin = relying_party(request)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.HAVEN.site_name,
        user_id=user_handle(user),
        user_name=user.username,
        user_display_name=user.name,
        timeout=CHALLENGE_TTL * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    ceremony = _ceremony(kind=REGISTER, challenge=options.challenge, rp_id=rp_id, user_id=user.pk)
    return {"ceremony": ceremony, "options": options_to_json_dict(options)}


def registration_verify(
    *, request: HttpRequest, user: User, ceremony: str, credential: Any, name: str
) -> Passkey:
    """Check the browser's answer to `registration_options` and keep the new passkey."""
    label = _clean_name(name) or _("Passkey")
    answer = _credential(credential)
    data = _open_ceremony(ceremony, kind=REGISTER, request=request)
    if data.get("u") != user.pk:
        raise InvalidInput(
            _("This passkey request is not valid; try again."), code="passkey_challenge_invalid"
        )
    rp_id, origin = relying_party(request)
    try:
        verified = webauthn.verify_registration_response(
            credential=answer,
            expected_challenge=webauthn.base64url_to_bytes(data["c"]),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(_("The passkey could not be verified."), code="passkey_invalid") from exc
    transports = [
        t for t in (answer.get("response", {}) or {}).get("transports", []) or [] if t in _TRANSPORTS
    ]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
        if Passkey.objects.filter(user=user).count() >= Passkey.MAX_PER_USER:
            raise Conflict(_("You have too many passkeys; remove one first."), code="too_many_passkeys")
        try:
            with transaction.atomic():
                return Passkey.objects.create(
                    user=user,
                    name=label,
                    credential_id=bytes_to_base64url(verified.credential_id),
                    public_key=verified.credential_public_key,
                    sign_count=verified.sign_count,
                    transports=transports[:8],
                    aaguid=str(verified.aaguid)[:36],
                    backed_up=bool(verified.credential_backed_up),
                )
        except IntegrityError as exc:
            raise Conflict(_("This passkey is already registered."), code="passkey_exists") from exc


# ----------------------------------------------------------------------------------------------
# Signing in


def authentication_options(*, request: HttpRequest, user: User | None = None) -> dict[str, Any]:
    """Options for `navigator.credentials.get()`: `user`'s passkeys (second factor) or any (passwordless)."""
    rp_id, _origin = relying_party(request)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        timeout=CHALLENGE_TTL * 1000,
        allow_credentials=_descriptors(user) if user is not None else [],
        user_verification=(
            UserVerificationRequirement.PREFERRED
            if user is not None
            else UserVerificationRequirement.REQUIRED
        ),
    )
    ceremony = _ceremony(
        kind=AUTHENTICATE,
        challenge=options.challenge,
        rp_id=rp_id,
        user_id=user.pk if user is not None else None,
    )
    return {"ceremony": ceremony, "options": options_to_json_dict(options)}


def authentication_verify(*, request: HttpRequest, ceremony: str, credential: Any) -> Passkey:
    """Check the browser's answer to `authentication_options`; returns the passkey (with its user) used.

    Refused with NotAuthenticated `passkey_invalid` (unknown passkey, wrong member, bad signature).
    """
    answer = _credential(credential)
    data = _open_ceremony(ceremony, kind=AUTHENTICATE, request=request)
    raw_id = answer.get("id") or answer.get("rawId")
    if not isinstance(raw_id, str) or not raw_id or len(raw_id) > 1400:
        raise InvalidInput(_("The passkey answer is not valid."), code="passkey_invalid")
    passkey = (
        Passkey.objects.select_related("user").filter(credential_id=raw_id, user__is_active=True).first()
    )
    if passkey is None or (data.get("u") is not None and passkey.user_id != data.get("u")):
        raise NotAuthenticated(_("This passkey is not known here."), code="passkey_invalid")
    rp_id, origin = relying_party(request)
    try:
        verified = webauthn.verify_authentication_response(
            credential=answer,
            expected_challenge=webauthn.base64url_to_bytes(data["c"]),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=data.get("u") is None,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise NotAuthenticated(_("The passkey could not be verified."), code="passkey_invalid") from exc
    now = timezone.now()
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=verified.new_sign_count, last_used_at=now)
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now
    return passkey


# ----------------------------------------------------------------------------------------------
# Managing


def passkey_rename(*, user: User, passkey_id: int, name: str) -> Passkey:
    label = _clean_name(name)
    if not label:
        raise InvalidInput(_("Give the passkey a name."), code="invalid_passkey_name")
    passkey = Passkey.objects.filter(user=user, pk=passkey_id).first()
    if passkey is None:
        raise NotFound(_("No such passkey."), code="not_found")
    passkey.name = label
    passkey.save(update_fields=["name"])
    return passkey


def passkey_remove(*, user: User, passkey_id: int) -> None:
    if not Passkey.objects.filter(user=user, pk=passkey_id).delete()[0]:
        raise NotFound(_("No such passkey."), code="not_found")
