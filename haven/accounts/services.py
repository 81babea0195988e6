"""Writes of accounts: sign-up, authentication, profile and password changes, avatars, API tokens.

Sessions and login history live in accounts.sessions, two-factor in accounts.twofactor, passkeys in
accounts.passkeys; `sessions_end_all` and the prune services are re-exported here for other apps.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import string
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import IO, Any, Final

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts import hooks, sessions
from haven.accounts.models import MAX_LANGUAGES, SUPPORTED_LANGUAGES, USERNAME_RE, ApiToken, LoginEvent, User
from haven.core import gates, images, ratelimit, residency, searchables
from haven.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound, RateLimited

# Handles that would be confusing or dangerous as profile URLs (/@admin) or in mentions.
RESERVED_USERNAMES: Final = frozenset(
    {
        "about",
        "account",
        "accounts",
        "admin",
        "administrator",
        "anonymous",
        "api",
        "app",
        "assets",
        "auth",
        "blog",
        "ceo",
        "contact",
        "dashboard",
        "discover",
        "docs",
        "engagement",
        "explore",
        "feed",
        "feeds",
        "graph",
        "haven",
        "help",
        "home",
        "i18n",
        "info",
        "legal",
        "login",
        "logout",
        "me",
        "media",
        "mod",
        "moderator",
        "moderation",
        "news",
        "none",
        "notes",
        "notifications",
        "null",
        "official",
        "owner",
        "password",
        "privacy",
        "root",
        "search",
        "security",
        "settings",
        "shop",
        "signup",
        "sitemap",
        "static",
        "staff",
        "status",
        "support",
        "system",
        "terms",
        "undefined",
        "user",
        "users",
        "webmaster",
        "www",
    }
)

_USERNAME_PATTERN = re.compile(USERNAME_RE)
_REGION_PATTERN = re.compile(r"^[A-Z]{2}$")
MAX_PASSWORD_LENGTH: Final = 128
MAX_EMAIL_LENGTH: Final = 254
MAX_DISPLAY_NAME: Final = 50
MAX_BIO: Final = 500
MAX_TOKEN_NAME: Final = 50
AVATAR_SIDE: Final = 400
TOKEN_PREFIX_LENGTH: Final = 8
TOKEN_TOUCH_INTERVAL: Final = timedelta(minutes=1)
_TOKEN_ALPHABET: Final = string.ascii_lowercase + string.digits
# Login back-off (docs/operator-guide.md): failures are counted per (account, network), per network and
# per account; past each scope's free failures, the next try waits 1 s, 2 s, 4 s ... up to the cap.
# A correct password from a known device (a signed cookie from an earlier login) is never held back.
LOGIN_FREE_PER_ACCOUNT_NETWORK: Final = 5
LOGIN_FREE_PER_NETWORK: Final = 30  # a whole office or carrier NAT shares one network
LOGIN_FREE_PER_ACCOUNT: Final = 60  # a distributed attack on one member; known devices still pass
LOGIN_FREE_SECOND_FACTOR: Final = 5  # wrong second factors per account, whatever the network
LOGIN_BACKOFF_CAP: Final = 15 * 60
LOGIN_FAILURE_WINDOW: Final = 60 * 60  # failures are forgotten an hour after the first
DEVICE_COOKIE: Final = "haven_device"
DEVICE_MAX_AGE: Final = 365 * 24 * 3600
DEVICE_FREE_FAILURES: Final = 10  # a device cookie that keeps failing stops being trusted
_DEVICE_SALT: Final = "haven.accounts.device"


class _Unset(Enum):
    """Marker for "this field was not given" in partial updates."""

    UNSET = "unset"


UNSET: Final = _Unset.UNSET


# ----------------------------------------------------------------------------------------------
# Normalisation and validation helpers (shared by sign-up and profile updates)


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def _clean_text(value: str, *, max_length: int, field: str, multiline: bool = False) -> str:
    """NFC-normalise, drop control characters (newlines kept where allowed), trim; bounded."""
    text = unicodedata.normalize("NFC", value or "")
    allowed = {"\n"} if multiline else set()
    text = "".join(
        ch
        for ch in text.replace("\r\n", "\n")
        if ch in allowed or unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    if multiline:
        text = re.sub(r"\n{3,}", "\n\n", text)
    text = text.strip()
    if len(text) > max_length:
        raise InvalidInput(
            _("%(field)s must be at most %(max)d characters.") % {"field": field, "max": max_length},
            code=f"invalid_{field}",
            details={"field": field, "max_length": max_length},
        )
    return text


def _check_username(username: str) -> str:
    name = normalize_username(username)
    if not _USERNAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            _("Usernames are 2-30 lower-case letters, digits or underscores."), code="invalid_username"
        )
    if name in RESERVED_USERNAMES:
        raise InvalidInput(_("This username is reserved."), code="username_reserved")
    return name


def _check_email(email: str) -> str:
    value = (email or "").strip()
    if len(value) > MAX_EMAIL_LENGTH:
        raise InvalidInput(_("Enter a valid email address."), code="invalid_email")
    try:
        validate_email(value)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid email address."), code="invalid_email") from exc
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _check_languages(languages: Iterable[str]) -> list[str]:
    if isinstance(languages, str):
        raise InvalidInput(_("Languages must be a list."), code="invalid_languages")
    result: list[str] = []
    for raw in languages:
        code = str(raw).strip().lower()
        if code not in SUPPORTED_LANGUAGES:
            raise InvalidInput(
                _("Unsupported language: %(code)s.") % {"code": code[:8]},
                code="invalid_languages",
                details={"supported": list(SUPPORTED_LANGUAGES)},
            )
        if code not in result:
            result.append(code)
        if len(result) > MAX_LANGUAGES:
            raise InvalidInput(
                _("Pick at most %(max)d languages.") % {"max": MAX_LANGUAGES}, code="too_many_languages"
            )
    return result


def _check_interface_language(value: str) -> str:
    code = (value or "").strip().lower()
    if code not in User.InterfaceLanguage.values:
        raise InvalidInput(
            _("Unsupported interface language."),
            code="invalid_interface_language",
            details={"supported": list(User.InterfaceLanguage.values)},
        )
    return code


def _check_region(value: str) -> str:
    region = (value or "").strip().upper()
    if region and not _REGION_PATTERN.fullmatch(region):
        raise InvalidInput(_("Region must be a two-letter country code."), code="invalid_region")
    return region


def _check_password(password: str, *, user: User) -> None:
    if len(password or "") > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Passwords must be at most %(max)d characters.") % {"max": MAX_PASSWORD_LENGTH},
            code="weak_password",
            details={"messages": [_("This password is too long.")]},
        )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        messages = [str(m) for m in exc.messages]
        raise InvalidInput(
            " ".join(messages) or _("This password is too weak."),
            code="weak_password",
            details={"messages": messages},
        ) from exc


# ----------------------------------------------------------------------------------------------
# Sign-up and authentication


def _check_data_region(code: str) -> str:
    code = (code or "").strip()
    if not code or code == residency.DEFAULT_REGION:
        return residency.DEFAULT_REGION
    if code not in residency.region_codes():
        raise InvalidInput(_("Choose one of the offered regions."), code="invalid_region")
    return code


def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    languages: Iterable[str] = (),
    interface_language: str = "en",
    data_region: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create a member. Pass `request` from web/API views so sign-ups are rate-limited per IP.

    `data_region` is where the member's media are stored (one of the operator's residency regions;
    empty: the default region)."""
    if request is not None:
        ratelimit.hit(
            "signup_ip",
            ratelimit.client_ip(request),
            limit=settings.HAVEN.signup_rate_per_hour,
            window_seconds=3600,
        )
    name = _check_username(username)
    address = _check_email(email)
    display = _clean_text(display_name, max_length=MAX_DISPLAY_NAME, field="display_name")
    langs = _check_languages(languages)
    ui_language = _check_interface_language(interface_language)
    region = _check_data_region(data_region)
    user = User(
        username=name,
        email=address,
        display_name=display,
        languages=langs,
        interface_language=ui_language,
        data_region=region,
    )
    _check_password(password, user=user)
    _check_available(username=name, email=address)
    gates.check("signup", request=request, email_domain=address.rpartition("@")[2].lower())
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            hooks.user_signed_up(user)  # privacy records acceptance of the current terms and policy
            searchables.changed("member", [user.pk])
    except IntegrityError as exc:  # lost a race with a concurrent sign-up
        _check_available(username=name, email=address)
        raise Conflict(_("This account already exists."), code="username_taken") from exc
    return user


