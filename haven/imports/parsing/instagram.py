"""Instagram's (Meta's) "Download your information" JSON export, 2022 and 2024-2025 layouts.

Files are found by the end of their path, with or without the archive's top folder: the 2022 and
2025 paths differ only in the folders above the ones matched here. Every string is repaired from
Meta's escaped UTF-8. Messages, login activity, searches, devices and ads files are never opened.
"""

from __future__ import annotations

import re
from typing import Any

from haven.imports.parsing import result as r
from haven.imports.parsing.archive import ExportFiles
from haven.imports.parsing.common import Context
from haven.imports.parsing.values import (
    INSTAGRAM_HOSTS,
    fix_meta_text,
    hashtags,
    is_placeholder,
    load_json,
    pick,
)

_PROFILE = ("personal_information/personal_information.json",)
_FOLLOWING = ("followers_and_following/following.json",)
_FOLLOWERS = re.compile(r"(^|/)followers_and_following/followers(_\d+)?\.json$", re.IGNORECASE)
_POSTS = re.compile(r"(^|/)(content|media)/posts(_\d+)?\.json$", re.IGNORECASE)
_LIKED = ("likes/liked_posts.json",)
# Folders and files never opened, by what they hold.
_PRIVATE = (
    ("messages/", "messages"),
    ("security_and_login_information/", "login_history"),
    ("login_and_account_creation/", "login_history"),
    ("login_activity", "login_history"),
    ("recent_searches", "search_history"),
    ("searches/", "search_history"),
    ("device", "devices"),
    ("ads_information/", "ads"),
    ("ads_and_topics/", "ads"),
    ("information_about_you/", "ads"),
    ("location", "location"),
    ("contacts/", "contact_details"),
    ("synced_contacts", "contact_details"),
)
_MARKERS_2025 = ("your_instagram_activity/", "connections/", "personal_information/personal_information/")
_HANDLE_IN_LINK = re.compile(r"instagram\.com/(?:_u/)?([A-Za-z0-9._]{1,64})/?$")


def is_export(files: ExportFiles) -> bool:
    return bool(
        files.by_suffix(*_PROFILE, *_FOLLOWING, *_LIKED)
        or any(_FOLLOWERS.search(p) or _POSTS.search(p) for p in files.paths())
    )


def role_of(root: Any) -> str | None:
    """The role of one extracted Instagram JSON file, from its content alone."""
    if isinstance(root, dict):
        for wrapper, role in (
            ("relationships_following", "following"),
            ("relationships_followers", "followers"),
            ("profile_user", "profile"),
            ("likes_media_likes", "liked"),
        ):
            if wrapper in root:
                return role
        return None
    if isinstance(root, list) and root and isinstance(root[0], dict):
        if "media" in root[0]:
            return "posts"
        if "string_list_data" in root[0]:
            return "followers"
    return None


def parse(files: ExportFiles, ctx: Context, *, single: tuple[str, Any] | None = None) -> r.ParsedExport:
    paths = [p.casefold() for p in files.paths()]
    layout: r.Layout = (
        "instagram_2025" if any(m in p for p in paths for m in _MARKERS_2025) else "instagram_2022"
    )
    result = r.ParsedExport(source="instagram", layout=layout, report=ctx.report)
    ctx.fix = fix_meta_text

    documents: dict[str, list[Any]] = {
        "profile": [],
        "following": [],
        "followers": [],
        "posts": [],
        "liked": [],
    }
    if single is not None:
        documents[single[0]].append(single[1])
    else:
        _survey(files, ctx)
        wanted = {
            "profile": files.by_suffix(*_PROFILE)[:1],
            "following": files.by_suffix(*_FOLLOWING)[:1],
            "followers": sorted(p for p in files.paths() if _FOLLOWERS.search(p)),
            "posts": sorted(p for p in files.paths() if _POSTS.search(p)),
            "liked": files.by_suffix(*_LIKED)[:1],
        }
        for role, role_paths in wanted.items():
            if len(role_paths) > ctx.limits.max_section_files:
                ctx.report.skip(role, r.TRUNCATED, len(role_paths) - ctx.limits.max_section_files)
            for path in role_paths[: ctx.limits.max_section_files]:
                documents[role].append(load_json(files.read(path), max_depth=ctx.limits.max_json_depth))

    for document in documents["profile"][:1]:
        result.profile = _profile(document, files, ctx)
    following: list[dict[str, Any]] = []
    for document in documents["following"]:
        following += ctx.rows(_unwrap(document, "relationships_following"), "following", "following")
    result.following = ctx.accounts(following, "following", handle_of=_handle, date_of=_timestamp)
    followers: list[dict[str, Any]] = []
    for document in documents["followers"]:
        followers += ctx.rows(_unwrap(document, "relationships_followers"), "followers", "followers")
    result.followers = ctx.accounts(followers, "followers", handle_of=_handle, date_of=_timestamp)
    posts: list[dict[str, Any]] = []
    for document in documents["posts"]:
        posts += ctx.rows(_unwrap(document, "posts"), "posts", "posts")
    result.posts = [_post(row, files, ctx, media_files=single is None) for row in posts]
    liked: list[dict[str, Any]] = []
    for document in documents["liked"]:
        liked += ctx.rows(_unwrap(document, "likes_media_likes"), "liked", "liked")
    result.liked = ctx.linked_items(
        liked,
        "liked",
        INSTAGRAM_HOSTS,
        link_of=lambda row: pick(_first_string(row), "href"),
        date_of=_timestamp,
        author_of=lambda row: fix_meta_text(t) if isinstance(t := row.get("title"), str) else None,
    )
    return result


