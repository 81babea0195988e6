"""Asks signed-in members to accept the current terms and privacy policy when a new version is published.

For a signed-in member's HTML page request (GET/HEAD, not htmx; not the API, static or media files,
the admin, the policy and privacy pages, logging out or changing language), a member who has not
accepted the current published version of the terms or the privacy policy is redirected to the
"We've updated our terms" page. Members who have no acceptance at all (created by `createsuperuser`
or before policies existed) are asked once too. Cost: one cache round trip (consent.pending_policies).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from haven.privacy.consent import pending_policies

#: Paths that never lead to the re-ask page (the member must be able to read, export, delete, leave).
EXEMPT_PREFIXES = (
    "/api/",
    "/static/",
    "/media/",
    "/admin/",
    "/terms/",
    "/transparency/",
    "/privacy/",
    "/policies/",
    "/settings/privacy/",
    "/accounts/logout/",
    "/accounts/language/",
    "/i18n/",
    "/manifest.webmanifest",
    "/favicon",
    "/robots.txt",
    "/sw.js",
)


class PolicyAcceptanceMiddleware:
    """Redirects members with a policy to accept (see the module docstring); after authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._applies(request) and pending_policies(int(request.user.pk or 0)):
            target = reverse("privacy_consent:policies_updated")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()[:1000]})}")
        return self.get_response(request)

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        if not getattr(settings, "PRIVACY_POLICY_GATE", True):
            return False
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return False
        if request.path.startswith(EXEMPT_PREFIXES):
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
