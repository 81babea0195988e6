"""HTML views for policies (terms, privacy policy, "We've updated our terms"), consents, staff access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.core.input import parse_id
from haven.privacy import consent, staff_access
from haven.privacy.models import PolicyDocument


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _safe_next(request: HttpRequest, raw: str | None) -> str:
    if (
        raw
        and len(raw) <= 1000
        and url_has_allowed_host_and_scheme(
            raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return raw
    return "/"


def _policy_page(request: HttpRequest, kind: str) -> HttpResponse:
    raw_version = request.GET.get("version")
    document: PolicyDocument | None
    if raw_version:
        try:
            version = parse_id(raw_version)
            document = consent.policy_version(kind, version)
        except HavenError as exc:
            raise Http404 from exc
    else:
        document = consent.policy_current(kind)
    history = consent.policy_history(kind)
    current = history[0].version if history else None
    accepted = None
    if request.user.is_authenticated:
        accepted = consent.accepted_versions(request.user.pk).get(kind)
    return render(
        request,
        "privacy/policy.html",
        {
            "kind": kind,
            "policy": consent.policy_text(document) if document is not None else None,
            "history": [consent.policy_text(d) for d in history],
            "current_version": current,
            "accepted_version": accepted,
            "kind_label": dict(PolicyDocument.Kind.choices)[kind],
        },
    )


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    """The current terms of service (or `?version=N`), in the reader's language, with the history."""
    return _policy_page(request, PolicyDocument.Kind.TERMS)


@require_GET
def privacy_policy(request: HttpRequest) -> HttpResponse:
    """The current privacy policy (or `?version=N`), in the reader's language, with the history."""
    return _policy_page(request, PolicyDocument.Kind.PRIVACY)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def policies_updated(request: HttpRequest) -> HttpResponse:
    """ "We've updated our terms": the versions the member has not accepted yet, and an accept button."""
    user = _member(request)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    status = 200
    if request.method == "POST":
        versions: dict[str, int] = {}
        try:
            for kind in consent.KINDS:
                raw = request.POST.get(f"{kind}_version")
                if raw:
                    versions[kind] = parse_id(raw)
            consent.policies_accept(user=user, versions=versions)
        except HavenError as exc:
            messages.error(
                request,
                _("The terms changed again while you were reading; please look at the current version.")
                if exc.code == "policy_version_stale"
                else exc.message,
            )
            status = exc.status
        else:
            if not consent.pending_policies(user.pk):
                return redirect(next_url)
    pending = consent.pending_policies(user.pk)
    if not pending and request.method == "GET":
        return redirect(next_url)
    documents = [d for d in (consent.policy_current(kind) for kind in pending) if d is not None]
    return render(
        request,
        "privacy/policy_updated.html",
        {
            "policies": [consent.policy_text(d) for d in documents],
            "next": next_url,
            "first_time": not consent.accepted_versions(user.pk),
        },
        status=status,
    )


def _consents_context(user: User) -> dict[str, object]:
    return {"consents": consent.consent_states(user), "settings_tab": "privacy", "privacy_tab": "consents"}


@login_required
@never_cache
@require_GET
def consents(request: HttpRequest) -> HttpResponse:
    """Optional consents, each with a toggle (htmx) and when it was last changed."""
    return render(request, "privacy/consent_settings.html", _consents_context(_member(request)))


@login_required
@require_POST
def consent_toggle(request: HttpRequest, purpose: str) -> HttpResponse:
    """Set one consent (`granted` = "1" or "0"); htmx gets the updated row, a plain form a redirect."""
    user = _member(request)
    granted = request.POST.get("granted") == "1"
    try:
        state = consent.consent_set(user=user, purpose=purpose, granted=granted)
    except HavenError as exc:
        if _is_htmx(request):
            return HttpResponse(exc.message, status=exc.status)
        messages.error(request, exc.message)
        return redirect("privacy_consent:consents")
    if _is_htmx(request):
        return render(request, "privacy/consent_row.html", {"c": state, "just_changed": True})
    messages.success(request, _("Your choice is saved."))
    return redirect("privacy_consent:consents")


@login_required
@never_cache
@require_GET
def staff_access_list(request: HttpRequest) -> HttpResponse:
    """When staff looked at the member's non-public data: role, what, reason, time (never who)."""
    user = _member(request)
    try:
        page = staff_access.staff_access_page(user, cursor=request.GET.get("cursor"), limit=50)
    except HavenError:
        return redirect("privacy_consent:staff_access")
    return render(
        request,
        "privacy/staff_access.html",
        {
            "entries": page.items,
            "next_cursor": page.next_cursor,
            "settings_tab": "privacy",
            "privacy_tab": "staff_access",
        },
    )
