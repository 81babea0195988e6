"""HTML of recommend: the card's "⋯" menu, "not interested" over htmx with Undo, and the settings page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from haven.core import consent
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.recommend import services
from haven.recommend.models import NotInterested, TopicFollow
from haven.recommend.tests.conftest import refuse_personalisation

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def card(note, **extra):
    return {
        "id": note.pk,
        "title": note.title,
        "cover": None,
        "author": {"username": note.author.username, "display_name": "", "avatar_url": ""},
        "like_count": 0,
        "liked": False,
        "visibility": "public",
        "language": "en",
        "image_count": 1,
        **extra,
    }


def render_card(user, data):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("web/_card.html", {"card": data, "user": user, "request": request})


def test_a_discover_card_carries_tracking_attributes_and_the_menu():
    me, note = UserFactory(), NoteFactory(title="Pour-over")
    reason = {"code": "topic", "text": "Because you follow #coffee", "topic": "coffee"}
    html = render_card(me, card(note, reason=reason, topics=["beans", "coffee"]))
    assert f'data-note-id="{note.pk}"' in html and 'data-source="topic"' in html
    assert "Why this" in html and "Because you follow #coffee" in html
    assert "Not interested in this note" in html
    assert f"Fewer from @{note.author.username}" in html
    assert "Not interested in #coffee" in html


def test_the_menu_falls_back_to_the_first_topic_and_hides_the_topic_choice_without_one():
    me, note = UserFactory(), NoteFactory()
    reason = {"code": "popular", "text": "Popular right now", "topic": None}
    assert "Not interested in #beans" in render_card(me, card(note, reason=reason, topics=["beans"]))
    html = render_card(me, card(note, reason=reason, topics=[]))
    assert "Not interested in #" not in html and "Not interested in this note" in html


def test_no_menu_without_a_reason_or_for_visitors():
    from django.contrib.auth.models import AnonymousUser

    note = NoteFactory()
    assert "card-menu" not in render_card(UserFactory(), card(note))
    reason = {"code": "popular", "text": "Popular", "topic": None}
    assert "card-menu" not in render_card(AnonymousUser(), card(note, reason=reason))


def test_not_interested_over_htmx_lays_a_notice_with_undo(client, embedded):
    me, note = UserFactory(), NoteFactory()
    client.force_login(me)
    body = {"kind": "topic", "topic": "Coffee", "note_id": note.pk, "source_note_id": note.pk}
    response = client.post("/recommend/not-interested/", body, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Got it: you will see less of this." in html and "Undo" in html
    row = NotInterested.objects.get(user=me)
    assert (row.kind, row.topic) == ("topic", "coffee")
    undo = client.post(f"/recommend/not-interested/{row.pk}/remove/", **HTMX)
    assert undo.status_code == 200 and undo.content == b""
    assert not NotInterested.objects.exists()


def test_not_interested_without_script_redirects_back(client):
    me, note = UserFactory(), NoteFactory()
    client.force_login(me)
    response = client.post(
        "/recommend/not-interested/",
        {"kind": "author", "author": note.author.username, "next": "/?feed=latest"},
    )
    assert response.status_code == 302 and response["Location"] == "/?feed=latest"
    assert NotInterested.objects.filter(user=me, author=note.author).exists()
    evil = client.post(
        "/recommend/not-interested/", {"kind": "note", "note_id": note.pk, "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "note", "note_id": "999999"},
        {"kind": "note", "note_id": "abc"},
        {"kind": "author", "author": "x" * 151},
        {"kind": "topic", "topic": "#"},
        {"kind": "nonsense"},
    ],
)
def test_refusals_are_shown_in_place(client, body):
    client.force_login(UserFactory())
    response = client.post("/recommend/not-interested/", body, **HTMX)
    assert response.status_code == 200
    assert "Got it" not in response.content.decode() and "Close" in response.content.decode()
    assert not NotInterested.objects.exists()


def test_views_need_a_member_and_post(client):
    assert client.post("/recommend/not-interested/", {"kind": "note"}).status_code == 302  # to log in
    assert client.get("/recommend/settings/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/recommend/not-interested/").status_code == 405


def test_settings_lists_choices_and_topics_with_remove_and_unfollow(client, embedded):
    me, note = UserFactory(), NoteFactory(title="Matcha latte")
    client.force_login(me)
    services.not_interested_add(user=me, kind="note", note_id=note.pk)
    services.not_interested_add(user=me, kind="author", author_id=note.author_id)
    services.not_interested_add(user=me, kind="topic", topic="tea")
    services.topic_follow(user=me, topic="hiking")
    response = client.get("/recommend/settings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your recommendations" in html
    assert "Matcha latte" in html and f"@{note.author.username}" in html and "#tea" in html
    assert "#hiking" in html and "Unfollow" in html and "Remove" in html
    assert "/settings/privacy/consents/" in html and "On: Discover learns" in html
    assert 'href="/recommend/settings/" aria-current="page"' in html  # the settings tab
    gone = client.post("/recommend/topics/unfollow/", {"topic": "hiking"}, **HTMX)
    assert gone.status_code == 200 and not TopicFollow.objects.filter(user=me).exists()
    row = NotInterested.objects.get(user=me, kind="topic")
    assert client.post(f"/recommend/not-interested/{row.pk}/remove/").status_code == 302
    assert NotInterested.objects.filter(user=me).count() == 2


def test_settings_shows_personalisation_off(client):
    me = UserFactory()
    refuse_personalisation(me)
    assert not consent.consent_granted(me.pk, consent.PERSONALISED_RECOMMENDATIONS)
    client.force_login(me)
    assert "Off: Discover shows popular" in client.get("/recommend/settings/").content.decode()


def test_the_base_template_loads_the_events_script_for_members_only(client):
    assert "recommend/events" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert "recommend/events" in client.get("/").content.decode()


def test_the_note_page_carries_the_note_to_track(client):
    note = NoteFactory()
    client.force_login(UserFactory())
    assert f'data-track-note="{note.pk}"' in client.get(f"/notes/{note.pk}/").content.decode()
