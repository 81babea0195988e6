"""Onboarding services: languages, interests through recommend, progress that resumes and finishes once."""

from __future__ import annotations

import pytest

from haven.core.errors import InvalidInput
from haven.notes.tests.factories import UserFactory
from haven.onboarding import selectors, services
from haven.onboarding.models import OnboardingProgress
from haven.recommend import services as recommend
from haven.recommend.models import TopicFollow
from haven.recommend.selectors import followed_topics

pytestmark = pytest.mark.django_db
Step = OnboardingProgress.Step


def test_languages_step_saves_reads_learning_and_interface_and_moves_on() -> None:
    user = UserFactory(languages=["en"])
    services.onboarding_languages_set(user=user, reads=["en"], learning=["zh"], interface_language="zh-hans")
    user.refresh_from_db()
    assert (user.languages, user.learning_languages, user.interface_language) == (["en"], ["zh"], "zh-hans")
    assert selectors.state(user)["step"] == Step.INTERESTS


@pytest.mark.parametrize(
    ("reads", "learning", "ui", "code"),
    [
        ([], ["zh"], None, "languages_required"),
        (["en"], ["en"], None, "language_read_and_learned"),
        (["en"], [], "fr", "invalid_interface_language"),
    ],
)
def test_languages_step_refusals(reads: list[str], learning: list[str], ui: str | None, code: str) -> None:
    user = UserFactory(languages=["en"])
    with pytest.raises(InvalidInput) as caught:
        services.onboarding_languages_set(user=user, reads=reads, learning=learning, interface_language=ui)
    assert caught.value.code == code
    user.refresh_from_db()
    assert (user.languages, user.learning_languages, user.interface_language) == (["en"], [], "en")


def test_interests_follow_both_names_of_a_curated_topic_as_onboarding() -> None:
    user = UserFactory()
    chosen = ["#Coffee", "咖啡", "hiking", "knitting"]
    keys = services.onboarding_interests_set(user=user, topics_chosen=chosen)
    assert keys == ["coffee", "hiking", "knitting"]
    assert set(followed_topics(user.pk)) == {"coffee", "咖啡", "hiking", "徒步", "knitting"}
    assert set(TopicFollow.objects.filter(user_id=user.pk).values_list("source", flat=True)) == {"onboarding"}
    assert selectors.chosen_topics(user) == ["coffee", "hiking", "knitting"]
    assert selectors.state(user)["step"] == Step.PEOPLE


def test_choosing_again_drops_onboarding_topics_but_keeps_those_followed_elsewhere() -> None:
    user = UserFactory()
    recommend.topic_follow(user=user, topic="cooking")  # from a topic page
    services.onboarding_interests_set(user=user, topics_chosen=["coffee", "hiking", "tea"])
    services.onboarding_interests_set(user=user, topics_chosen=["coffee", "skincare", "books"])
    assert set(followed_topics(user.pk)) == {"cooking", "coffee", "咖啡", "skincare", "护肤", "books", "读书"}


@pytest.mark.parametrize(
    ("chosen", "code"),
    [
        (["coffee", "咖啡", "#coffee"], "too_few_interests"),  # one topic, three names
        ([f"topic{i}" for i in range(31)], "too_many_interests"),
        (["coffee", "hiking", "not a tag!"], "invalid_tag"),
        (["coffee", "hiking", "x" * 71], "invalid_tag"),
    ],
)
def test_interests_refusals_follow_nothing(chosen: list[str], code: str) -> None:
    user = UserFactory()
    with pytest.raises(InvalidInput) as caught:
        services.onboarding_interests_set(user=user, topics_chosen=chosen)
    assert caught.value.code == code
    assert followed_topics(user.pk) == []
    assert not OnboardingProgress.objects.filter(user_id=user.pk, step=Step.PEOPLE).exists()


def test_progress_only_moves_forward_and_finishing_is_kept() -> None:
    user = UserFactory()
    services.progress_advance(user=user, step=Step.PEOPLE)
    services.progress_advance(user=user, step=Step.INTERESTS)  # going back to edit keeps the step reached
    assert selectors.state(user)["step"] == Step.PEOPLE
    row = services.onboarding_complete(user=user)
    first = row.completed_at
    assert first is not None and not row.skipped
    again = services.onboarding_complete(user=user, skipped=True)
    assert (again.completed_at, again.skipped, again.step) == (first, False, Step.DONE)
    with pytest.raises(InvalidInput):
        services.progress_advance(user=user, step="nowhere")


def test_skipping_records_it() -> None:
    user = UserFactory()
    services.onboarding_complete(user=user, skipped=True)
    state = selectors.state(user)
    assert (state["completed"], state["skipped"], state["step"]) == (True, True, Step.DONE)
