"""Bounds on what an uploaded export may cost to read; defaults overridable by `settings.IMPORT_LIMITS`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """Every limit the parser applies. Limits on the whole file refuse the export (`import_too_large`);
    limits on one list or one string truncate it and say so in the report."""

    # The file as uploaded (a ZIP with Instagram photos can be large; TikTok's is mostly one JSON).
    max_archive_bytes: int = 1024 * MIB
    # Members of a ZIP or files of an extracted folder.
    max_entries: int = 20_000
    # Sum of the uncompressed sizes a ZIP declares for all its members (ZIP bombs).
    max_total_uncompressed_bytes: int = 4096 * MIB
    # One JSON or TXT file actually read (after decompression), and all of them together.
    max_entry_bytes: int = 128 * MIB
    max_read_bytes: int = 256 * MIB
    # Uncompressed / compressed size of one ZIP member bigger than 1 MiB (deflate tops out near 1032).
    max_compression_ratio: int = 200
    # Nesting of objects and arrays in one JSON file (real exports use at most 6).
    max_json_depth: int = 32
    # Entries kept per list (following, posts, likes...); the rest is reported as truncated.
    max_list_items: int = 100_000
    # Characters kept per text (captions, bios); longer ones are cut and reported.
    max_string_chars: int = 10_000
    # Media items kept per post, and post files read (Instagram splits posts_1.json, posts_2.json...).
    max_media_per_post: int = 50
    max_section_files: int = 50

    @classmethod
    def from_settings(cls) -> ImportLimits:
        overrides = dict(getattr(settings, "IMPORT_LIMITS", None) or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise ImproperlyConfigured(f"IMPORT_LIMITS: unknown limits {unknown}")
        for name, value in overrides.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ImproperlyConfigured(f"IMPORT_LIMITS[{name!r}] must be a positive integer")
        return dataclasses.replace(cls(), **overrides)
