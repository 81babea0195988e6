"""HTML views of accounts: sign-up, login, logout, profile settings, password and API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN
from django.shortcuts import redirect, render
from django.urls import get_callable, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts import hooks, selectors, services, sessions, twofactor
from haven.accounts.forms import (
    ERROR_FIELDS,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RevokeForm,
    SignupForm,
    TokenForm,
)
from haven.accounts.models import ApiToken, LoginEvent, User
from haven.core.errors import HavenError

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Codes of haven.core.images errors raised while reading an uploaded avatar.
AVATAR_ERRORS = frozenset(
    {"empty_file", "unsupported_format", "file_too_large", "image_too_large", "corrupt_image", "too_large"}
)


def remember_device(response: HttpResponse, user: User) -> None:
    """Set the signed device cookie that lets this browser log in while the account is under attack."""
    response.set_cookie(
        services.DEVICE_COOKIE,
        services.device_cookie_value(user),
        max_age=services.DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _error_message(exc: HavenError) -> str:
    if exc.code == "rate_limited":
        return _("Too many attempts. Please wait a minute and try again.")
    return exc.message


def _form_error(form: Form, exc: HavenError, field: str | None = None) -> None:
    """Attach a service error to the form field it concerns (or to the whole form)."""
    name = field or ERROR_FIELDS.get(exc.code)
    form.add_error(name if name in form.fields else None, _error_message(exc))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` target when it points at this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log it in and land, with a welcome, where `hooks.after_signup_url` says
    (onboarding registers its first step; Discover otherwise)."""
    if request.user.is_authenticated:
        return redirect("web:home")
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_signup(
                    username=data["username"],
                    email=data["email"],
                    password=data["password"],
                    display_name=data["display_name"],
                    languages=data["languages"],
                    interface_language=data["interface_language"],
                    data_region=data.get("data_region") or "",
                    request=request,
                )
            except HavenError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                login(request, user, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    _("Welcome to %(site)s, %(name)s!")
                    % {"site": settings.HAVEN.site_name, "name": user.name},
                )
                response = redirect(hooks.after_signup_url())  # onboarding, when installed
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.interface_language, samesite="Lax")
                return response
        else:
            status = 400
    else:
        initial_language = (
            "zh-hans" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("zh") else "en"
        )
        form = SignupForm(initial={"interface_language": initial_language})
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with a username or email and a password; honours a same-site `next`."""
    next_url = _safe_next(request, reverse("web:home"))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    status = 200
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_authenticate(
                    request=request,
                    username_or_email=form.cleaned_data["login"],
                    password=form.cleaned_data["password"],
                )
            except HavenError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                if twofactor.is_enabled(user):  # half signed in until the second factor
                    twofactor.pending_login_start(request=request, user=user, next_url=next_url)
                    return redirect("accounts:login_two_factor")
                sessions.login_complete(request=request, user=user, method=LoginEvent.Method.PASSWORD)
                response = redirect(next_url)
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.interface_language, samesite="Lax")
                remember_device(response, user)
                return response
        else:
            status = 400
    else:
        form = LoginForm()
    return render(
        request, "accounts/login.html", {"form": form, "next": next_url, "passkey_login": True}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session (POST only, so a link or image cannot log anyone out)."""
    logout(request)
    messages.info(request, _("You have logged out. See you soon!"))
    return redirect("web:home")


def _settings_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"nav_section": "settings", **extra}


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """Profile settings: photo, names, bio, languages, region, interface language, privacy."""
    user = _member(request)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, initial=ProfileForm.initial_for(user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                upload = data.get("avatar")
                if upload:
                    services.avatar_set(user=user, file=upload)
                elif data.get("remove_avatar"):
                    services.avatar_remove(user=user)
                # Making the account public runs accounts.hooks.account_made_public inside the same
                # transaction; graph registers follow_requests_approve_all there.
                services.profile_update(
                    user=user,
                    display_name=data["display_name"],
                    bio=data["bio"],
                    languages=data["languages"],
                    region=data["region"],
                    interface_language=data["interface_language"],
                    is_private=data["is_private"],
                )
            except HavenError as exc:
                _form_error(form, exc, "avatar" if exc.code in AVATAR_ERRORS else None)
                status = exc.status
            else:
                messages.success(request, _("Your profile is saved."))
                response = redirect("accounts:settings")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.interface_language, samesite="Lax")
                return response
        else:
            status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user))
    return render(
        request,
        "accounts/settings.html",
        _settings_context(request, form=form, settings_tab="profile", avatar_url=selectors.avatar_url(user)),
        status=status,
    )