def _check_available(*, username: str, email: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is taken."), code="username_taken")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this email address already exists."), code="email_taken")


def _identifier_key(identifier: str) -> str:
    return hashlib.sha256(identifier.encode()).hexdigest()[:32]


def device_cookie_value(user: User) -> str:
    """A signed "this device logged in as `user`" value for DEVICE_COOKIE (set by the login views)."""
    return signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(9)}, salt=_DEVICE_SALT, compress=True)


def _known_device(request: HttpRequest, user_id: int) -> str | None:
    """The device id when the request carries a valid, still-trusted device cookie of `user_id`."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 200:
        return None
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    device = f"{user_id}:{str(data.get('n', ''))[:16]}"
    if ratelimit.peek(f"bo:n:login_device:{device}") >= DEVICE_FREE_FAILURES:
        return None
    return device


def _login_scopes(request: HttpRequest, account_key: str) -> tuple[tuple[str, int], ...]:
    network = ratelimit.network_of(ratelimit.client_ip(request))
    return (
        (f"login_acct_net:{account_key}:{network}", LOGIN_FREE_PER_ACCOUNT_NETWORK),
        (f"login_net:{network}", LOGIN_FREE_PER_NETWORK),
        (f"login_acct:{account_key}", LOGIN_FREE_PER_ACCOUNT),
    )


def _backoff_wait(scopes: Iterable[tuple[str, int]]) -> None:
    wait = max(ratelimit.backoff_remaining(key, free=free, cap=LOGIN_BACKOFF_CAP) for key, free in scopes)
    if wait:
        raise RateLimited(
            _("Too many failed attempts. Please wait a moment and try again."),
            details={"retry_after_seconds": wait},
        )


def _second_factor_scopes(request: HttpRequest, user: User) -> tuple[tuple[str, int], ...]:
    # A right password clears the (account, network) scope, so wrong second factors also count in
    # a scope of their own that only a right second factor clears.
    return (*_login_scopes(request, f"u{user.pk}"), (f"login_2fa:u{user.pk}", LOGIN_FREE_SECOND_FACTOR))


def login_backoff_check(*, request: HttpRequest, user: User) -> None:
    """Refuse (RateLimited) while the login back-off of this member's account holds (second factor)."""
    try:
        _backoff_wait(_second_factor_scopes(request, user))
    except RateLimited:
        sessions.login_event_record(
            request=request, user=user, outcome=LoginEvent.Outcome.LOCKED_OUT, method=LoginEvent.Method.TOTP
        )
        raise


