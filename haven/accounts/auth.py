"""API authentication: bearer tokens (`Authorization: Bearer hv_...`) and browser sessions with CSRF."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from haven.accounts import selectors, services
from haven.accounts.models import User
from haven.core.errors import Forbidden

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def require_csrf(request: HttpRequest) -> None:
    """Enforce Django's CSRF check (token + origin) on an unsafe request; raise Forbidden otherwise.

    ninja marks its views csrf_exempt, so session-authenticated endpoints must call this themselves;
    ApiAuth does it for every session request, public endpoints that log a session in call it directly.
    """
    if request.method not in UNSAFE_METHODS or getattr(request, "_ninja_csrf_exempt", False):
        return
    if check_csrf(request) is not None:
        raise Forbidden(
            _("CSRF check failed; reload the page and try again."),
            code="csrf_failed",
        )


def _bearer(request: HttpRequest) -> str | None:
    """The raw bearer token, "" for a malformed Authorization header, None when there is none."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return value.strip()


def _use_member(request: HttpRequest, user: User) -> None:
    request.user = user
    translation.activate(user.interface_language)
    request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]


def authenticate_request(request: HttpRequest) -> User | None:
    """The member behind a request: a bearer token when an Authorization header is sent, else the session."""
    raw = _bearer(request)
    if raw is not None:
        # An Authorization header is authoritative: a bad token never falls back to the session.
        token = selectors.active_token(raw) if raw else None
        if token is None:
            return None
        services.token_touch(token=token)
        request.api_token = token  # type: ignore[attr-defined]
        _use_member(request, token.user)
        return token.user
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return None
    require_csrf(request)
    return user


class ApiAuth(AuthBase):
    """ninja auth: `request.auth` is the member; unauthenticated callers get 401."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "An API token (`hv_...`) or a browser session (with CSRF on unsafe methods)."

    def __call__(self, request: HttpRequest) -> Any:
        return authenticate_request(request)


class OptionalAuth(ApiAuth):
    """Like ApiAuth, but anonymous callers pass with `request.auth = AnonymousUser()`.

    A request that sends a bad bearer token is still refused (401), so clients notice.
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = authenticate_request(request)
        if user is not None:
            return user
        if _bearer(request) is not None:
            return None
        return AnonymousUser()
