"""Middleware: activate the signed-in member's interface language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a member's saved interface language wins.

    Anonymous visitors keep LocaleMiddleware's choice (the django_language cookie set by
    /i18n/setlang/, then Accept-Language). Bearer-token API calls are handled in accounts.auth.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "interface_language", "")
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        return self.get_response(request)
