"""JSON API endpoints of accounts (mounted at /api/v1/accounts by config.api)."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from haven.accounts import hooks, selectors, services, sessions, twofactor
from haven.accounts.auth import require_csrf
from haven.accounts.models import ApiToken, LoginEvent, User
from haven.accounts.schemas import (
    CsrfOut,
    LoginIn,
    MeOut,
    PasswordIn,
    ProfilePatchIn,
    SignupIn,
    TokenCreatedOut,
    TokenIn,
    TokenListOut,
    TokenLoginIn,
)
from haven.core.errors import InvalidInput, NotAuthenticated
from haven.core.openapi import errors

router = Router(tags=["accounts"])

MAX_ID = 2**63 - 1


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):  # ApiAuth guarantees a member; this keeps the type checker honest
        raise NotAuthenticated(code="not_authenticated")
    return user


def me_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "avatar_url": selectors.avatar_url(user),
        "avatar_blurhash": user.avatar_blurhash,
        "languages": list(user.languages or []),
        "region": user.region,
        "interface_language": user.interface_language,
        "is_private": user.is_private,
        "date_joined": user.date_joined,
    }


@router.get("/csrf", auth=None, response=CsrfOut, summary="Get a CSRF token (and cookie) for session calls")
def csrf(request: HttpRequest) -> dict[str, str]:
    return {"csrf_token": get_token(request)}


@router.post(
    "/signup",
    auth=None,
    response={201: MeOut, **errors(403, 409, 429)},
    summary="Create an account and log the session in",
)
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, Any]]:
    require_csrf(request)
    user = services.user_signup(
        username=payload.username,
        email=payload.email,
        password=payload.password,
        display_name=payload.display_name,
        languages=payload.languages,
        interface_language=payload.interface_language,
        data_region=payload.data_region,
        request=request,
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return Status(201, me_out(user))


@router.post(
    "/login",
    auth=None,
    response={200: MeOut, **errors(401, 403, 429)},
    summary="Log a browser session in (send `code` too when two-factor is on)",
)
def session_login(request: HttpRequest, response: HttpResponse, payload: LoginIn) -> dict[str, Any]:
    require_csrf(request)
    user = services.user_authenticate(
        request=request, username_or_email=payload.username_or_email, password=payload.password
    )
    method = twofactor.second_factor_check(request=request, user=user, code=payload.code)
    sessions.login_complete(request=request, user=user, method=method or LoginEvent.Method.PASSWORD)
    response.set_cookie(
        services.DEVICE_COOKIE,
        services.device_cookie_value(user),
        max_age=services.DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return me_out(user)


@router.post("/logout", response={204: None}, summary="End the session, or revoke the bearer token used")
def session_logout(request: HttpRequest) -> Status[None]:
    user = _member(request)
    token = getattr(request, "api_token", None)
    if token is not None:
        services.token_revoke(user=user, token_id=token.pk)
    else:
        logout(request)
    return Status(204, None)


@router.post(
    "/token",
    auth=None,
    response={201: TokenCreatedOut, **errors(401, 403, 429)},
    summary="Exchange credentials for a token (send `code` too when two-factor is on)",
)
def token_login(request: HttpRequest, payload: TokenLoginIn) -> Status[dict[str, Any]]:
    user = services.user_authenticate(
        request=request, username_or_email=payload.username_or_email, password=payload.password
    )
    twofactor.second_factor_check(request=request, user=user, code=payload.code)
    token, raw = services.token_create(user=user, name=payload.name)
    sessions.login_event_record(
        request=request, user=user, outcome=LoginEvent.Outcome.SUCCESS, method=LoginEvent.Method.TOKEN
    )
    hooks.user_logged_in(user)
    return Status(201, {"token": raw, "id": token.pk, "name": token.name})


@router.get("/me", response=MeOut, summary="The signed-in member")
def me(request: HttpRequest) -> dict[str, Any]:
    return me_out(_member(request))


@router.patch("/me", response=MeOut, summary="Change profile fields (only those sent)")
def me_update(request: HttpRequest, payload: ProfilePatchIn) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    user = services.profile_update(user=_member(request), **changes)
    return me_out(user)


@router.post(
    "/me/password",
    response={204: None, **errors(429)},
    summary="Change the password (this session or token stays valid; every other one ends)",
)
def me_password(request: HttpRequest, payload: PasswordIn) -> Status[None]:
    user = _member(request)
    token = getattr(request, "api_token", None)
    services.password_change(
        user=user,
        old_password=payload.old_password,
        new_password=payload.new_password,
        keep_token=token,
        keep_session_key=request.session.session_key if token is None else None,
    )
    if token is None:
        update_session_auth_hash(request, user)
    return Status(204, None)


_AVATAR_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
}


def _uploaded_file(request: HttpRequest, field: str = "file") -> UploadedFile:
    """The multipart file of a PUT request (Django parses request.FILES for POST only)."""
    if request.method != "POST" and request.content_type == "multipart/form-data":
        method = request.method
        request.method = "POST"
        try:
            request._load_post_and_files()  # type: ignore[attr-defined]
        finally:
            request.method = method
    upload = request.FILES.get(field)
    if upload is None:
        raise InvalidInput(_("Attach an image in the multipart field `file`."), code="file_missing")
    return upload


@router.put(
    "/me/avatar",
    response={200: MeOut, **errors(413, 415, 429)},
    summary="Upload a new avatar (multipart field `file`)",
    openapi_extra=_AVATAR_BODY,
)
def me_avatar_set(request: HttpRequest) -> dict[str, Any]:
    user = services.avatar_set(user=_member(request), file=_uploaded_file(request))
    return me_out(user)


@router.delete("/me/avatar", response=MeOut, summary="Remove the avatar")
def me_avatar_remove(request: HttpRequest) -> dict[str, Any]:
    return me_out(services.avatar_remove(user=_member(request)))


@router.get("/tokens", response=TokenListOut, summary="Active API tokens")
def tokens_list(request: HttpRequest) -> dict[str, Any]:
    tokens = list(selectors.tokens_for(_member(request))[: ApiToken.MAX_PER_USER])
    return {"items": tokens, "next_cursor": None}


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **errors(409)},
    summary="Create an API token (the secret is shown once)",
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    token, raw = services.token_create(user=_member(request), name=payload.name)
    return Status(201, {"token": raw, "id": token.pk, "name": token.name})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def tokens_revoke(request: HttpRequest, token_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Status[None]:
    services.token_revoke(user=_member(request), token_id=token_id)
    return Status(204, None)


# Account security (sessions, login history, two-factor, passkeys): accounts.api_security.
from haven.accounts.api_security import router as _security_router  # noqa: E402

router.add_router("", _security_router)
