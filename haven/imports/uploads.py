"""Reading an export upload from a multipart request under the archive limit (API and pages alike)."""

from __future__ import annotations

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from haven.core.errors import HavenError, InvalidInput
from haven.imports.parsing import ImportFailed, ImportLimits
from haven.imports.parsing import errors as parse_errors

#: Room for the multipart framing (boundaries, part headers, the CSRF field) around the file.
MULTIPART_SLACK = 64 * 1024


def _too_large() -> ImportFailed:
    return ImportFailed(parse_errors.TOO_LARGE, details={"limit": "max_archive_bytes"})


class _LimitedUploadHandler(FileUploadHandler):
    """Aborts the upload as soon as the file passes the archive limit, before it fills the disk."""

    def __init__(self, limit: int, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise _too_large()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def limit_upload(request: HttpRequest) -> None:
    """Refuse a body past the archive limit (import_too_large) and put the limiting handler first, before
    anything reads the body. A page view calls it while CSRF-exempt and checks CSRF after it, because
    the CSRF middleware reads the form (Django: "Modifying upload handlers on the fly")."""
    if getattr(request, "_haven_upload_limited", False):
        return
    limit = ImportLimits.from_settings().max_archive_bytes
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK:
        raise _too_large()
    request.upload_handlers.insert(0, _LimitedUploadHandler(limit, request))
    request._haven_upload_limited = True  # type: ignore[attr-defined]


def upload_from(request: HttpRequest, field: str = "file") -> UploadedFile | None:
    """The uploaded file in `field`; import_too_large (413) past the archive limit, bad_upload when
    the body cannot be read; None when no file was sent. Call before touching request.POST (or call
    limit_upload first)."""
    limit_upload(request)
    try:
        files = request.FILES
    except HavenError:
        raise
    except RequestDataTooBig as exc:
        raise _too_large() from exc
    except (MultiPartParserError, BadRequest, SuspiciousOperation) as exc:
        raise InvalidInput(_("The upload could not be read."), code="bad_upload") from exc
    return files.get(field)
