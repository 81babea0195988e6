"""Imports in the personal-data registry: the export holds the member's jobs and what they created;
erasure deletes the uploads, the jobs and the imported-item rows (and nothing of other members)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.core import personal_data
from haven.imports import services
from haven.imports.models import ImportedItem, ImportJob, ImportTransition
from haven.imports.tests import builders
from haven.notes.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def files_under(root: Any) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def imported(user: Any, tmp_path: Path, capture: Any, *, confirm: bool) -> ImportJob:
    path = builders.write_zip(tmp_path / f"{user.pk}.zip", {"user_data_tiktok.json": builders.tiktok_c()})
    with capture(execute=True):
        job = services.import_upload(user=user, file=SimpleUploadedFile("e.zip", path.read_bytes()))
    if confirm:
        with capture(execute=True):
            services.import_confirm(user=user, job_id=job.pk, choices={"posts": True, "likes": True})
    job.refresh_from_db()
    return job


def export(user: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for model in (ImportJob, ImportedItem):
        registration = personal_data.registration_for(model)
        assert registration is not None and registration.exporter is not None
        out[model.__name__] = list(registration.exporter(user))
    return out


def test_every_imports_model_is_registered() -> None:
    for model in (ImportJob, ImportTransition, ImportedItem):
        assert personal_data.registration_for(model) is not None, model
    assert personal_data.registration_for(ImportJob).outside_transaction  # deletes files


def test_export_holds_jobs_and_what_they_created(tmp_path, django_capture_on_commit_callbacks) -> None:
    user, other = UserFactory(), UserFactory()
    job = imported(user, tmp_path, django_capture_on_commit_callbacks, confirm=True)
    imported(other, tmp_path, django_capture_on_commit_callbacks, confirm=True)
    data = export(user)
    (row,) = data["ImportJob"]
    assert row["id"] == job.pk and row["state"] == "done" and row["result"]["drafts_created"] == 4
    assert row["interests"]["liked"] and [h["to"] for h in row["history"]][-1] == "done"
    assert len(data["ImportedItem"]) == 4
    assert all(item["import_id"] == job.pk and item["note_id"] for item in data["ImportedItem"])
    assert {i["original_posted_at"][:10] for i in data["ImportedItem"]} >= {"2025-09-01"}


def test_erasure_deletes_uploads_jobs_and_items(tmp_path, django_capture_on_commit_callbacks) -> None:
    user, other = UserFactory(), UserFactory()
    imported(user, tmp_path, django_capture_on_commit_callbacks, confirm=True)
    ImportJob.objects.filter(user=user).update(state="failed")  # free the one active slot
    waiting = imported(user, tmp_path, django_capture_on_commit_callbacks, confirm=False)
    assert waiting.state == "review" and waiting.file_name
    theirs = imported(other, tmp_path, django_capture_on_commit_callbacks, confirm=False)
    assert len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 2

    counts = {}
    for registration in personal_data.registrations():
        if registration.model._meta.app_label == "imports" and registration.eraser is not None:
            counts[registration.label] = registration.eraser(user)
    assert counts == {"imports.ImportJob": 2, "imports.ImportedItem": 4}
    assert not ImportJob.objects.filter(user=user).exists()
    assert not ImportedItem.objects.filter(user=user).exists()
    assert not ImportTransition.objects.filter(job__user=user).exists()
    remaining = files_under(settings.PRIVATE_MEDIA_ROOT)
    assert len(remaining) == 1 and remaining[0].as_posix().endswith(theirs.file_name)
    # Idempotent.
    assert services.imports_erase(user) == 0
