"""API authentication: bearer tokens and browser sessions (placeholder until accounts lands)."""

from ninja.security import django_auth


class ApiAuth:
    def __call__(self, request):  # type: ignore[no-untyped-def]
        return django_auth(request)


class OptionalAuth(ApiAuth):
    pass
