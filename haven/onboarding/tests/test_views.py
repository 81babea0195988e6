"""Onboarding pages over HTTP: sign-up lands on them, each step saves and moves on, resume and skip."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.notes.tests.factories import UserFactory
from haven.onboarding import services
from haven.onboarding.models import OnboardingProgress
from haven.onboarding.tests.factories import tagged_note
from haven.recommend.selectors import followed_topics

pytestmark = pytest.mark.django_db
SIGNUP = {
    "username": "newbie",
    "email": "newbie@example.com",
    "password": "a sturdy passphrase 9",
    "languages": ["en"],
    "interface_language": "en",
}


def test_signup_lands_on_onboarding_with_the_welcome(client: Client) -> None:
    response = client.post("/accounts/signup/", SIGNUP, follow=True)
    assert [url for url, _status in response.redirect_chain] == ["/welcome/", "/welcome/languages/"]
    assert b"Welcome to" in response.content
    assert b"Chinese and English speakers meet" in response.content
    reads = response.context["form"]["reads"]
    assert reads.value() == ["en"]  # prefilled from sign-up


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/welcome/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_walk_through_resume_and_finish(client: Client) -> None:
    tagged_note(UserFactory(username="lin"), "coffee", likes=3)
    user = UserFactory(languages=["en"])
    client.force_login(user)
    assert client.get("/welcome/").url == "/welcome/languages/"
    response = client.post(
        "/welcome/languages/", {"interface_language": "en", "reads": ["en"], "learning": ["zh"]}
    )
    assert response.status_code == 302 and response.url == "/welcome/interests/"
    assert client.get("/welcome/").url == "/welcome/interests/"  # left halfway: resumes here

    page = client.get("/welcome/interests/")
    assert page.status_code == 200 and b'value="coffee"' in page.content and b"#coffee" in page.content
    short = client.post("/welcome/interests/", {"topics": ["coffee", "hiking"]})
    assert short.status_code == 400
    assert b"Pick at least 3 topics" in short.content
    assert b'value="coffee" checked' in short.content  # the choice is kept
    response = client.post("/welcome/interests/", {"topics": ["coffee", "hiking", "tea"]})
    assert response.url == "/welcome/people/"
    assert "咖啡" in followed_topics(user.pk)

    page = client.get("/welcome/people/")
    assert page.status_code == 200 and b"@lin" in page.content and b"/graph/lin/follow/" in page.content
    assert client.post("/welcome/people/").url == "/welcome/hello/"
    page = client.get("/welcome/hello/")
    assert b"#newhere" in page.content and "#新人报到".encode() in page.content
    assert b"/notes/new/" in page.content
    assert client.post("/welcome/finish/").url == "/"
    assert client.get("/welcome/").url == "/"  # done: never sent back
    row = OnboardingProgress.objects.get(user_id=user.pk)
    assert row.completed_at is not None and not row.skipped


def test_skip_from_any_step(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.get("/welcome/")
    response = client.post("/welcome/skip/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    row = OnboardingProgress.objects.get(user_id=user.pk)
    assert row.skipped and row.completed_at is not None
    assert client.get("/welcome/").url == "/"


def test_each_page_renders_for_a_zh_member(client: Client) -> None:
    user = UserFactory(languages=["zh"], interface_language="zh-hans")
    services.onboarding_interests_set(user=user, topics_chosen=["coffee", "hiking", "tea"])
    client.force_login(user)
    for path in ("languages", "interests", "people", "hello"):
        response = client.get(f"/welcome/{path}/")
        assert response.status_code == 200, path
    assert "#咖啡".encode() in client.get("/welcome/interests/").content


def test_bad_language_form_is_a_400_not_a_500(client: Any) -> None:
    client.force_login(UserFactory())
    response = client.post("/welcome/languages/", {"interface_language": "xx", "reads": ["en"]})
    assert response.status_code == 400
    both = {"interface_language": "en", "reads": ["en"], "learning": ["en"]}
    response = client.post("/welcome/languages/", both)
    assert response.status_code == 400
    assert b"not both" in response.content
