"""HTTP contract tests of /api/v1/imports: upload, status, review, confirm, cancel, delete, list, and
every refusal with its status and code."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.accounts.tests.factories import bearer, token_for
from haven.imports.models import ImportJob
from haven.imports.tests import builders
from haven.notes.models import Note
from haven.notes.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports"
JSON = "application/json"


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def export_zip(tmp_path) -> SimpleUploadedFile:
    path = builders.write_zip(tmp_path / "export.zip", {"user_data_tiktok.json": builders.tiktok_c()})
    return SimpleUploadedFile("export.zip", path.read_bytes(), content_type="application/zip")


def uploaded(client, tmp_path, capture) -> dict:
    with capture(execute=True):
        response = client.post(URL, {"file": export_zip(tmp_path)})
    assert response.status_code == 202, response.content
    return client.get(f"{URL}/{response.json()['id']}").json()


def test_full_journey(member_client, member, tmp_path, django_capture_on_commit_callbacks) -> None:
    job = uploaded(member_client, tmp_path, django_capture_on_commit_callbacks)
    assert job["state"] == "review" and job["source"] == "tiktok" and job["counts"]["posts"] == 4
    assert job["file"] == "export.zip" and job["error_code"] == ""

    review = member_client.get(f"{URL}/{job['id']}/review").json()
    assert review["counts"]["posts"] == 4 and review["counts"]["public_posts"] == 2
    assert {"messages", "login_history", "search_history"} <= set(review["never_imported"])
    assert review["posts"][0]["caption"].startswith("Sunday sourdough") and review["posts"][0]["has_link"]
    assert "link" not in review["posts"][0]  # signed links stay on the server
    assert review["profile"]["username"]

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"{URL}/{job['id']}/confirm", {"posts": True, "hashtags": True}, content_type="application/json"
        )
    assert response.status_code == 202
    done = member_client.get(f"{URL}/{job['id']}").json()
    assert done["state"] == "done" and done["result"]["drafts_created"] == 4
    assert Note.objects.filter(author=member, status="draft").count() == 4
    # Confirming again: 202, nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = member_client.post(
            f"{URL}/{job['id']}/confirm", {"posts": True}, content_type="application/json"
        )
    assert again.status_code == 202 and Note.objects.filter(author=member).count() == 4
    # Review is over.
    late = member_client.get(f"{URL}/{job['id']}/review")
    assert late.status_code == 409 and late.json()["code"] == "import_not_in_review"

    assert [j["id"] for j in member_client.get(URL).json()] == [job["id"]]
    assert member_client.delete(f"{URL}/{job['id']}").status_code == 204
    assert member_client.get(f"{URL}/{job['id']}").status_code == 404
    assert member_client.get(URL).json() == []


def test_bearer_token_works(member, tmp_path) -> None:
    from django.test import Client

    client = Client()
    _, raw = token_for(member, "phone")
    response = client.get(URL, **bearer(raw))
    assert response.status_code == 200 and response.json() == []


def test_anonymous_is_refused(client) -> None:
    assert client.get(URL).status_code == 401
    response = client.post(URL, {"file": SimpleUploadedFile("a.zip", b"x")})
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_another_members_import_is_not_found(
    member_client, tmp_path, django_capture_on_commit_callbacks
) -> None:
    other = UserFactory()
    from django.test import Client

    theirs = Client()
    theirs.force_login(other)
    job = uploaded(theirs, tmp_path, django_capture_on_commit_callbacks)
    for response in (
        member_client.get(f"{URL}/{job['id']}"),
        member_client.get(f"{URL}/{job['id']}/review"),
        member_client.post(f"{URL}/{job['id']}/confirm", {}, content_type="application/json"),
        member_client.post(f"{URL}/{job['id']}/cancel"),
        member_client.delete(f"{URL}/{job['id']}"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "import_not_found"
    assert member_client.get(URL).json() == []
    assert ImportJob.objects.get(pk=job["id"]).state == "review"


def test_refusals_and_their_codes(
    member_client, tmp_path, settings, django_capture_on_commit_callbacks
) -> None:
    missing = member_client.post(URL, {})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    empty = member_client.post(URL, {"file": SimpleUploadedFile("a.zip", b"")})
    assert empty.status_code == 400 and empty.json()["code"] == "import_empty"
    settings.IMPORT_LIMITS = {"max_archive_bytes": 100}
    large = member_client.post(URL, {"file": SimpleUploadedFile("a.zip", b"x" * 200)})
    assert large.status_code == 413 and large.json()["code"] == "import_too_large"
    settings.IMPORT_LIMITS = {}

    with django_capture_on_commit_callbacks(execute=True):
        bad = member_client.post(URL, {"file": SimpleUploadedFile("notes.txt", b"not an export")})
    assert bad.status_code == 202
    failed = member_client.get(f"{URL}/{bad.json()['id']}").json()
    assert failed["state"] == "failed" and failed["error_code"] == "import_not_recognised"
    assert failed["error_message"]

    job = uploaded(member_client, tmp_path, django_capture_on_commit_callbacks)
    busy = member_client.post(URL, {"file": export_zip(tmp_path)})
    assert busy.status_code == 409 and busy.json()["code"] == "import_in_progress"
    unknown = member_client.post(
        f"{URL}/{job['id']}/confirm", {"messages": True}, content_type="application/json"
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_input"
    wrong_type = member_client.post(
        f"{URL}/{job['id']}/confirm", {"posts": [1]}, content_type="application/json"
    )
    assert wrong_type.status_code == 422
    for bad_id in ("abc", "99999999999999999999999", "-1"):
        assert member_client.get(f"{URL}/{bad_id}").status_code in (400, 404)

    cancelled = member_client.post(f"{URL}/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    late = member_client.post(f"{URL}/{job['id']}/confirm", {}, content_type="application/json")
    assert late.status_code == 409 and late.json()["code"] == "import_not_in_review"


def test_cancel_after_done_is_a_conflict(member_client, tmp_path, django_capture_on_commit_callbacks) -> None:
    job = uploaded(member_client, tmp_path, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"{URL}/{job['id']}/confirm", {}, content_type="application/json")
    response = member_client.post(f"{URL}/{job['id']}/cancel")
    assert response.status_code == 409 and response.json()["code"] == "import_not_cancellable"
