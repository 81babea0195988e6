"""Following topics: services, the JSON API and the topic page's button."""

from __future__ import annotations

import pytest

from haven.feeds.tests.factories import UserFactory, note_at, tag
from haven.recommend import selectors, services, serving
from haven.recommend.models import TopicFollow

pytestmark = pytest.mark.django_db
API = "/api/v1/recommend"


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_follow_is_idempotent_normalized_and_bounded(member, monkeypatch):
    assert services.topic_follow(user=member, topic="#Coffee") is True
    assert services.topic_follow(user=member, topic="coffee") is False
    assert selectors.followed_topics(member.pk) == ["coffee"]
    monkeypatch.setattr(services, "MAX_FOLLOWED_TOPICS", 1)
    with pytest.raises(services.InvalidInput) as exc:
        services.topic_follow(user=member, topic="tea")
    assert exc.value.code == "too_many_topics"
    assert services.topic_follows_set(user=member, topics=["tea", "!!"], source="onboarding") == []


def test_api_follow_list_unfollow(client, member):
    response = client.put(f"{API}/topics/%23Hiking")
    assert response.status_code == 200, response.content
    assert response.json() == {"topic": "hiking", "following": True}
    assert client.get(f"{API}/topics").json() == {"items": ["hiking"]}
    assert client.delete(f"{API}/topics/hiking").status_code == 204
    assert client.delete(f"{API}/topics/hiking").status_code == 204  # idempotent
    assert client.get(f"{API}/topics").json() == {"items": []}


def test_api_refuses_bad_topics_and_strangers(client, member):
    response = client.put(f"{API}/topics/{'x' * 71}")
    assert response.status_code == 422
    response = client.put(f"{API}/topics/no spaces!")
    assert response.status_code == 400 and response.json()["code"] == "invalid_tag"
    client.logout()
    assert client.get(f"{API}/topics").status_code == 401
    assert client.put(f"{API}/topics/coffee").status_code == 401


def test_topic_page_button_toggles_and_reranks_discover(client, member):
    note = note_at()
    tag(note, "coffee")
    page = client.get("/feeds/topic/coffee/")
    assert page.status_code == 200
    assert b"data-topic-follow" in page.content and b'aria-pressed="false"' in page.content
    before = serving.ranking_generation(member.pk)
    response = client.post("/recommend/topics/coffee/follow/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'aria-pressed="true"' in response.content
    assert TopicFollow.objects.filter(user=member, topic="coffee", source="topic_page").exists()
    assert serving.ranking_generation(member.pk) > before
    response = client.post("/recommend/topics/coffee/follow/")  # without script: back to the page
    assert response.status_code == 302 and response["Location"].endswith("/coffee/")
    assert not TopicFollow.objects.filter(user=member).exists()


def test_anonymous_topic_page_has_no_button(client):
    note = note_at()
    tag(note, "coffee")
    page = client.get("/feeds/topic/coffee/")
    assert page.status_code == 200 and b"data-topic-follow" not in page.content