def login_backoff_fail(*, request: HttpRequest, user: User) -> None:
    """Count a wrong second factor in the same back-off as a wrong password (and in its own)."""
    for key, _free in _second_factor_scopes(request, user):
        ratelimit.backoff_fail(key, window=LOGIN_FAILURE_WINDOW)


def login_backoff_passed(*, request: HttpRequest, user: User) -> None:
    """A right second factor: forget the failures of this account from this network."""
    for key, _free in _second_factor_scopes(request, user)[:1] + _second_factor_scopes(request, user)[-1:]:
        ratelimit.backoff_clear(key)


def user_authenticate(*, request: HttpRequest, username_or_email: str, password: str) -> User:
    """Check credentials, with exponential back-off on failures. Does not touch the session.

    Failures count per (account, network), per network and per account (LOGIN_* above). While one of
    them is backing off, the attempt is refused (RateLimited with retry_after_seconds) before the
    password is checked, unless the request comes from a known device of that account: a correct
    password from a device the member logged in with before is always admitted, so nobody can lock a
    member out by failing on purpose. The network is the client address (ratelimit.client_ip: only
    trusted proxies may name it) widened to /24 (IPv4) or /64 (IPv6).
    """
    identifier = (username_or_email or "").strip()[:MAX_EMAIL_LENGTH]
    if "@" in identifier:
        match = User.objects.filter(email__iexact=identifier).only("pk", "username").first()
    else:
        match = User.objects.filter(username=identifier.lower()).only("pk", "username").first()
    account_key = f"u{match.pk}" if match else f"n{_identifier_key(identifier.lower())}"
    scopes = _login_scopes(request, account_key)
    device = _known_device(request, match.pk) if match else None
    if device is None:
        try:
            _backoff_wait(scopes)
        except RateLimited:
            if match is not None:
                sessions.login_event_record(
                    request=request,
                    user=match.pk,
                    outcome=LoginEvent.Outcome.LOCKED_OUT,
                    method=LoginEvent.Method.PASSWORD,
                )
            raise
    # authenticate() runs the hasher even for unknown names, so timing does not reveal accounts.
    user = authenticate(
        request,
        username=match.username if match else identifier.lower(),
        password=(password or "")[:MAX_PASSWORD_LENGTH],
    )
    if user is None and match is not None:
        _refuse_if_suspended(match.pk, password)
    if user is None or not isinstance(user, User):
        for key, _free in scopes:
            ratelimit.backoff_fail(key, window=LOGIN_FAILURE_WINDOW)
        if device is not None:
            ratelimit.backoff_fail(f"login_device:{device}", window=LOGIN_FAILURE_WINDOW)
        if match is not None:
            sessions.login_event_record(
                request=request,
                user=match.pk,
                outcome=LoginEvent.Outcome.FAILED_PASSWORD,
                method=LoginEvent.Method.PASSWORD,
            )
        raise NotAuthenticated(_("Wrong username, email or password."), code="invalid_credentials")
    ratelimit.backoff_clear(scopes[0][0])
    return user


