"""The normalised result of parsing an export: typed dataclasses, and the report of what was skipped."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Source = Literal["tiktok", "instagram"]
# tiktok_json_a: user_data.json (2020-2023); tiktok_json_b: early 2025; tiktok_json_c: mid-2025 onward;
# tiktok_txt: one .txt per section; instagram_2022 / instagram_2025: Meta's JSON export layouts.
Layout = Literal[
    "tiktok_json_a", "tiktok_json_b", "tiktok_json_c", "tiktok_txt", "instagram_2022", "instagram_2025"
]
# TikTok's WhoCanView; Instagram exports only the member's own posts, which are public or not at
# all known; "unknown" where the export does not say.
Visibility = Literal["everyone", "friends", "only_you", "unknown"]

# Reasons in the report (stable codes: the review screen translates them).
UNKNOWN_SECTION = "unknown_section"
PRIVATE_NOT_READ = "private_never_imported"
NOT_SUPPORTED = "not_imported"
EMPTY_SECTION = "empty_section"
DUPLICATE = "duplicate"
BAD_DATE = "bad_date"
BAD_LINK = "bad_link"
BAD_HANDLE = "bad_handle"
BAD_ENTRY = "bad_entry"
MISSING_VALUE = "missing_value"
TRUNCATED = "truncated"
TEXT_CUT = "text_cut"
DELETED_POST = "deleted_post"
MISSING_MEDIA = "missing_media"
UNSAFE_NAME = "unsafe_entry_name"
LINK_IN_ARCHIVE = "symlink_or_special_file"
UNREADABLE = "unreadable_file"


@dataclass
class Profile:
    username: str | None = None
    # None when the export has none (TikTok layout A): the review screen falls back to the username.
    display_name: str | None = None
    bio: str | None = None
    # A file inside the archive (Instagram), checked to exist there.
    avatar_path: str | None = None
    # A signed, expiring CDN link (TikTok), kept only when https to the platform's own hosts.
    avatar_url: str | None = None


@dataclass
class Post:
    caption: str
    hashtags: list[str]
    posted_at: datetime | None
    visibility: Visibility = "unknown"
    # The platform's link to the media (TikTok: a signed download URL that expires within days).
    link: str | None = None
    # Files inside the archive (Instagram), in carousel order; missing ones are reported, not listed.
    media: list[str] = field(default_factory=list)
    # Media the export references but the upload does not hold (the member may add them later).
    missing_media: int = 0
    sound: str | None = None
    location: str | None = None


@dataclass
class Account:
    """Someone followed (or following): the handle as exported, and when, if the export says."""

    handle: str
    since: datetime | None = None


@dataclass
class LinkedItem:
    """A liked or favourite video/post: a checked link, when, and its author where the export says."""

    link: str
    at: datetime | None = None
    author: str | None = None


@dataclass
class Skip:
    section: str
    reason: str
    count: int = 1


@dataclass
class Report:
    """What was found, and what was left out and why. Never holds the content of what was left out."""

    # Rows seen per kind before deduplication and checks (following, posts, likes...).
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    # Private categories present in the export that were deliberately not read.
    never_imported: list[str] = field(default_factory=list)
    files_read: int = 0
    bytes_read: int = 0

    def skip(self, section: str, reason: str, count: int = 1) -> None:
        if count <= 0:
            return
        for item in self.skipped:
            if item.section == section and item.reason == reason:
                item.count += count
                return
        self.skipped.append(Skip(section=section, reason=reason, count=count))

    def saw(self, kind: str, count: int) -> None:
        self.rows[kind] = self.rows.get(kind, 0) + count

    def private(self, category: str) -> None:
        if category not in self.never_imported:
            self.never_imported.append(category)

    def skipped_by_reason(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for item in self.skipped:
            totals[item.reason] += item.count
        return dict(totals)


@dataclass
class ParsedExport:
    source: Source
    layout: Layout
    profile: Profile = field(default_factory=Profile)
    posts: list[Post] = field(default_factory=list)
    following: list[Account] = field(default_factory=list)
    followers: list[Account] = field(default_factory=list)
    liked: list[LinkedItem] = field(default_factory=list)
    favourites: list[LinkedItem] = field(default_factory=list)
    # Hashtags the export lists as used (TikTok's Hashtag section), and favourite hashtags.
    hashtags_used: list[str] = field(default_factory=list)
    favourite_hashtags: list[str] = field(default_factory=list)
    # Video files uploaded beside a TikTok export (the member's own downloads), by archive path;
    # haven.imports.media matches them to posts. Never read at parse time.
    video_files: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def counts(self) -> dict[str, int]:
        return {
            "posts": len(self.posts),
            "following": len(self.following),
            "followers": len(self.followers),
            "liked": len(self.liked),
            "favourites": len(self.favourites),
            "hashtags_used": len(self.hashtags_used),
            "favourite_hashtags": len(self.favourite_hashtags),
        }

    def caption_hashtags(self, *, public_only: bool = False) -> list[str]:
        """Every hashtag in the posts' captions, first use first, without repeats."""
        seen: dict[str, None] = {}
        for post in self.posts:
            if public_only and post.visibility != "everyone":
                continue
            for tag in post.hashtags:
                seen.setdefault(tag, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601 in UTC."""
        data = _jsonable(dataclasses.asdict(self))
        data["counts"] = self.counts()
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
