"""The onboarding API: where the member stands, topics and people to choose from, and each step's answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from haven.accounts.models import SUPPORTED_LANGUAGES, User
from haven.core.errors import NotAuthenticated
from haven.onboarding import selectors, services
from haven.onboarding.schemas import (
    OnboardingCompleteIn,
    OnboardingInterestsIn,
    OnboardingLanguagesIn,
    OnboardingPeopleOut,
    OnboardingStateOut,
    OnboardingTopicsOut,
)

router = Router(tags=["onboarding"])


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def _state(user: User) -> dict[str, Any]:
    return {
        **selectors.state(user),
        "min_topics": services.MIN_INTERESTS,
        "max_topics": services.MAX_INTERESTS,
        "supported_languages": list(SUPPORTED_LANGUAGES),
    }


@router.get(
    "", response=OnboardingStateOut, summary="Where you stand in onboarding, and what you chose so far"
)
def onboarding_state(request: HttpRequest) -> dict[str, Any]:
    return _state(_member(request))


@router.get("/topics", response=OnboardingTopicsOut, summary="Topics to pick from, each with a cover photo")
def onboarding_topics(request: HttpRequest) -> dict[str, Any]:
    """Names are in your interface language; a curated topic (coffee/咖啡) follows both hashtags."""
    user = _member(request)
    return {"items": selectors.topic_choices(user, interface_language=user.interface_language)}


@router.get(
    "/suggestions", response=OnboardingPeopleOut, summary="People to follow, from your topics and languages"
)
def onboarding_suggestions(request: HttpRequest) -> dict[str, Any]:
    """Follow them with POST /graph/{username}/follow."""
    return {"items": selectors.people_suggestions(_member(request))}


@router.post("/languages", response=OnboardingStateOut, summary="Step 1: languages you read and are learning")
def onboarding_languages(request: HttpRequest, payload: OnboardingLanguagesIn) -> dict[str, Any]:
    """400 `languages_required` (none read), `language_read_and_learned`, `invalid_languages`,
    `too_many_languages`, `invalid_interface_language`."""
    user = _member(request)
    services.onboarding_languages_set(
        user=user,
        reads=payload.reads,
        learning=payload.learning,
        interface_language=payload.interface_language,
    )
    return _state(user)


@router.post("/interests", response=OnboardingStateOut, summary="Step 2: the topics you like (3 to 30)")
def onboarding_interests(request: HttpRequest, payload: OnboardingInterestsIn) -> dict[str, Any]:
    """400 `too_few_interests`, `too_many_interests`, `invalid_tag`."""
    user = _member(request)
    services.onboarding_interests_set(user=user, topics_chosen=payload.topics)
    return _state(user)


@router.post("/complete", response=OnboardingStateOut, summary="Finish onboarding (idempotent)")
def onboarding_complete(request: HttpRequest, payload: OnboardingCompleteIn) -> dict[str, Any]:
    user = _member(request)
    services.onboarding_complete(user=user, skipped=payload.skipped)
    return _state(user)


@router.post("/skip", response=OnboardingStateOut, summary="Skip the rest of onboarding (idempotent)")
def onboarding_skip(request: HttpRequest) -> dict[str, Any]:
    user = _member(request)
    services.onboarding_complete(user=user, skipped=True)
    return _state(user)