# ----------------------------------------------------------------------------------------------
# Profile and password


def profile_update(
    *,
    user: User,
    display_name: str | _Unset = UNSET,
    bio: str | _Unset = UNSET,
    languages: Iterable[str] | _Unset = UNSET,
    region: str | _Unset = UNSET,
    interface_language: str | _Unset = UNSET,
    is_private: bool | _Unset = UNSET,
) -> User:
    """Change only the given profile fields.

    When `is_private` goes from True to False the callbacks registered with
    `hooks.on_account_made_public` run in the same transaction (graph approves pending requests).
    """
    changes: dict[str, Any] = {}
    if not isinstance(display_name, _Unset):
        changes["display_name"] = _clean_text(display_name, max_length=MAX_DISPLAY_NAME, field="display_name")
    if not isinstance(bio, _Unset):
        changes["bio"] = _clean_text(bio, max_length=MAX_BIO, field="bio", multiline=True)
    if not isinstance(languages, _Unset):
        changes["languages"] = _check_languages(languages)
    if not isinstance(region, _Unset):
        changes["region"] = _check_region(region)
    if not isinstance(interface_language, _Unset):
        changes["interface_language"] = _check_interface_language(interface_language)
    if not isinstance(is_private, _Unset):
        changes["is_private"] = bool(is_private)
    if not changes:
        return user
    with transaction.atomic():
        was_private = (
            User.objects.select_for_update().filter(pk=user.pk).values_list("is_private", flat=True).get()
        )
        for field, value in changes.items():
            setattr(user, field, value)
        user.save(update_fields=list(changes))
        if was_private and changes.get("is_private") is False:
            hooks.account_made_public(user)
        searchables.changed("member", [user.pk])
    return user


