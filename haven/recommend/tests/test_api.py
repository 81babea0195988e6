"""HTTP contract tests of /api/v1/recommend: events and "not interested" (statuses, codes, bounds)."""

from __future__ import annotations

import pytest

from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.recommend.models import EventKind, InteractionEvent, NotInterested

pytestmark = pytest.mark.django_db
URL = "/api/v1/recommend"


@pytest.fixture
def me(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post(client, path, body):
    return client.post(f"{URL}{path}", body, content_type="application/json")


def test_anonymous_callers_get_401(client):
    note = NoteFactory()
    for response in (
        post(client, "/events", {"events": [{"kind": "open", "note_id": note.pk}]}),
        post(client, "/not-interested", {"kind": "note", "note_id": note.pk}),
        client.get(f"{URL}/not-interested"),
        client.delete(f"{URL}/not-interested/1"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_events_are_accepted_with_202(client, me, embedded):
    note = NoteFactory()
    body = {
        "events": [
            {
                "kind": "impression",
                "note_id": note.pk,
                "value": 2,
                "source": "topic",
                "model_version": "als-7",
            },
            {"kind": "dwell", "note_id": note.pk, "value": 4000},
        ]
    }
    response = post(client, "/events", body)
    assert response.status_code == 202, response.content
    assert response.json() == {"accepted": 2}
    assert sorted(InteractionEvent.objects.filter(user=me).values_list("kind", "value", "source")) == [
        (EventKind.IMPRESSION, 2, "topic"),
        (EventKind.DWELL, 4000, ""),
    ]


def test_events_need_a_session_csrf_token(me):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(me)
    note = NoteFactory()
    response = post(strict, "/events", {"events": [{"kind": "open", "note_id": note.pk}]})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.parametrize(
    "events",
    [
        [{"kind": "like", "note_id": 1}],  # likes are read from engagement, not reported
        [{"kind": "not_interested", "note_id": 1}],  # explicit choices have their own endpoint
        [{"kind": "open", "note_id": 0}],
        [{"kind": "open", "note_id": "x"}],
        [{"kind": "open", "note_id": 1, "value": -1}],
        [{"kind": "open", "note_id": 1, "source": "s" * 17}],
        [{"kind": "open", "note_id": 1, "source": "<b>"}],
        [{"kind": "open", "note_id": 1, "model_version": "m" * 65}],
        [{"kind": "open", "note_id": 1}] * 51,
    ],
)
def test_bad_events_get_422(client, me, events):
    response = post(client, "/events", {"events": events})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not InteractionEvent.objects.exists()


def test_events_of_a_member_who_refused_personalisation_are_dropped(client, me, embedded):
    from haven.recommend.tests.conftest import refuse_personalisation

    refuse_personalisation(me)
    response = post(client, "/events", {"events": [{"kind": "open", "note_id": NoteFactory().pk}]})
    assert response.status_code == 202
    assert response.json() == {"accepted": 0}
    assert not InteractionEvent.objects.exists()


def test_event_posts_are_rate_limited(client, me, embedded, monkeypatch):
    from haven.recommend import api

    monkeypatch.setattr(api, "EVENT_POSTS_PER_MINUTE", 2)
    body = {"events": [{"kind": "open", "note_id": NoteFactory().pk}]}
    assert [post(client, "/events", body).status_code for _ in range(3)] == [202, 202, 429]


def test_not_interested_round_trip(client, me, embedded):
    note = NoteFactory(title="Latte art")
    created = post(client, "/not-interested", {"kind": "note", "note_id": note.pk})
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["kind"] == "note" and row["note"] == {"id": note.pk, "title": "Latte art"}
    assert row["author"] is None and row["topic"] is None
    again = post(client, "/not-interested", {"kind": "note", "note_id": note.pk})
    assert again.status_code == 201 and again.json()["id"] == row["id"]  # idempotent

    author = post(client, "/not-interested", {"kind": "author", "author": note.author.username})
    assert author.status_code == 201
    assert author.json()["author"]["username"] == note.author.username
    topic = post(client, "/not-interested", {"kind": "topic", "topic": "#Coffee"})
    assert topic.status_code == 201 and topic.json()["topic"] == "coffee"

    listed = client.get(f"{URL}/not-interested", {"limit": 2})
    assert listed.status_code == 200
    body = listed.json()
    assert [i["kind"] for i in body["items"]] == ["topic", "author"]
    rest = client.get(f"{URL}/not-interested", {"limit": 2, "cursor": body["next_cursor"]}).json()
    assert [i["id"] for i in rest["items"]] == [row["id"]] and rest["next_cursor"] is None

    assert client.delete(f"{URL}/not-interested/{row['id']}").status_code == 204
    gone = client.delete(f"{URL}/not-interested/{row['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"
    assert NotInterested.objects.filter(user=me).count() == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "note", "note_id": 999_999}, 404, "not_found"),
        ({"kind": "author", "author": "nobody-here"}, 404, "not_found"),
        ({"kind": "topic", "topic": "#"}, 422, "invalid_input"),
        ({"kind": "topic", "topic": "a-b"}, 422, "invalid_input"),
        ({"kind": "note"}, 422, "invalid_input"),
        ({"kind": "author"}, 422, "invalid_input"),
        ({"kind": "note", "note_id": 1, "topic": "x"}, 422, "invalid_input"),  # one target per kind
        ({"kind": "place"}, 422, "invalid_input"),
        ({"kind": "topic", "topic": "x" * 71}, 422, "invalid_input"),
        ({"kind": "note", "note_id": 0}, 422, "invalid_input"),
    ],
)
def test_not_interested_errors(client, me, body, status, code):
    response = post(client, "/not-interested", body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_hiding_oneself_or_a_private_note_is_refused(client, me):
    assert post(client, "/not-interested", {"kind": "author", "author": me.username}).json()["code"] == (
        "cannot_target_self"
    )
    private = NoteFactory(visibility=Visibility.PRIVATE)
    assert post(client, "/not-interested", {"kind": "note", "note_id": private.pk}).status_code == 404


def test_someone_elses_choice_cannot_be_deleted(client, me):
    other = UserFactory()
    theirs = NotInterested.objects.create(user=other, kind="topic", topic="tea")
    assert client.delete(f"{URL}/not-interested/{theirs.pk}").status_code == 404
    assert NotInterested.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("params", "status"), [({"limit": 0}, 422), ({"limit": 51}, 422), ({"cursor": "bad"}, 400)]
)
def test_list_bounds(client, me, params, status):
    assert client.get(f"{URL}/not-interested", params).status_code == status
