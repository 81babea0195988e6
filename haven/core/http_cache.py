"""Caching for the crowd: which pages a reverse proxy or CDN may keep, their ETags and 304 answers.

Only four kinds of page take part, each marked with `@cacheable_page`: Discover, a topic, a
profile and a note. A response is labelled `Cache-Control: public` only when all of these hold:
the request is an anonymous GET or HEAD, the view confirmed with `share(request)` that what it
shows may be seen by anyone (the view asks its app's access rules; this module decides nothing
about visibility), the answer is a 200, and nothing in the request set or deleted a cookie. Every
other answer of such a page (signed in, private account, limited note, 404, a pending message
cookie, ...) is labelled `private, no-cache`, and any response anywhere that sets a cookie loses
`public`. Anonymous requests of these pages are rendered without a CSRF token (`context`), so that
visitors share one cached copy and get no cookie at all; docs/operator-guide.md says why that is
safe, what is cached for how long, and the proxy configuration.

The ETag is a hash of the body with the request's CSP nonce left out (the only part that differs
between two renders of the same content), so it is weak (`W/"..."`): equal ETags mean the same
page, not the same bytes. A conditional GET still renders the page, then answers 304 with no body
and no CSP header (a CSP with a new nonce would replace the one cached with the old body).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csp import get_nonce
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

#: Request attribute: how the response of a cacheable page may be cached ("private", "anonymous",
#: "public"); absent on every other page.
STATE_ATTR = "_haven_cache"
PRIVATE, ANONYMOUS, PUBLIC = "private", "anonymous", "public"
#: Request attribute: extra request headers the page's content depends on (e.g. HX-Request).
VARY_ATTR = "_haven_cache_vary"
#: Headers every cacheable page varies on: the session (signed in or not, pending messages) and the
#: language cookie, the browser's languages, and compression (GZipMiddleware answers per encoding).
BASE_VARY = ("Cookie", "Accept-Language", "Accept-Encoding")
SAFE_METHODS = frozenset({"GET", "HEAD"})


def shared_seconds() -> int:
    """How long a shared cache may keep a public page (s-maxage); 0: nothing is labelled public."""
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0))


def browser_seconds() -> int:
    """How long a browser may keep a public page (max-age): never longer than a shared cache."""
    return min(int(getattr(settings, "BROWSER_CACHE_SECONDS", 0)), shared_seconds())


def cacheable_page(*, vary: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Decorate an HTML view whose anonymous GET may be cached by everyone once it calls `share()`.

    `vary` names further request headers the view's answer depends on (e.g. "HX-Request" for a view
    that answers htmx with a fragment). The anonymous request is marked before the view runs, so its
    templates render the shared variant (no CSRF token, see `context`).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            anonymous = (
                shared_seconds() > 0 and request.method in SAFE_METHODS and not request.user.is_authenticated
            )
            setattr(request, STATE_ATTR, ANONYMOUS if anonymous else PRIVATE)
            setattr(request, VARY_ATTR, vary)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def share(request: HttpRequest, public: bool = True) -> None:
    """The view says that what this answer shows may be seen by anyone (`public`), or not.

    Has an effect only on an anonymous request of a `cacheable_page`; the answer is labelled public
    by `PublicCacheMiddleware` only if it is also a 200 that sets no cookie.
    """
    if getattr(request, STATE_ATTR, None) == ANONYMOUS and public:
        setattr(request, STATE_ATTR, PUBLIC)
    elif getattr(request, STATE_ATTR, None) == PUBLIC and not public:
        setattr(request, STATE_ATTR, ANONYMOUS)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: the shared variant of a page renders no CSRF token.

    A token would set the csrftoken cookie (so the answer could not be cached) and would be shared
    by everyone who gets the cached copy. `{% csrf_token %}` renders nothing for an empty token (with
    DEBUG on, Django warns once that the context provided none; its "NOTPROVIDED" marker fails in
    Django 6.1); base.html leaves its csrf-token meta out when `shared_page` is set. Anonymous visitors
    of these pages have nothing to post but the language switch, which checks their Origin instead.
    """
    if getattr(request, STATE_ATTR, None) in (ANONYMOUS, PUBLIC):
        return {"csrf_token": "", "shared_page": True}
    return {}


def etag_of(request: HttpRequest, content: bytes) -> str:
    """A weak ETag of a rendered page: its body less this request's CSP nonce."""
    nonce = get_nonce(request)
    if nonce:
        content = content.replace(str(nonce).encode(), b"")
    return f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'


def _kept_private(response: HttpResponseBase) -> bool:
    """Whether the view already said this answer is not for shared caches."""
    directives = {d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store", "no-cache"})


class PublicCacheMiddleware:
    """Labels the answers of cacheable pages (public + ETag + 304, or private) and keeps cookies private.

    Sits just inside GZipMiddleware: outside every middleware that sets cookies (sessions, CSRF,
    messages) or the CSP header, so it sees the finished answer, and inside compression, so the ETag
    is computed on the plain body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.cookies:
            # A response that sets or deletes a cookie is for one browser only, whatever the view said.
            patch_cache_control(response, private=True)
        state = getattr(request, STATE_ATTR, None)
        if state is None:
            return response
        if (
            state != PUBLIC
            or response.cookies
            or response.status_code != 200
            or not isinstance(response, HttpResponse)
            or _kept_private(response)
        ):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        patch_vary_headers(response, (*BASE_VARY, *getattr(request, VARY_ATTR, ())))
        patch_cache_control(response, public=True, max_age=browser_seconds(), s_maxage=shared_seconds())
        etag = etag_of(request, response.content)
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response) or response