def _survey(files: ExportFiles, ctx: Context) -> None:
    read = set(files.by_suffix(*_PROFILE, *_FOLLOWING, *_LIKED))
    for path in files.paths():
        folded = path.casefold()
        if not folded.endswith(".json"):
            continue
        category = next((c for marker, c in _PRIVATE if marker in folded), None)
        if category:
            ctx.report.private(category)
        elif not (path in read or _FOLLOWERS.search(path) or _POSTS.search(path)):
            ctx.report.skip("instagram", r.UNKNOWN_SECTION)


def _unwrap(document: Any, wrapper: str) -> Any:
    """Lists come bare (followers_1.json, posts_1.json) or inside one wrapper key."""
    if isinstance(document, dict):
        inner = document.get(wrapper)
        if inner is None and len(document) == 1:
            inner = next(iter(document.values()))
        return inner
    return document


def _first_string(row: dict[str, Any]) -> dict[str, Any]:
    items = row.get("string_list_data")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


def _handle(row: dict[str, Any]) -> Any:
    """Newer files put the username in `title`, older ones in `value`; else the end of `href`."""
    title = row.get("title")
    if isinstance(title, str) and title.strip():
        return title
    item = _first_string(row)
    value = item.get("value")
    if isinstance(value, str) and value.strip():
        return value
    href = item.get("href")
    if isinstance(href, str) and (match := _HANDLE_IN_LINK.search(href.strip())):
        return match.group(1)
    return None


def _timestamp(row: dict[str, Any]) -> Any:
    return _first_string(row).get("timestamp")


def _string_map_value(data: Any, name: str) -> Any:
    entry = pick(data, name)
    return entry.get("value") if isinstance(entry, dict) else None


def _profile(document: Any, files: ExportFiles, ctx: Context) -> r.Profile:
    profile = r.Profile()
    users = _unwrap(document, "profile_user")
    user = users[0] if isinstance(users, list) and users and isinstance(users[0], dict) else users
    if not isinstance(user, dict):
        ctx.report.skip("profile", r.EMPTY_SECTION)
        return profile
    strings = user.get("string_map_data")
    accounts = ctx.accounts(
        [{"u": _string_map_value(strings, "Username")}], "profile", handle_of=lambda d: d["u"]
    )
    profile.username = accounts[0].handle if accounts else None
    profile.display_name = ctx.optional_text(_string_map_value(strings, "Name"), "profile", limit=200)
    profile.bio = ctx.optional_text(_string_map_value(strings, "Bio"), "profile")
    photo = pick(pick(user.get("media_map_data"), "Profile Photo"), "uri")
    if isinstance(photo, str) and photo.strip():
        profile.avatar_path = files.resolve(photo)
        if profile.avatar_path is None:
            ctx.report.skip("profile", r.MISSING_MEDIA)
    return profile


def _post(row: dict[str, Any], files: ExportFiles, ctx: Context, *, media_files: bool) -> r.Post:
    media = row.get("media")
    items = [m for m in media if isinstance(m, dict)] if isinstance(media, list) else []
    if len(items) > ctx.limits.max_media_per_post:
        ctx.report.skip("posts", r.TRUNCATED, len(items) - ctx.limits.max_media_per_post)
        items = items[: ctx.limits.max_media_per_post]
    first = items[0] if items else {}
    # Carousels carry the caption and date on the post; single photos often only on their media item.
    title = row.get("title")
    if is_placeholder(title):
        title = first.get("title")
    caption = ctx.text(title, "posts")
    stamp = row.get("creation_timestamp")
    if is_placeholder(stamp):
        stamp = first.get("creation_timestamp")
    found = []
    for item in items:
        uri = item.get("uri")
        path = files.resolve(uri) if media_files and isinstance(uri, str) else None
        if path is None:
            ctx.report.skip("posts", r.MISSING_MEDIA)
        else:
            found.append(path)
    return r.Post(
        caption=caption,
        hashtags=hashtags(caption),
        posted_at=ctx.date(stamp, "posts"),
        visibility="unknown",
        media=found,
        missing_media=len(items) - len(found),
    )
