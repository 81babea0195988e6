"""Onboarding data: how far a member got through the first-hour steps, so they can resume or skip."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OnboardingProgress(models.Model):
    """One member's way through onboarding: the step to show next, and when they finished or skipped.

    A member without a row has not started. Once `completed_at` is set they are never sent back; they
    may still open the steps again from the welcome page (choices are edited, not reset).
    """

    class Step(models.TextChoices):
        LANGUAGES = "languages", "languages"
        INTERESTS = "interests", "interests"
        PEOPLE = "people", "people"
        HELLO = "hello", "hello"
        DONE = "done", "done"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.LANGUAGES)
    skipped = models.BooleanField(default=False)  # finished with "Skip" rather than the last step
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} at {self.step}"
