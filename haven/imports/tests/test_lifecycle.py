"""The import lifecycle through the services: upload, parse, review, confirm, drafts, cancel, delete,
expiry, idempotent re-runs, limits and failure codes (real rows, tasks run on commit)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from haven.core.errors import Conflict, HavenError, InvalidInput, NotFound, RateLimited
from haven.imports import services
from haven.imports.models import ImportedItem, ImportJob, ImportTransition
from haven.imports.parsing import ImportFailed
from haven.imports.tests import builders
from haven.notes.models import Note
from haven.notes.tests.factories import UserFactory
from haven.recommend.models import TopicFollow

pytestmark = pytest.mark.django_db

ALL = {"display_name": True, "bio": True, "posts": True, "hashtags": True, "likes": True}


def files_under(root: Any) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def zipped(
    tmp_path: Path, document: dict[str, Any] | None = None, name: str = "export.zip"
) -> SimpleUploadedFile:
    path = builders.write_zip(tmp_path / name, {"user_data_tiktok.json": document or builders.tiktok_c()})
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")


def upload(user: Any, file: SimpleUploadedFile, capture: Any) -> ImportJob:
    with capture(execute=True):
        job = services.import_upload(user=user, file=file, name=file.name)
    job.refresh_from_db()
    return job


def confirm(user: Any, job: ImportJob, capture: Any, choices: dict[str, bool] = ALL) -> ImportJob:
    with capture(execute=True):
        services.import_confirm(user=user, job_id=job.pk, choices=choices)
    job.refresh_from_db()
    return job


def test_upload_parses_into_review_then_confirm_creates_drafts(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory(display_name="", bio="")
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    assert job.state == "review" and job.source == "tiktok" and job.layout == "tiktok_json_c"
    assert job.file_name and len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 1
    assert job.report["counts"]["posts"] == 4
    assert "messages" in job.report["never_imported"]
    assert "sourdough" in job.findings["hashtags"]
    assert [t.dst for t in ImportTransition.objects.filter(job=job).order_by("pk")] == [
        "uploaded",
        "parsing",
        "review",
    ]

    job = confirm(user, job, django_capture_on_commit_callbacks)
    assert job.state == "done" and job.progress == 100
    assert job.result["drafts_created"] == 4 and job.result["drafts_skipped"] == 0
    drafts = Note.objects.filter(author=user)
    assert drafts.count() == 4 and set(drafts.values_list("status", flat=True)) == {"draft"}
    first = ImportedItem.objects.get(user=user, note__body__startswith="Sunday sourdough")
    assert first.original_posted_at.isoformat().startswith("2025-09-01T10:15:27")
    assert first.original_link.startswith("https://")
    assert first.note.visibility == "public"
    assert "#sourdough" in first.note.body and first.note.hashtag_links.exists()
    visibilities = set(ImportedItem.objects.filter(user=user).values_list("note__visibility", flat=True))
    assert visibilities == {"public", "followers", "private"}  # Friends and Only You never become public
    user.refresh_from_db()
    assert user.display_name and user.bio
    assert job.interests["hashtags"][0] == "sourdough"
    # The hashtags are followed as topics too (from the import), and the result says how many.
    followed = list(TopicFollow.objects.filter(user=user).values_list("topic", "source"))
    assert ("sourdough", "import") in followed and ("酸种面包", "import") in followed
    assert job.result["topics_followed"] == len(followed) >= 2
    assert len(job.interests["liked"]) == 2 and len(job.interests["favourites"]) == 1
    # The upload is gone once imported, and so are the findings (captions, handles): only what the
    # member chose stays, in the drafts, topics and the people app's contact list.
    assert job.file_name == "" and files_under(settings.PRIVATE_MEDIA_ROOT) == []
    assert job.findings == {}


def test_nothing_is_created_without_the_choice(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory(display_name="Mine", bio="")
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks, choices={"bio": True})
    assert job.state == "done"
    assert not Note.objects.filter(author=user).exists()
    user.refresh_from_db()
    assert user.display_name == "Mine" and user.bio
    assert "hashtags" not in job.interests and "liked" not in job.interests
    assert not TopicFollow.objects.filter(user=user).exists() and "topics_followed" not in job.result


def test_importing_the_same_export_again_never_duplicates(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    confirm(user, job, django_capture_on_commit_callbacks)
    followed_first = TopicFollow.objects.filter(user=user).count()
    assert followed_first
    # Confirming twice changes nothing.
    confirm(user, job, django_capture_on_commit_callbacks)
    # The same export uploaded again, zipped under another name (its links could differ too).
    document = builders.tiktok_c()
    for post in document["Post"]["Posts"]["VideoList"]:
        post["Link"] = post["Link"].replace("x-tos-expires=1758218531", "x-tos-expires=1999999999")
    again = upload(user, zipped(tmp_path, document, "again.zip"), django_capture_on_commit_callbacks)
    again = confirm(user, again, django_capture_on_commit_callbacks)
    assert again.result["drafts_created"] == 0 and again.result["drafts_skipped"] == 4
    # Topics already followed are not followed twice.
    assert again.result["topics_followed"] == 0
    assert TopicFollow.objects.filter(user=user).count() == followed_first
    assert Note.objects.filter(author=user).count() == 4
    # Running the import task again (a retry after a crash) is harmless too.
    ImportJob.objects.filter(pk=again.pk).update(state="importing")
    services.import_run(job_id=again.pk)
    assert Note.objects.filter(author=user).count() == 4


def test_parse_task_twice_and_run_before_confirm_do_nothing(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    services.import_parse(job_id=job.pk)
    services.import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "review" and not Note.objects.filter(author=user).exists()
    assert ImportTransition.objects.filter(job=job).count() == 3


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"hello, not an export", "notes.txt", "import_not_recognised"),
        (b"PK\x03\x04 broken zip", "export.zip", "import_corrupt"),
        (b'{"Profile And Settings": {', "user_data_tiktok.json", "import_corrupt"),
    ],
)
def test_a_refused_export_fails_with_the_parser_code(content, name, code, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload(user, SimpleUploadedFile(name, content), django_capture_on_commit_callbacks)
    assert job.state == "failed" and job.error_code == code
    assert job.findings is None and job.file_name == "" and files_under(settings.PRIVATE_MEDIA_ROOT) == []
    # A failed job does not block the next upload.
    upload(user, SimpleUploadedFile("x.txt", b"again"), django_capture_on_commit_callbacks)


def test_single_extracted_file_is_read_by_its_name(tmp_path, django_capture_on_commit_callbacks):
    data = json.dumps(builders.tiktok_a()).encode()
    job = upload(
        UserFactory(), SimpleUploadedFile("../../user_data.json", data), django_capture_on_commit_callbacks
    )
    assert job.original_name == "user_data.json"
    assert job.state == "review" and job.layout == "tiktok_json_a"


def test_limits_refuse_before_storing(tmp_path, settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    with pytest.raises(InvalidInput) as empty:
        services.import_upload(user=user, file=SimpleUploadedFile("e.zip", b""))
    assert empty.value.code == "import_empty"
    settings.IMPORT_LIMITS = {"max_archive_bytes": 10}
    with pytest.raises(ImportFailed) as large:
        services.import_upload(user=user, file=SimpleUploadedFile("big.zip", b"x" * 11))
    assert large.value.code == "import_too_large" and large.value.status == 413
    assert not ImportJob.objects.exists() and files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_one_active_import_per_member(tmp_path):
    user = UserFactory()
    services.import_upload(user=user, file=zipped(tmp_path))  # not parsed: no on-commit here
    with pytest.raises(Conflict) as busy:
        services.import_upload(user=user, file=zipped(tmp_path))
    assert busy.value.code == "import_in_progress" and busy.value.status == 409
    assert ImportJob.objects.filter(user=user).count() == 1
    services.import_upload(user=UserFactory(), file=zipped(tmp_path))  # others are not affected


def test_uploads_are_rate_limited(tmp_path):
    user = UserFactory()
    for _ in range(services.UPLOADS_PER_DAY):
        job = services.import_upload(user=user, file=SimpleUploadedFile("a.txt", b"x"))
        services.import_cancel(user=user, job_id=job.pk)
    with pytest.raises(RateLimited):
        services.import_upload(user=user, file=SimpleUploadedFile("a.txt", b"x"))


def test_confirm_checks_state_choices_and_owner(tmp_path, django_capture_on_commit_callbacks):
    user, other = UserFactory(), UserFactory()
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    with pytest.raises(NotFound) as foreign:
        services.import_confirm(user=other, job_id=job.pk, choices={})
    assert foreign.value.code == "import_not_found"
    with pytest.raises(InvalidInput) as bad:
        services.import_confirm(user=user, job_id=job.pk, choices={"messages": True})
    assert bad.value.code == "invalid_import_choice"
    services.import_cancel(user=user, job_id=job.pk)
    with pytest.raises(Conflict) as late:
        services.import_confirm(user=user, job_id=job.pk, choices={})
    assert late.value.code == "import_not_in_review"


def test_cancel_and_delete(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_cancel(user=user, job_id=job.pk)
        services.import_cancel(user=user, job_id=job.pk)  # twice is fine
    job.refresh_from_db()
    assert job.state == "cancelled" and job.findings is None and job.file_name == ""
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []
    # The parse task arriving late does nothing.
    services.import_parse(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "cancelled"

    done = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    done = confirm(user, done, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict) as late:
        services.import_cancel(user=user, job_id=done.pk)
    assert late.value.code == "import_not_cancellable"
    with pytest.raises(NotFound):
        services.import_delete(user=UserFactory(), job_id=done.pk)
    services.import_delete(user=user, job_id=done.pk)
    assert not ImportJob.objects.filter(pk=done.pk).exists()
    # The drafts stay, and still remember where they came from.
    assert Note.objects.filter(author=user).count() == 4
    assert ImportedItem.objects.filter(user=user, job__isnull=True).count() == 4


def test_delete_while_importing_is_refused(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    services.import_confirm(user=user, job_id=job.pk, choices=ALL)  # the task is not run here
    with pytest.raises(HavenError) as busy:
        services.import_delete(user=user, job_id=job.pk)
    assert busy.value.code == "import_busy" and busy.value.status == 409


def test_retention_expires_uploads_and_findings(tmp_path, django_capture_on_commit_callbacks):
    user = UserFactory()
    waiting = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = upload(UserFactory(), zipped(tmp_path), django_capture_on_commit_callbacks)
    assert len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 2

    from haven.core.retention import retention_run

    assert retention_run(kinds=["import_uploads"]) == {"import_uploads": 1}
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert waiting.state == "expired" and waiting.findings is None and waiting.file_name == ""
    assert fresh.state == "review" and fresh.findings and fresh.file_name
    assert len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 1
    assert retention_run(kinds=["import_uploads"]) == {"import_uploads": 0}  # idempotent
    # An import stalled in "importing" fails instead of blocking the member forever.
    services.import_confirm(user=fresh.user, job_id=fresh.pk, choices=ALL)
    ImportJob.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=8))
    retention_run(kinds=["import_uploads"])
    fresh.refresh_from_db()
    assert fresh.state == "failed" and fresh.error_code == "import_stalled" and fresh.findings is None


def test_topic_follows_are_bounded_and_never_fatal(tmp_path, django_capture_on_commit_callbacks, monkeypatch):
    from haven.recommend import services as recommend_services

    user = UserFactory()
    monkeypatch.setattr(recommend_services, "MAX_FOLLOWED_TOPICS", 2)
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    job = confirm(user, job, django_capture_on_commit_callbacks)
    assert job.state == "done" and job.result["topics_followed"] == 2
    assert TopicFollow.objects.filter(user=user).count() == 2
    assert len(job.interests["hashtags"]) > 2  # all of them stay an interest signal


def test_post_keys_ignore_signed_link_parameters() -> None:
    a = {"posted_at": None, "caption": "", "link": "https://v.tiktokv.us/a?x-expires=1"}
    b = {"posted_at": None, "caption": "", "link": "https://v.tiktokv.us/a?x-expires=2"}
    c = {"posted_at": "2025-01-01T00:00:00+00:00", "caption": "", "link": None}
    assert services.post_key(a) == services.post_key(b) != services.post_key(c)
