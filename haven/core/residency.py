"""Data residency regions a member may choose (HAVEN_STORAGE_REGIONS), known to every layer.

Sign-up (accounts), the privacy center (privacy) and storage (media, haven/media/regions.py) all need
the list; what a region's storage is lives in media.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

DEFAULT_REGION = "default"

#: Names shown to members for common region codes; any other code is shown in capitals.
REGION_LABELS = {
    DEFAULT_REGION: gettext_lazy("This server"),
    "eu": gettext_lazy("European Union"),
    "us": gettext_lazy("United States"),
    "uk": gettext_lazy("United Kingdom"),
    "ca": gettext_lazy("Canada"),
    "asia": gettext_lazy("Asia"),
    "cn": gettext_lazy("Mainland China"),
    "jp": gettext_lazy("Japan"),
    "sg": gettext_lazy("Singapore"),
    "au": gettext_lazy("Australia"),
    "in": gettext_lazy("India"),
    "br": gettext_lazy("Brazil"),
}


def region_locations() -> dict[str, str]:
    return dict(getattr(settings, "STORAGE_REGIONS", {}) or {})


def region_codes() -> list[str]:
    """Every configured region, "default" first."""
    return [DEFAULT_REGION, *sorted(code for code in region_locations() if code != DEFAULT_REGION)]


def residency_regions() -> list[tuple[str, str]]:
    """(code, label) of every region a member may choose, "default" first (form and API choices)."""
    return [(code, str(REGION_LABELS.get(code, code.upper()))) for code in region_codes()]
