"""HTML pages of imports: upload, progress polling, review (never-imported box), done, permissions,
and phone-safe rendering."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haven.imports.models import ImportJob
from haven.imports.tests import builders
from haven.notes.models import Note
from haven.notes.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/settings/import/"


@pytest.fixture
def member():
    return UserFactory(display_name="", bio="")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def export_zip(tmp_path) -> SimpleUploadedFile:
    path = builders.write_zip(tmp_path / "export.zip", {"user_data_tiktok.json": builders.tiktok_c()})
    return SimpleUploadedFile("export.zip", path.read_bytes(), content_type="application/zip")


def upload(client, tmp_path, capture) -> ImportJob:
    with capture(execute=True):
        response = client.post(f"{BASE}upload/", {"file": export_zip(tmp_path)})
    assert response.status_code == 302, response.content[:500]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == f"{BASE}{job.pk}/"
    return job


def assert_phone_safe(html: str) -> None:
    assert 'name="viewport"' in html
    assert not re.search(r'style="[^"]*width:\s*\d{3,}px', html)  # no fixed widths wider than a phone
    assert "<table" not in html


def test_upload_review_confirm_done(
    member_client, member, tmp_path, django_capture_on_commit_callbacks
) -> None:
    page = member_client.get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'aria-current="page"' in html
    assert_phone_safe(html)

    job = upload(member_client, tmp_path, django_capture_on_commit_callbacks)
    review = member_client.get(f"{BASE}{job.pk}/")
    html = review.content.decode()
    assert review.status_code == 200
    assert 'id="import-never"' in html and "Never imported" in html
    assert "messages, login and IP history, devices or search history" in html
    assert "4 posts as drafts" in html and 'name="posts" checked' in html
    assert "hashtags as topics" in html and "cannot follow topics" not in html
    assert 'name="display_name" checked' in html  # the member has no display name yet
    assert "First posted on TikTok on" in html
    assert "CANARY" not in html
    assert_phone_safe(html)

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"{BASE}{job.pk}/confirm/", {"posts": "on", "likes": "on", "hashtags": "on"}
        )
    assert response.status_code == 302
    done = member_client.get(f"{BASE}{job.pk}/").content.decode()
    assert "4 drafts created." in done and "/notes/drafts/" in done
    assert re.search(r"You now follow \d+ topics\.", done)
    assert "First posted on TikTok on" in done
    assert Note.objects.filter(author=member, status="draft").count() == 4
    member.refresh_from_db()
    assert member.display_name == ""  # not chosen


def test_progress_fragment_polls_then_asks_for_a_reload(member_client, tmp_path) -> None:
    member_client.post(f"{BASE}upload/", {"file": export_zip(tmp_path)})  # not parsed yet (no on-commit)
    job = ImportJob.objects.latest("pk")
    assert job.state == "uploaded"
    page = member_client.get(f"{BASE}{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    fragment = member_client.get(f"{BASE}{job.pk}/status/")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    from haven.imports import services

    services.import_parse(job_id=job.pk)
    fragment = member_client.get(f"{BASE}{job.pk}/status/")
    assert fragment["HX-Refresh"] == "true" and "every 2s" not in fragment.content.decode()


def test_refused_uploads_show_a_message(member_client, settings, tmp_path) -> None:
    response = member_client.post(f"{BASE}upload/", {})
    assert response.status_code == 400 and "Choose your export file" in response.content.decode()
    settings.IMPORT_LIMITS = {"max_archive_bytes": 100}
    response = member_client.post(f"{BASE}upload/", {"file": SimpleUploadedFile("a.zip", b"x" * 200)})
    assert response.status_code == 413 and 'role="alert"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_failed_import_says_why_and_can_be_deleted(member_client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"{BASE}upload/", {"file": SimpleUploadedFile("notes.txt", b"hello")})
    job = ImportJob.objects.latest("pk")
    html = member_client.get(f"{BASE}{job.pk}/").content.decode()
    assert "not a TikTok or Instagram data export" in html
    assert member_client.post(f"{BASE}{job.pk}/delete/").status_code == 302
    assert not ImportJob.objects.filter(pk=job.pk).exists()


def test_cancel_from_review(member_client, tmp_path, django_capture_on_commit_callbacks) -> None:
    job = upload(member_client, tmp_path, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"{BASE}{job.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == BASE
    job.refresh_from_db()
    assert job.state == "cancelled" and job.findings is None


def test_a_member_never_sees_another_members_import(
    member_client, tmp_path, django_capture_on_commit_callbacks
):
    owner = Client()
    owner.force_login(UserFactory())
    job = upload(owner, tmp_path, django_capture_on_commit_callbacks)
    for url in (f"{BASE}{job.pk}/", f"{BASE}{job.pk}/status/"):
        assert member_client.get(url).status_code == 404
    for action in ("confirm", "cancel", "delete"):
        assert member_client.post(f"{BASE}{job.pk}/{action}/", {"posts": "on"}).status_code == 404
    assert "export.zip" not in member_client.get(BASE).content.decode()
    job.refresh_from_db()
    assert job.state == "review"


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(BASE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_with_csrf_checks_like_a_browser(member, tmp_path, django_capture_on_commit_callbacks) -> None:
    """The CSRF middleware reads the form before the view: the upload limit must be in place first
    (a browser's upload was a 500, "cannot alter upload handlers after the upload has been processed")."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    page = browser.get(BASE)
    token = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        form = {"file": export_zip(tmp_path), "csrfmiddlewaretoken": token}
        response = browser.post(f"{BASE}upload/", form)
    assert response.status_code == 302, response.content[:300]
    assert ImportJob.objects.get(user=member).state == "review"
    refused = browser.post(f"{BASE}upload/", {"file": export_zip(tmp_path)})  # no token
    assert refused.status_code == 403


def test_the_done_screen_says_what_became_of_the_media(member, member_client) -> None:
    job = ImportJob.objects.create(
        user=member,
        state="done",
        source="instagram",
        progress=100,
        result={
            "drafts_created": 2,
            "photos_imported": 5,
            "videos_imported": 1,
            "media_failed": 1,
            "media_over_limit": 2,
            "media_skipped": {"video_with_photos": 1},
            "avatar": True,
        },
    )
    html = member_client.get(f"{BASE}{job.pk}/").content.decode()
    assert "5 photos added to your drafts." in html
    assert "1 video added to your drafts: it is being prepared." in html
    assert "Your profile photo is the one from your export." in html
    assert "4 photos or videos of your export could not be added" in html
    job.result = {"drafts_created": 1, "avatar": False, "avatar_error": "image_invalid"}
    job.save(update_fields=["result"])
    html = member_client.get(f"{BASE}{job.pk}/").content.decode()
    assert "data-media-imported" not in html and "data-media-left" not in html
    assert "The profile photo of your export could not be used." in html
