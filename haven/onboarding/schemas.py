"""Bounded ninja schemas of the onboarding API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from haven.accounts.models import MAX_LANGUAGES
from haven.onboarding.services import MAX_INTERESTS

LanguageCode = Annotated[str, StringConstraints(min_length=1, max_length=8)]
TopicName = Annotated[str, StringConstraints(min_length=1, max_length=70)]


class OnboardingStateOut(Schema):
    step: str = Field(description="The step to show next: languages, interests, people, hello or done")
    completed: bool
    skipped: bool = Field(description="Finished through Skip rather than the last step")
    completed_at: datetime | None
    interface_language: str
    languages: list[str] = Field(description="Languages the member reads")
    learning_languages: list[str] = Field(description="Languages the member is learning")
    topics: list[str] = Field(description="Topics followed (a curated pair such as coffee/咖啡 once)")
    min_topics: int
    max_topics: int
    supported_languages: list[str]


class OnboardingLanguagesIn(Schema):
    reads: list[LanguageCode] = Field(max_length=MAX_LANGUAGES, description="At least one")
    learning: list[LanguageCode] = Field(default_factory=list, max_length=MAX_LANGUAGES)
    interface_language: str | None = Field(
        None, max_length=8, description='"en" or "zh-hans"; omitted: unchanged'
    )


class OnboardingInterestsIn(Schema):
    topics: list[TopicName] = Field(max_length=MAX_INTERESTS, description="Topic keys or hashtags, 3 to 30")


class OnboardingCompleteIn(Schema):
    skipped: bool = False


class OnboardingCoverOut(Schema):
    note_id: int
    grid_url: str
    width: int
    height: int
    blurhash: str
    alt_text: str


class OnboardingTopicOut(Schema):
    key: str = Field(description="What to send back in POST /interests")
    label: str = Field(description="The name in the member's interface language")
    other_label: str = Field(description="The name in the other language; empty outside the curated map")
    tags: list[str] = Field(description="The hashtags choosing it follows")
    emoji: str
    note_count: int
    chosen: bool
    cover: OnboardingCoverOut | None


class OnboardingTopicsOut(Schema):
    items: list[OnboardingTopicOut]


class OnboardingSampleOut(OnboardingCoverOut):
    title: str


class OnboardingPersonOut(Schema):
    username: str
    display_name: str
    avatar_url: str
    bio: str = Field(description="The first line of the bio, at most 120 characters")
    language: str = Field(description="The language they mostly write in")
    other_community: bool = Field(description="Writes in a language the member does not read")
    topics: list[str] = Field(description="The member's topics they post about")
    sample: OnboardingSampleOut | None = Field(description="The cover of one of their popular notes")


class OnboardingPeopleOut(Schema):
    items: list[OnboardingPersonOut]
