"""The imports API: upload an export, follow its progress, review what was found, confirm, cancel, delete."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from haven.accounts.models import User
from haven.core.errors import Conflict, HavenError, NotAuthenticated
from haven.core.input import parse_id
from haven.core.openapi import errors
from haven.imports import access, selectors, services
from haven.imports.schemas import ImportChoicesIn, ImportOut, ImportReviewOut
from haven.imports.states import REVIEW
from haven.imports.uploads import upload_from

router = Router(tags=["imports"])


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def _read_upload(run: Any) -> Any:
    """Parse the multipart body here, under the archive limit, so limits map to our error codes."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            upload_from(request)
        except HavenError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status)
        return run(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapper


@router.get("", response=list[ImportOut], summary="Your imports (newest first, at most 50)")
def imports_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [selectors.status(job) for job in selectors.jobs_for(_member(request))]


@router.post(
    "",
    response={202: ImportOut, **errors(409, 413, 429)},
    summary="Upload a TikTok or Instagram data export (multipart field `file`)",
)
@decorate_view(_read_upload)
def imports_upload(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """The ZIP as downloaded, or one extracted JSON/TXT file. It is read in the background: poll
    `GET /imports/{id}` until `state` is "review" (or "failed", with `error_code`)."""
    job = services.import_upload(user=_member(request), file=file, name=file.name or "")
    job.refresh_from_db()  # parsing may already have run (inline task backends)
    return Status(202, selectors.status(job))


@router.get("/{import_id}", response={200: ImportOut}, summary="One of your imports: state and progress")
def imports_get(request: HttpRequest, import_id: str) -> dict[str, Any]:
    return selectors.status(access.job_or_404(_member(request), parse_id(import_id)))


@router.get(
    "/{import_id}/review",
    response={200: ImportReviewOut, **errors(409)},
    summary="What was found, to choose from",
)
def imports_review(request: HttpRequest, import_id: str) -> dict[str, Any]:
    """Only while `state` is "review" (409 `import_not_in_review` otherwise)."""
    job = access.job_or_404(_member(request), parse_id(import_id))
    if job.state != REVIEW:
        raise Conflict(_("This import is not waiting for your review."), code=services.NOT_READY)
    return selectors.review(job)


@router.post(
    "/{import_id}/confirm",
    response={202: ImportOut, **errors(409)},
    summary="Import what you chose: drafts, profile fields, interests (confirming twice is harmless)",
)
def imports_confirm(request: HttpRequest, import_id: str, payload: ImportChoicesIn) -> Status[dict[str, Any]]:
    user = _member(request)
    job = services.import_confirm(user=user, job_id=parse_id(import_id), choices=payload.model_dump())
    job.refresh_from_db()
    return Status(202, selectors.status(job))


@router.post(
    "/{import_id}/cancel",
    response={200: ImportOut, **errors(409)},
    summary="Cancel before anything is created",
)
def imports_cancel(request: HttpRequest, import_id: str) -> dict[str, Any]:
    job = services.import_cancel(user=_member(request), job_id=parse_id(import_id))
    return selectors.status(job)


@router.delete(
    "/{import_id}",
    response={204: None, **errors(409)},
    summary="Delete an import, its upload and findings (the drafts it created stay)",
)
def imports_delete(request: HttpRequest, import_id: str) -> Status[None]:
    services.import_delete(user=_member(request), job_id=parse_id(import_id))
    return Status(204, None)