def user_set_languages(*, user: User, reads: Iterable[str], learning: Iterable[str]) -> User:
    """Set the languages the member reads (`languages`) and is learning (`learning_languages`).

    Codes are those the sign-up form offers (SUPPORTED_LANGUAGES), at most MAX_LANGUAGES each,
    duplicates dropped in order. A language cannot be both read and learned (InvalidInput
    `language_read_and_learned`); other refusals share the sign-up codes (`invalid_languages`,
    `too_many_languages`).
    """
    read_codes = _check_languages(reads)
    learning_codes = _check_languages(learning)
    both = [code for code in learning_codes if code in read_codes]
    if both:
        raise InvalidInput(
            _("A language is either one you read or one you are learning, not both."),
            code="language_read_and_learned",
            details={"languages": both},
        )
    user.languages = read_codes
    user.learning_languages = learning_codes
    with transaction.atomic():
        user.save(update_fields=["languages", "learning_languages"])
        searchables.changed("member", [user.pk])
    return user


def password_change(
    *,
    user: User,
    old_password: str,
    new_password: str,
    keep_token: ApiToken | None = None,
    keep_session_key: str | None = None,
) -> int:
    """Set a new password after checking the old one; returns how many API tokens were revoked.

    Every API token and every signed-in session of the member ends with the old password, except
    `keep_token` (the token that made the change, when one did) and the session with
    `keep_session_key` (the one that made it). The caller keeps its own session valid
    (update_session_auth_hash).
    """
    ratelimit.hit(
        "password_change", str(user.pk), limit=settings.HAVEN.login_rate_per_minute, window_seconds=60
    )
    if len(old_password or "") > MAX_PASSWORD_LENGTH or not user.check_password(old_password):
        raise InvalidInput(_("Your current password is not correct."), code="wrong_password")
    _check_password(new_password, user=user)
    user.set_password(new_password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        sessions.sessions_end_all(user=user, keep_session_key=keep_session_key)
        return tokens_revoke_all(user=user, keep=keep_token)


# ----------------------------------------------------------------------------------------------
# Avatars


def _delete_file_quietly(path: str) -> None:
    if path:
        with contextlib.suppress(OSError):  # a missing file is not worth failing a request for
            default_storage.delete(path)


def _locked_avatar(user: User) -> str:
    """The member's current avatar path, read under a row lock (the in-memory value may be stale)."""
    return User.objects.select_for_update().filter(pk=user.pk).values_list("avatar", flat=True).get()


def avatar_set(*, user: User, file: IO[bytes]) -> User:
    """Validate and re-encode an uploaded image as the member's square WebP avatar (metadata stripped)."""
    img = images.open_validated(
        file, max_bytes=settings.HAVEN.max_upload_bytes, max_pixels=settings.HAVEN.max_image_pixels
    )
    data = images.render(img, max_side=AVATAR_SIDE, fmt="WEBP", square=True)
    blurhash = images.blurhash_of(img)
    path = default_storage.save(f"avatars/{user.pk}/{secrets.token_urlsafe(16)}.webp", ContentFile(data))
    try:
        with transaction.atomic():
            previous = _locked_avatar(user)
            User.objects.filter(pk=user.pk).update(avatar=path, avatar_blurhash=blurhash[:64])
            transaction.on_commit(lambda: _delete_file_quietly(previous))
    except Exception:
        _delete_file_quietly(path)
        raise
    user.avatar = path
    user.avatar_blurhash = blurhash[:64]
    return user


def avatar_remove(*, user: User) -> User:
    """Drop the member's avatar (the file goes once the change is committed)."""
    with transaction.atomic():
        previous = _locked_avatar(user)
        if not previous:
            user.avatar = user.avatar_blurhash = ""
            return user
        User.objects.filter(pk=user.pk).update(avatar="", avatar_blurhash="")
        transaction.on_commit(lambda: _delete_file_quietly(previous))
    user.avatar = ""
    user.avatar_blurhash = ""
    return user


# ----------------------------------------------------------------------------------------------
# API tokens


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token; the returned secret (`hv_<prefix>_<secret>`) is shown once, never stored."""
    label = _clean_text(name, max_length=MAX_TOKEN_NAME, field="token_name")
    if not label:
        raise InvalidInput(_("Give the token a name."), code="invalid_token_name")
    prefix = "".join(secrets.choice(_TOKEN_ALPHABET) for _i in range(TOKEN_PREFIX_LENGTH))
    raw = f"hv_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= ApiToken.MAX_PER_USER:
            raise Conflict(
                _("You have too many API tokens; revoke one first."),
                code="too_many_tokens",
                details={"max": ApiToken.MAX_PER_USER},
            )
        token = ApiToken.objects.create(
            user=user, name=label, prefix=prefix, token_hash=ApiToken.hash_secret(raw)
        )
    return token, raw


def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the member's tokens (revoking twice is fine; someone else's token is NotFound)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise NotFound(_("No such token."), code="not_found")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])


def tokens_revoke_all(*, user: User, keep: ApiToken | None = None) -> int:
    """Revoke every active token of the member (but `keep`); returns how many were revoked."""
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        active = active.exclude(pk=keep.pk)
    return active.update(revoked_at=timezone.now())


def token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once per TOKEN_TOUCH_INTERVAL (one UPDATE when due)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# Re-exported for other apps (privacy's account erasure, core's retention schedule).
sessions_end_all = sessions.sessions_end_all
login_events_prune = sessions.login_events_prune
user_sessions_prune_stale = sessions.user_sessions_prune_stale


# ----------------------------------------------------------------------------------------------
# Suspension (decided by haven.moderation; enforced here: an inactive account cannot sign in, its
# sessions and tokens stop working, and notes.access / engagement.access hide its content).

#: The `suspended_until` of a permanent suspension.
SUSPENDED_FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


def user_suspend(*, user_id: int, until: Any, reason: str) -> bool:
    """Suspend a member until `until` (None: permanently). Returns False when there is no such member."""
    return bool(
        User.objects.filter(pk=user_id).update(
            is_active=False, suspended_until=until or SUSPENDED_FOREVER, suspension_reason=reason[:40]
        )
    )


def user_unsuspend(*, user_id: int) -> bool:
    """Lift a suspension (expired or overturned); a member who was not suspended is left alone."""
    return bool(
        User.objects.filter(pk=user_id, suspended_until__isnull=False).update(
            is_active=True, suspended_until=None, suspension_reason=""
        )
    )


def suspensions_lift_expired(*, now: Any = None) -> int:
    """Reactivate members whose timed suspension is over (a periodic job); returns how many."""
    now = now or timezone.now()
    return User.objects.filter(suspended_until__lte=now).update(
        is_active=True, suspended_until=None, suspension_reason=""
    )


def _refuse_if_suspended(user_id: int, password: str) -> None:
    """A suspended member who gives the right password learns that they are suspended, and until when."""
    user = User.objects.filter(pk=user_id, suspended_until__isnull=False).first()
    if user is None or not user.check_password((password or "")[:MAX_PASSWORD_LENGTH]):
        return
    assert user.suspended_until is not None
    if user.suspended_until <= timezone.now():
        return  # the periodic job lifts it soon; until then the account stays inactive
    if user.suspended_until >= SUSPENDED_FOREVER:
        message = _("This account is suspended permanently for breaking the community rules.")
    else:
        message = _("This account is suspended until %(date)s for breaking the community rules.") % {
            "date": timezone.localtime(user.suspended_until).strftime("%Y-%m-%d %H:%M")
        }
    raise Forbidden(message, code="account_suspended", details={"reason": user.suspension_reason})
