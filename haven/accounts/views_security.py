"""HTML views of account security: the Security settings tab, two-factor set-up and the second login step."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts import passkeys, selectors, services, sessions, twofactor
from haven.accounts.forms import (
    CodeForm,
    PasskeyRemoveForm,
    PasskeyRenameForm,
    PasswordConfirmForm,
    RevokeForm,
    SessionRevokeForm,
)
from haven.accounts.models import ApiToken, User
from haven.accounts.views import _error_message, _form_error, _member, remember_device
from haven.core import ratelimit
from haven.core.errors import HavenError


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _done(request: HttpRequest, message: str) -> HttpResponse:
    """After a change: an empty 200 for htmx (the row swaps itself out), else back to the Security tab."""
    if _htmx(request):
        return HttpResponse("")
    messages.success(request, message)
    return redirect("accounts:security")


def _security_context(request: HttpRequest, user: User, **extra: Any) -> dict[str, Any]:
    current = sessions.current_session_id(request)
    return {
        "nav_section": "settings",
        "settings_tab": "security",
        "sessions": list(selectors.sessions_for(user)),
        "current_session_id": current,
        "tokens": list(selectors.tokens_for(user)[: ApiToken.MAX_PER_USER]),
        "login_events": list(selectors.login_history_for(user)),
        "two_factor_enabled": twofactor.is_enabled(user),
        "recovery_codes_left": twofactor.recovery_codes_left(user),
        "passkeys": list(selectors.passkeys_for(user)),
        "password_form": PasswordConfirmForm(),
        **extra,
    }


@login_required
@never_cache
@require_http_methods(["GET"])
def security_view(request: HttpRequest) -> HttpResponse:
    """Sessions, API tokens, two-factor, passkeys and the login history, with revoke buttons."""
    user = _member(request)
    return render(request, "accounts/security.html", _security_context(request, user))


@login_required
@require_POST
def session_revoke_view(request: HttpRequest) -> HttpResponse:
    form = SessionRevokeForm(request.POST)
    user = _member(request)
    if not form.is_valid():
        messages.error(request, _("No such session."))
        return redirect("accounts:security")
    session_id = form.cleaned_data["session_id"]
    current = sessions.current_session_id(request)
    try:
        sessions.session_revoke(user=user, session_id=session_id)
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    if session_id == current:
        logout(request)
        return redirect("accounts:login")
    return _done(request, _("That session is signed out."))


@login_required
@require_POST
def token_revoke_view(request: HttpRequest) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No such token."))
        return redirect("accounts:security")
    try:
        services.token_revoke(user=_member(request), token_id=form.cleaned_data["token_id"])
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    return _done(request, _("The token is revoked; apps using it are signed out."))


@login_required
@require_POST
def end_all_view(request: HttpRequest) -> HttpResponse:
    """Log out everywhere: every session of the member, this one included, and every API token."""
    user = _member(request)
    sessions.sessions_end_all(user=user)
    services.tokens_revoke_all(user=user)
    logout(request)
    messages.info(request, _("You are signed out everywhere, and your API tokens are revoked."))
    return redirect("accounts:login")


# ----------------------------------------------------------------------------------------------
# Two-factor


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, then a first code; shows recovery codes once."""
    user = _member(request)
    if twofactor.is_enabled(user):
        return redirect("accounts:security")
    status = 200
    form = CodeForm()
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = twofactor.totp_confirm(user=user, code=form.cleaned_data["code"])
            except HavenError as exc:
                _form_error(form, exc, "code")
                status = exc.status
            else:
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {
                        "nav_section": "settings",
                        "settings_tab": "security",
                        "codes": codes,
                        "first_time": True,
                    },
                )
        else:
            status = 400
    secret = twofactor.pending_secret(user) if request.method == "POST" else None
    if not secret:
        secret = twofactor.totp_begin(user=user)
    uri = twofactor.provisioning_uri(user=user, secret=secret)
    context = {
        "nav_section": "settings",
        "settings_tab": "security",
        "form": form,
        "secret": secret,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "qr_uri": twofactor.qr_data_uri(uri),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


def _password_checked(request: HttpRequest, user: User) -> tuple[PasswordConfirmForm, HavenError | None]:
    form = PasswordConfirmForm(request.POST)
    if not form.is_valid():
        return form, HavenError(_("Enter your current password."), code="wrong_password")
    try:
        ratelimit.hit("password_confirm", str(user.pk), limit=10, window_seconds=60)
    except HavenError as exc:
        return form, exc
    return form, None


@sensitive_post_parameters("password")
@login_required
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form, error = _password_checked(request, user)
    if error is None:
        try:
            twofactor.totp_disable(user=user, password=form.cleaned_data["password"])
        except HavenError as exc:
            error = exc
    if error is not None:
        form.add_error("password" if error.code == "wrong_password" else None, _error_message(error))
        context = _security_context(request, user, password_form=form)
        return render(request, "accounts/security.html", context, status=error.status)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:security")


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_POST
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form, error = _password_checked(request, user)
    if error is None:
        try:
            codes = twofactor.recovery_codes_regenerate(user=user, password=form.cleaned_data["password"])
        except HavenError as exc:
            error = exc
    if error is not None:
        form.add_error("password" if error.code == "wrong_password" else None, _error_message(error))
        context = _security_context(request, user, password_form=form)
        return render(request, "accounts/security.html", context, status=error.status)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"nav_section": "settings", "settings_tab": "security", "codes": codes, "first_time": False},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_two_factor_view(request: HttpRequest) -> HttpResponse:
    """The second login step: a code from the authenticator app, a recovery code, or a passkey."""
    pending = twofactor.pending_login(request)
    if pending is None:
        messages.info(request, _("Your sign-in expired; please log in again."))
        return redirect("accounts:login")
    user, state = pending
    next_url = str(state.get("n") or reverse("web:home"))
    status = 200
    form = CodeForm()
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                method = twofactor.second_factor_check(
                    request=request, user=user, code=form.cleaned_data["code"]
                )
            except HavenError as exc:
                if exc.code == "two_factor_invalid":
                    twofactor.pending_login_failed(request)
                _form_error(form, exc, "code")
                status = exc.status
            else:
                sessions.login_complete(request=request, user=user, method=method or "password")
                response = redirect(next_url)
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.interface_language, samesite="Lax")
                remember_device(response, user)
                return response
        else:
            status = 400
    context = {
        "form": form,
        "has_passkeys": passkeys_available(user),
        "next": next_url,
    }
    return render(request, "accounts/login_two_factor.html", context, status=status)


def passkeys_available(user: User) -> bool:
    return selectors.passkeys_for(user).exists()


# ----------------------------------------------------------------------------------------------
# Passkeys (registration itself runs in accounts/passkeys.js against the JSON API)


@login_required
@require_POST
def passkey_rename_view(request: HttpRequest) -> HttpResponse:
    form = PasskeyRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the passkey a name of at most 50 characters."))
        return redirect("accounts:security")
    try:
        passkeys.passkey_rename(
            user=_member(request), passkey_id=form.cleaned_data["passkey_id"], name=form.cleaned_data["name"]
        )
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    messages.success(request, _("The passkey is renamed."))
    return redirect("accounts:security")


@login_required
@require_POST
def passkey_remove_view(request: HttpRequest) -> HttpResponse:
    form = PasskeyRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No such passkey."))
        return redirect("accounts:security")
    try:
        passkeys.passkey_remove(user=_member(request), passkey_id=form.cleaned_data["passkey_id"])
    except HavenError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    return _done(request, _("The passkey is removed."))