@sensitive_post_parameters("old_password", "new_password", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_view(request: HttpRequest) -> HttpResponse:
    """Change the password; this session stays signed in, the member's other sessions and API tokens end."""
    user = _member(request)
    status = 200
    if request.method == "POST":
        form = PasswordForm(request.POST)
        if form.is_valid():
            try:
                revoked = services.password_change(
                    user=user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                    keep_session_key=request.session.session_key,
                )
            except HavenError as exc:
                _form_error(form, exc, "new_password" if exc.code == "weak_password" else None)
                status = exc.status
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password is changed. Your other sessions are signed out."))
                if revoked:
                    messages.info(
                        request,
                        _("Your API tokens were revoked (%(count)d); apps using them must sign in again.")
                        % {"count": revoked},
                    )
                return redirect("accounts:password")
        else:
            status = 400
    else:
        form = PasswordForm()
    return render(
        request,
        "accounts/password.html",
        _settings_context(request, form=form, settings_tab="password"),
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    """List API tokens and create one; a new token's secret is shown on this response only."""
    user = _member(request)
    status = 200
    created: tuple[ApiToken, str] | None = None
    form = TokenForm()
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created = services.token_create(user=user, name=form.cleaned_data["name"])
            except HavenError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                form = TokenForm()
                status = 201
        else:
            status = 400
    tokens = list(selectors.tokens_for(user)[: ApiToken.MAX_PER_USER])
    context = _settings_context(
        request,
        form=form,
        tokens=tokens,
        created_token=created[0] if created else None,
        secret=created[1] if created else "",
        settings_tab="tokens",
        max_tokens=ApiToken.MAX_PER_USER,
    )
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest) -> HttpResponse:
    """Revoke one of the member's tokens (someone else's token id is simply not found)."""
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No such token."))
        return redirect("accounts:tokens")
    try:
        services.token_revoke(user=_member(request), token_id=form.cleaned_data["token_id"])
    except HavenError as exc:
        messages.error(request, exc.message)
        return render(
            request,
            "accounts/tokens.html",
            _settings_context(
                request,
                form=TokenForm(),
                tokens=list(selectors.tokens_for(_member(request))[: ApiToken.MAX_PER_USER]),
                settings_tab="tokens",
                max_tokens=ApiToken.MAX_PER_USER,
            ),
            status=exc.status,
        )
    messages.success(request, _("The token is revoked; apps using it are signed out."))
    return redirect("accounts:tokens")


def _from_this_site(request: HttpRequest) -> bool:
    """Whether a POST comes from this site's own pages, by the Origin and Sec-Fetch-Site it carries.

    Browsers send Origin with every cross-site POST (and Sec-Fetch-Site with every request), so a
    form on another site is refused; a client that sends neither has no ambient credentials to abuse.
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_protect
def _member_set_language(request: HttpRequest) -> HttpResponse:
    from django.views.i18n import set_language

    language = request.POST.get("language", "")
    if language in dict(User.InterfaceLanguage.choices):
        services.profile_update(user=_member(request), interface_language=language)
    return set_language(request)


@csrf_exempt
@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """The top-bar language switch: sets the cookie (Django's view) and, for members, their preference.

    A member's switch is CSRF-checked as usual (it changes their profile). A visitor's switch only sets
    the language cookie, and comes from pages that shared caches keep without a CSRF token
    (haven.core.http_cache), so it is checked by its Origin instead: another site cannot flip it.
    """
    from django.views.i18n import set_language

    if request.user.is_authenticated:
        return _member_set_language(request)
    if not _from_this_site(request):
        failure = get_callable(settings.CSRF_FAILURE_VIEW)
        return failure(request, reason=REASON_BAD_ORIGIN % request.headers.get("Origin", "-"))  # type: ignore[no-any-return]
    return set_language(request)
