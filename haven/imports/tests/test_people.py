"""An import's following list goes to people: kept only when chosen, merged on a second import,
matched against members' former handles, offered on the done screen and followed in one tap."""

from __future__ import annotations

from typing import Any

import pytest

from haven.graph.models import Follow
from haven.imports.tests import builders
from haven.imports.tests.builders import write_zip
from haven.imports.tests.test_lifecycle import ALL, confirm, upload
from haven.people.models import Contact, ContactList
from haven.people.tests.factories import claim, member

pytestmark = pytest.mark.django_db

PEOPLE = {**ALL, "following": True, "notify_on_join": True}


def _export(tmp_path: Any, handles: list[str]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = builders.tiktok_c()
    document["Profile And Settings"]["Following"]["Following"] = [
        {"Date": "2025-03-01 10:00:00", "UserName": handle} for handle in handles
    ]
    path = write_zip(tmp_path / "export.zip", {"user_data_tiktok.json": document})
    return SimpleUploadedFile("export.zip", path.read_bytes(), content_type="application/zip")


def test_the_following_list_is_kept_only_when_chosen(tmp_path, django_capture_on_commit_callbacks) -> None:
    user = member()
    job = upload(user, _export(tmp_path, ["crumb.theory"]), django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, choices=ALL)
    assert job.state == "done" and "contacts_kept" not in job.result
    assert not ContactList.objects.filter(user=user).exists()


def test_matches_are_offered_on_the_done_screen_and_followed_in_one_tap(
    tmp_path, client, django_capture_on_commit_callbacks
) -> None:
    user = member()
    friends = [member() for _ in range(3)]
    for friend, handle in zip(friends, ["crumb.theory", "matcha.mornings", "dumpling.diary"], strict=True):
        claim(friend, handle)
    hidden = member()
    claim(hidden, "quiet.one", discoverable=False)  # not discoverable: never offered
    handles = ["crumb.theory", "Matcha.Mornings", "dumpling.diary", "quiet.one", "nobody.here", "bad handle!"]
    job = upload(user, _export(tmp_path, handles), django_capture_on_commit_callbacks)
    assert job.state == "review"
    job = confirm(user, job, django_capture_on_commit_callbacks, choices=PEOPLE)
    assert job.state == "done"
    assert job.result["contacts_kept"] == 5 and job.result["people_here"] == 3
    kept = ContactList.objects.get(user=user, platform="tiktok")
    assert kept.notify_on_join is True
    assert job.findings == {}  # the handles live in people now, not in the job

    client.force_login(user)
    html = client.get(f"/settings/import/{job.pk}/").content.decode()
    assert "3 people you followed on TikTok are here" in html
    for friend in friends:
        assert f'name="user_id" value="{friend.pk}"' in html
    assert f'value="{hidden.pk}"' not in html
    response = client.post("/people/find/follow/", {"user_id": [f.pk for f in friends]})
    assert response.status_code == 302
    assert set(Follow.objects.filter(follower=user).values_list("followee_id", flat=True)) == {
        f.pk for f in friends
    }
    # Followed now: the done screen no longer offers them.
    html = client.get(f"/settings/import/{job.pk}/").content.decode()
    assert "data-follow-all" not in html


def test_a_second_import_merges_the_list(tmp_path, django_capture_on_commit_callbacks) -> None:
    user = member()
    job = upload(user, _export(tmp_path, ["a.one", "b.two"]), django_capture_on_commit_callbacks)
    confirm(user, job, django_capture_on_commit_callbacks, choices={"following": True})
    job = upload(user, _export(tmp_path, ["b.two", "c.three"]), django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, choices={"following": True})
    assert job.result["contacts_kept"] == 3
    assert sorted(Contact.objects.filter(list__user=user).values_list("handle", flat=True)) == [
        "a.one",
        "b.two",
        "c.three",
    ]
    assert ContactList.objects.get(user=user).notify_on_join is False
