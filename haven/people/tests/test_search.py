"""Former handles in member search: found by a discoverable handle, never by a private one; the index
follows every change (add, make discoverable or not, delete, erase)."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.notes.tests.factories import block
from haven.people import personal_data, services
from haven.search.tests.helpers import found, index_all, suggested

pytestmark = pytest.mark.django_db


def test_a_discoverable_handle_finds_the_member_a_private_one_does_not(django_capture_on_commit_callbacks):
    anna = UserFactory(username="anna_here", display_name="Anna")
    UserFactory(username="someone_else", display_name="Crumbs")
    index_all()
    assert found(None, "crumb.theory", kind="member") == []
    with django_capture_on_commit_callbacks(execute=True):
        private = services.handle_add(user=anna, platform="tiktok", handle="@crumb.theory")
    assert found(None, "crumb.theory", kind="member") == []  # not discoverable: not in the index
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_update(user=anna, handle_id=private.pk, discoverable=True)
    for query in ("crumb.theory", "@crumb.theory", "crumb theory", "Crumb.Theory"):
        assert found(None, query, kind="member") == [anna.pk], query
    assert ("member", anna.pk) in suggested(None, "crumb.the")
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_update(user=anna, handle_id=private.pk, discoverable=False)
    assert found(None, "crumb.theory", kind="member") == []


def test_deleting_or_erasing_handles_takes_them_out(django_capture_on_commit_callbacks):
    anna = UserFactory(username="anna_here")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.handle_add(user=anna, platform="tiktok", handle="crumb.theory", discoverable=True)
        services.handle_add(user=anna, platform="instagram", handle="sunny.bakes.la", discoverable=True)
    assert found(None, "crumb.theory", kind="member") == [anna.pk]
    assert found(None, "sunny.bakes.la", kind="member") == [anna.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_delete(user=anna, handle_id=first.pk)
    assert found(None, "crumb.theory", kind="member") == []
    assert found(None, "sunny.bakes.la", kind="member") == [anna.pk]
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_handles(anna)
    assert found(None, "sunny.bakes.la", kind="member") == []


def test_the_member_rule_still_decides_who_finds_them(django_capture_on_commit_callbacks):
    anna, blocked = UserFactory(username="anna_here"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_add(user=anna, platform="tiktok", handle="crumb.theory", discoverable=True)
    block(anna, blocked)
    assert found(blocked, "crumb.theory", kind="member") == []
    assert found(UserFactory(), "crumb.theory", kind="member") == [anna.pk]
    client = Client()
    response = client.get("/api/v1/search", {"q": "crumb.theory", "type": "member"})
    assert [item["card"]["username"] for item in response.json()["items"]] == ["anna_here"]
