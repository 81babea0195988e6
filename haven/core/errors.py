"""Domain errors with stable codes: raised by services, mapped to 4xx by the API and the web views."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class HavenError(Exception):
    """An expected failure the caller can act on. `code` is stable and documented; never change one."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | Promise = "",
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = str(message) if message else self.code.replace("_", " ")
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(HavenError):
    status = 400
    code = "invalid_input"


class NotAuthenticated(HavenError):
    status = 401
    code = "not_authenticated"


class Forbidden(HavenError):
    status = 403
    code = "forbidden"


class NotFound(HavenError):
    """Missing and forbidden look the same to the caller."""

    status = 404
    code = "not_found"


class Conflict(HavenError):
    status = 409
    code = "conflict"


class TooLarge(HavenError):
    status = 413
    code = "too_large"


class UnsupportedMedia(HavenError):
    status = 415
    code = "unsupported_media_type"


class RateLimited(HavenError):
    status = 429
    code = "rate_limited"


class ServiceUnavailable(HavenError):
    """A backing service (Redis) is down; clients retry after `details["retry_after_seconds"]`."""

    status = 503
    code = "service_unavailable"
