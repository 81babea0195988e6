"""Why an export cannot be parsed at all: one typed error with a stable code, mapped to 4xx by callers.

Everything less than fatal (an odd date, a hostile link, an unknown section) is not an error: it is
recorded in the parse report and the rest of the export is still read.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError

TOO_LARGE = "import_too_large"
NOT_RECOGNISED = "import_not_recognised"
CORRUPT = "import_corrupt"

_STATUS = {TOO_LARGE: 413, NOT_RECOGNISED: 422, CORRUPT: 422}
_MESSAGES: dict[str, Promise] = {
    TOO_LARGE: _("This export is too large or too deeply nested to import."),
    NOT_RECOGNISED: _("This file is not a TikTok or Instagram data export that Haven can read."),
    CORRUPT: _("This export is damaged and cannot be read. Download it again and retry."),
}


class ImportFailed(HavenError):
    """The whole export is refused. `code` is one of the constants above; `details` says which limit."""

    status = 422
    code = NOT_RECOGNISED

    def __init__(self, code: str, *, details: dict[str, Any] | None = None) -> None:
        if code not in _STATUS:
            raise ValueError(f"unknown import error code {code!r}")
        super().__init__(_MESSAGES[code], code=code, status=_STATUS[code], details=details)
