"""The one NinjaAPI: routers of every app under /api/v1, error mapping, and authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from haven.accounts.api import router as accounts_router
from haven.accounts.auth import ApiAuth
from haven.core.errors import HavenError
from haven.core.openapi import document_errors
from haven.core.renderers import OrjsonRenderer
from haven.engagement.api import router as engagement_router
from haven.feeds.api import router as feeds_router
from haven.graph.api import router as graph_router
from haven.media.api import router as media_router
from haven.notes.api import router as notes_router
from haven.notifications.api import router as notifications_router
from haven.privacy.api import router as privacy_router
from haven.translation.api import router as translation_router


class HavenAPI(NinjaAPI):
    """The NinjaAPI whose published schema documents every error response (see core.openapi)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = HavenAPI(
    title="Haven API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=ApiAuth(),
    renderer=OrjsonRenderer(),
    description=(
        "Haven's public JSON API. Authenticate with `Authorization: Bearer <token>` (create tokens in "
        "Settings -> API tokens) or a browser session. Errors are `{code, message, details?}` with a "
        "stable `code`. Lists are cursor-paginated: pass `cursor` from `next_cursor`."
    ),
)


@api.exception_handler(HavenError)
def _haven_error(request: HttpRequest, exc: HavenError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if exc.code == "rate_limited" and "retry_after_seconds" in exc.details:
        response["Retry-After"] = str(exc.details["retry_after_seconds"])
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": str(e.get("msg", ""))[:300],
            "type": e.get("type", ""),
        }
        for e in exc.errors[:20]
    ]
    body = {"code": "invalid_input", "message": "request did not validate", "details": {"errors": errors}}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_authenticated", "message": "authentication required"}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
        exc.status_code, "error"
    )
    return api.create_response(request, {"code": code, "message": str(exc)}, status=exc.status_code)


api.add_router("/accounts", accounts_router)
api.add_router("/graph", graph_router)
api.add_router("/media", media_router)
api.add_router("/notes", notes_router)
api.add_router("/engagement", engagement_router)
api.add_router("/feeds", feeds_router)
api.add_router("/notifications", notifications_router)
api.add_router("/translation", translation_router)
api.add_router("/privacy", "haven.privacy.api_consent.router")  # policies, consents, staff access
api.add_router("/privacy", privacy_router)
api.add_router("/moderation", "haven.moderation.api.router")
api.add_router("/search", "haven.search.api.router")
api.add_router("/dm", "haven.messaging.api.router")
api.add_router("/imports", "haven.imports.api.router")
api.add_router("/onboarding", "haven.onboarding.api.router")
api.add_router("/people", "haven.people.api.router")
api.add_router("/payments", "haven.payments.api.router")
api.add_router("/shops", "haven.shops.api.router")
api.add_router("/catalog", "haven.catalog.api.router")
api.add_router("/orders", "haven.orders.api.router")
api.add_router("/earnings", "haven.orders.api_earnings.router")
api.add_router("/reviews", "haven.reviews.api.router")
api.add_router("/recommend", "haven.recommend.api.router")
