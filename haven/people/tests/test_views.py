"""HTML views of people: the find page, Follow all, the settings page, the profile's handle line."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.graph.models import Follow
from haven.people.models import ContactList, FormerHandle
from haven.people.tests.factories import claim, contacts, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client: Client) -> Any:
    user = member()
    client.force_login(user)
    return user


def test_find_requires_login(client: Client) -> None:
    response = client.get(reverse("people:find"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_find_empty_state_links_to_import(client: Client, me: Any) -> None:
    body = client.get(reverse("people:find")).content.decode()
    assert reverse("imports:index") in body
    assert "data-follow-all" not in body


def test_find_lists_exact_then_likely_and_follow_all_follows_exact_only(client: Client, me: Any) -> None:
    anna, bob, twin1, twin2 = member(), member(), member(), member()
    claim(anna, "anna")
    claim(bob, "bob")
    claim(twin1, "twin")
    claim(twin2, "twin")
    contacts(me, ["anna", "bob", "twin"])
    body = client.get(reverse("people:find")).content.decode()
    assert "Follow all 2" in body
    assert "Is this them?" in body
    assert body.index(f'data-match="{anna.username}"') < body.index(f'data-match="{twin1.username}"')
    form = body[body.index('action="/people/find/follow/"') : body.index("data-follow-all")]
    assert f'value="{anna.pk}"' in form and f'value="{bob.pk}"' in form and f'value="{twin1.pk}"' not in form
    response = client.post(reverse("people:follow_all"), {"user_id": [anna.pk, bob.pk]})
    assert response.status_code == 302
    assert set(Follow.objects.filter(follower=me).values_list("followee_id", flat=True)) == {anna.pk, bob.pk}
    # An id that is not a match is never followed, whatever the form sends.
    stranger = member()
    client.post(reverse("people:follow_all"), {"user_id": [stranger.pk, "x"]})
    client.post(reverse("people:follow_all"), {"user_id": [stranger.pk]})
    assert not Follow.objects.filter(follower=me, followee=stranger).exists()


def test_settings_add_toggle_remove_handle_and_lists(client: Client, me: Any) -> None:
    page = client.get(reverse("people:settings"))
    assert page.status_code == 200 and "Former handles" in page.content.decode()
    client.post(
        reverse("people:handle_add"), {"platform": "tiktok", "handle": "@Anna.Cooks", "discoverable": "1"}
    )
    row = FormerHandle.objects.get(user=me)
    assert row.discoverable and row.handle == "Anna.Cooks"
    response = client.post(
        reverse("people:handle_add"), {"platform": "tiktok", "handle": "bad handle"}, follow=True
    )
    assert "1 to 30 letters" in response.content.decode()
    client.post(reverse("people:handle_change", args=[row.pk]), {})
    row.refresh_from_db()
    assert not row.discoverable
    contacts(me, ["x", "y"])
    body = client.get(reverse("people:settings")).content.decode()
    assert "2 accounts" in body
    client.post(reverse("people:list_change", args=["tiktok"]), {"notify_on_join": "1"})
    assert ContactList.objects.get(user=me).notify_on_join
    assert client.post(reverse("people:list_change", args=["vine"]), {}).status_code == 302
    client.post(reverse("people:list_delete", args=["tiktok"]))
    assert not ContactList.objects.filter(user=me).exists()
    client.post(reverse("people:handle_delete", args=[row.pk]))
    assert not FormerHandle.objects.filter(user=me).exists()
    other = claim(member(), "other")
    client.post(reverse("people:handle_delete", args=[other.pk]))
    assert FormerHandle.objects.filter(pk=other.pk).exists()


def test_profile_shows_discoverable_handles_as_self_declared(client: Client) -> None:
    owner = member()
    claim(owner, "anna.cooks")
    claim(owner, "secret", platform="instagram", discoverable=False)
    body = client.get(reverse("web:profile", args=[owner.username])).content.decode()
    assert "TikTok @anna.cooks" in body and "self-declared" in body
    assert "secret" not in body
    client.force_login(owner)
    body = client.get(reverse("web:profile", args=[owner.username])).content.decode()
    assert "Instagram @secret" in body and "only you see this" in body


def test_people_joined_notification_reads_and_links(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from haven.people import services

    anna, watcher = member(display_name="Anna"), member()
    contacts(watcher, ["anna.cooks"], notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_add(user=anna, platform="tiktok", handle="Anna.Cooks", discoverable=True)
    client.force_login(watcher)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "whom you followed on TikTok as @Anna.Cooks, is on Haven" in body
    assert reverse("web:profile", args=[anna.username]) in body
