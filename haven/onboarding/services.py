"""Writes of onboarding: languages, interests, the step reached, finishing or skipping."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.services import profile_update, user_set_languages
from haven.core.errors import InvalidInput
from haven.onboarding import selectors, topics
from haven.onboarding.models import OnboardingProgress
from haven.recommend import services as recommend
from haven.recommend.models import TopicFollow

Step = OnboardingProgress.Step
ORDER: tuple[str, ...] = (Step.LANGUAGES, Step.INTERESTS, Step.PEOPLE, Step.HELLO, Step.DONE)
MIN_INTERESTS = 3
MAX_INTERESTS = 30


def progress_start(*, user: Any) -> OnboardingProgress:
    """The member's progress row, created at the first step when missing (idempotent)."""
    row, _created = OnboardingProgress.objects.get_or_create(user_id=user.pk)
    return row


def progress_advance(*, user: Any, step: str) -> OnboardingProgress:
    """Move the member on to `step` (never back; finishing is onboarding_complete's)."""
    if step not in ORDER or step == Step.DONE:
        raise InvalidInput(_("Unknown onboarding step."), code="invalid_step")
    with transaction.atomic():
        progress_start(user=user)
        row = OnboardingProgress.objects.select_for_update().get(user_id=user.pk)
        if ORDER.index(step) > ORDER.index(row.step):
            row.step = step
            row.save(update_fields=["step", "updated_at"])
    return row


def onboarding_languages_set(
    *, user: Any, reads: Iterable[str], learning: Iterable[str], interface_language: str | None = None
) -> Any:
    """Step 1: the interface language (when given), the languages the member reads (at least one,
    InvalidInput `languages_required`) and those they are learning (accounts validates both)."""
    reads = list(reads)
    if not reads:
        raise InvalidInput(_("Pick at least one language you read."), code="languages_required")
    with transaction.atomic():
        if interface_language is not None:
            profile_update(user=user, interface_language=interface_language)
        user_set_languages(user=user, reads=reads, learning=learning)
        progress_advance(user=user, step=Step.INTERESTS)
    return user


def _topic_keys(raw_topics: Iterable[str]) -> list[str]:
    keys: list[str] = []
    for raw in raw_topics:
        key = topics.key_of(recommend.topic_name(str(raw)))  # InvalidInput `invalid_tag`
        if key not in keys:
            keys.append(key)
        if len(keys) > MAX_INTERESTS:
            raise InvalidInput(
                _("Pick at most %(max)d topics.") % {"max": MAX_INTERESTS}, code="too_many_interests"
            )
    if len(keys) < MIN_INTERESTS:
        raise InvalidInput(
            _("Pick at least %(min)d topics, so your first feed has something to mix.")
            % {"min": MIN_INTERESTS},
            code="too_few_interests",
            details={"min": MIN_INTERESTS, "picked": len(keys)},
        )
    return keys


def onboarding_interests_set(*, user: Any, topics_chosen: Iterable[str]) -> list[str]:
    """Step 2: follow the chosen topics (MIN_INTERESTS to MAX_INTERESTS; a curated topic follows its
    English and Chinese hashtags) through recommend, as source "onboarding". Topics followed from an
    earlier pass of onboarding and no longer chosen are unfollowed; topics followed elsewhere stay.
    Returns the topic keys chosen."""
    keys = _topic_keys(topics_chosen)
    tags = [tag for key in keys for tag in topics.tags_of(key)]
    with transaction.atomic():
        for tag in sorted(selectors.onboarding_topics(user) - set(tags)):
            recommend.topic_unfollow(user=user, topic=tag)
        recommend.topic_follows_set(user=user, topics=tags, source=TopicFollow.Source.ONBOARDING)
        progress_advance(user=user, step=Step.PEOPLE)
    return keys


def onboarding_complete(*, user: Any, skipped: bool = False) -> OnboardingProgress:
    """Finish onboarding (idempotent: the first finish is kept): the member is not sent back to it
    again. `skipped` records that they left through "Skip" rather than the last step."""
    with transaction.atomic():
        progress_start(user=user)
        row = OnboardingProgress.objects.select_for_update().get(user_id=user.pk)
        if row.completed_at is None:
            row.step = Step.DONE
            row.completed_at = timezone.now()
            row.skipped = bool(skipped)
            row.save(update_fields=["step", "completed_at", "skipped", "updated_at"])
    return row
