"""Parse a TikTok or Instagram data export into one typed result: `parse_export(path)`.

The upload may be the ZIP as the member downloaded it, the folder it extracts to, or one extracted
file (TikTok's user_data.json / user_data_tiktok.json, a TXT section file, an Instagram JSON file).
The result holds the profile, posts, following, followers, liked and favourite videos and hashtags,
and a report of what was skipped and why. It never holds messages, login or IP history, devices,
searches, watch history, contact details or payment data: those sections are not even read.

Nothing is stored here: the import lifecycle (haven.imports.services) keeps the findings on an
ImportJob and registers it for export, erasure and retention.
"""

from __future__ import annotations

import os

from haven.imports.parsing import errors, instagram, tiktok
from haven.imports.parsing.archive import ExportFiles
from haven.imports.parsing.common import Context
from haven.imports.parsing.errors import ImportFailed
from haven.imports.parsing.limits import ImportLimits
from haven.imports.parsing.result import (
    TRUNCATED,
    Account,
    LinkedItem,
    ParsedExport,
    Post,
    Profile,
    Report,
    Skip,
)
from haven.imports.parsing.values import load_json

__all__ = [
    "VIDEO_SUFFIXES",
    "Account",
    "ImportFailed",
    "ImportLimits",
    "LinkedItem",
    "ParsedExport",
    "Post",
    "Profile",
    "Report",
    "Skip",
    "parse_export",
]

_TIKTOK_FILES = ("user_data_tiktok.json", "user_data.json")


def parse_export(path: str | os.PathLike[str], *, limits: ImportLimits | None = None) -> ParsedExport:
    """Read the export at `path` within `limits` (default: settings.IMPORT_LIMITS over the defaults).

    Raises ImportFailed (import_too_large, import_not_recognised, import_corrupt) when the export as
    a whole cannot be read; anything less is tolerated and recorded in `result.report`."""
    limits = limits or ImportLimits.from_settings()
    report = Report()
    ctx = Context(limits=limits, report=report)
    with ExportFiles.open(path, limits, report) as files:
        if files.is_single_file:
            return _parse_single(files, ctx)
        candidates = files.by_basename(*_TIKTOK_FILES)
        if candidates:
            root = load_json(files.read(candidates[0]), max_depth=limits.max_json_depth)
            layout = tiktok.json_layout(root)
            if layout is None:
                raise ImportFailed(errors.NOT_RECOGNISED)
            return _with_videos(tiktok.parse_json(root, layout, ctx), files)
        if instagram.is_export(files):
            return instagram.parse(files, ctx)
        if tiktok.is_txt_export(files):
            return _with_videos(tiktok.parse_txt(files, ctx), files)
    raise ImportFailed(errors.NOT_RECOGNISED)


#: What a video file uploaded beside a TikTok export may be (the containers haven.media accepts).
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm")


def _with_videos(result: ParsedExport, files: ExportFiles) -> ParsedExport:
    """List the video files of the upload (shortest path first; their names only, nothing is read)."""
    found = [p for p in files.paths() if p.casefold().endswith(VIDEO_SUFFIXES)]
    limit = min(files.limits.max_list_items, files.limits.max_entries)
    if len(found) > limit:
        result.report.skip("videos", TRUNCATED, len(found) - limit)
    result.video_files = sorted(found, key=lambda p: (p.count("/"), p))[:limit]
    if found:
        result.report.saw("video_files", len(found))
    return result


def _parse_single(files: ExportFiles, ctx: Context) -> ParsedExport:
    (name,) = files.paths()
    if name.casefold().endswith(".txt"):
        if tiktok.is_txt_export(files):
            return tiktok.parse_txt(files, ctx)
        raise ImportFailed(errors.NOT_RECOGNISED)
    data = files.read(name)
    named_tiktok = name.casefold() in _TIKTOK_FILES
    if not named_tiktok and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
        raise ImportFailed(errors.NOT_RECOGNISED)
    root = load_json(data, max_depth=ctx.limits.max_json_depth)
    layout = tiktok.json_layout(root)
    if layout is not None:
        return tiktok.parse_json(root, layout, ctx)
    role = instagram.role_of(root)
    if role is not None:
        return instagram.parse(files, ctx, single=(role, root))
    raise ImportFailed(errors.NOT_RECOGNISED)
