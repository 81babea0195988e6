"""TikTok's "Download your data" export: the single JSON file (layouts A, B and C) and the TXT export.

Sections are looked up under their new name first and their old one second (Post/Video,
Profile Info/Profile Information, Following/Following List...), keys loosely (Date/date,
Link/link/VideoLink). Private sections (messages, login history, searches, watch and share
history, devices, location, autofill, shop, wallet...) are never descended into: only their
presence is noted in `report.never_imported`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from haven.imports.parsing import result as r
from haven.imports.parsing.archive import ExportFiles
from haven.imports.parsing.common import DATE_KEYS, LINK_KEYS, Context, row_fingerprint
from haven.imports.parsing.values import TIKTOK_HOSTS, check_handle, hashtags, is_placeholder, key, pick

# Top-level sections, by loose key: what each one is.
_PROFILE_TOPS = ("Profile And Settings", "Profile")
_ACTIVITY_TOPS = ("Your Activity", "Activity")
_LIKES_TOPS = ("Likes and Favorites", "Your Activity", "Activity")
_POST_TOPS = ("Post", "Video")
_READ_TOPS = {key(n) for n in (*_PROFILE_TOPS, *_ACTIVITY_TOPS, *_LIKES_TOPS, *_POST_TOPS)}
_PRIVATE_TOPS = {
    key("Direct Message"): "messages",
    key("Direct Messages"): "messages",
    key("Ads and data"): "ads",
    key("TikTok Shop"): "shopping",
    key("Tiktok Shopping"): "shopping",
    key("Income+ Wallet"): "payments",
    key("TikTok Live"): "live",
    key("Location Review"): "location",
}
_NOT_IMPORTED_TOPS = {key(n) for n in ("Comment", "App Settings", "Settings")}

# Subsections inside the sections that are read.
_USED_SUBS = {
    key(n)
    for n in (
        "Profile Info",
        "Profile Information",
        "Following",
        "Following List",
        "Follower",
        "Follower List",
        "Followers",
        "Like List",
        "Favorite Videos",
        "Favourite Videos",
        "Favorite Hashtags",
        "Hashtag",
        "Posts",
        "Videos",
    )
}
_PRIVATE_SUBS = {
    key("Login History"): "login_history",
    key("Search History"): "search_history",
    key("Searches"): "search_history",
    key("Status"): "devices",
    key("Video Browsing History"): "watch_history",
    key("Watch History"): "watch_history",
    key("Share History"): "share_history",
    key("Most Recent Location Data"): "location",
    key("Off TikTok Activity"): "off_platform_activity",
    key("Ad Interests"): "ads",
    key("Instant Form Ads Responses"): "ads",
    key("Usage Data From Third-Party Apps And Websites"): "off_platform_activity",
    key("Ads Based On Data Received From Partners"): "ads",
    key("Purchases"): "payments",
    key("Purchase History"): "payments",
    key("Autofill"): "contact_details",
    key("Direct Messages"): "messages",
    key("Chat History"): "messages",
    key("Profile Views"): "profile_views",
}
_NOT_IMPORTED_SUBS = {
    key(n)
    for n in (
        "Settings",
        "Block",
        "Block List",
        "Activity Summary",
        "Reposts",
        "AI-Moji",
        "Favorite Sounds",
        "Favorite Effects",
        "Favorite Collection",
        "Favorite Location",
        "Story",
        "Comments",
    )
}
_DELETED_SUBS = {key("Recently Deleted Posts")}

_C_MARKERS = {key("Profile And Settings"), key("Likes and Favorites")}
_B_MARKERS = {key("Your Activity"), key("Post"), key("Direct Message"), key("TikTok Shop")}
_A_MARKERS = {key("Activity"), key("Video"), key("Profile"), key("Direct Messages"), key("Tiktok Shopping")}

_VISIBILITY: dict[str, r.Visibility] = {
    "everyone": "everyone",
    "public": "everyone",
    "friends": "friends",
    "followers": "friends",
    "mutualfollowers": "friends",
    "onlyyou": "only_you",
    "onlyme": "only_you",
    "private": "only_you",
    "self": "only_you",
}


def json_layout(root: Any) -> r.Layout | None:
    """Which single-file layout this JSON is, or None when it is not a TikTok export."""
    if not isinstance(root, dict):
        return None
    keys = {key(k) for k in root if isinstance(k, str)}
    if keys & _C_MARKERS:
        return "tiktok_json_c"
    if keys & _B_MARKERS:
        return "tiktok_json_b"
    if keys & _A_MARKERS:
        return "tiktok_json_a"
    return None


def parse_json(root: dict[str, Any], layout: r.Layout, ctx: Context) -> r.ParsedExport:
    result = r.ParsedExport(source="tiktok", layout=layout, report=ctx.report)
    _survey(root, ctx)
    profile_top = pick(root, *_PROFILE_TOPS)
    profile_map = pick(pick(profile_top, "Profile Info", "Profile Information"), "ProfileMap", "Profile Map")
    result.profile = _profile(profile_map, ctx)

    def section(tops: tuple[str, ...], subs: tuple[str, ...], lists: tuple[str, ...], kind: str) -> list[Any]:
        for top_name in tops:
            top = pick(root, top_name)
            sub = pick(top, *subs)
            if sub is not None:
                where = f"{top_name} > {subs[0]}"
                return ctx.rows(pick(sub, *lists), where, kind)
        return []

    people_tops = (*_PROFILE_TOPS, *_ACTIVITY_TOPS)
    following = section(
        people_tops, ("Following", "Following List"), ("Following", "FollowingList"), "following"
    )
    result.following = ctx.accounts(following, "following")
    followers = section(
        people_tops,
        ("Follower", "Follower List", "Followers"),
        ("FansList", "Fans", "FollowerList"),
        "followers",
    )
    result.followers = ctx.accounts(followers, "followers")
    liked = section(_LIKES_TOPS, ("Like List",), ("ItemFavoriteList", "LikeList"), "liked")
    result.liked = ctx.linked_items(liked, "liked", TIKTOK_HOSTS)
    favourites = section(
        _LIKES_TOPS,
        ("Favorite Videos", "Favourite Videos"),
        ("FavoriteVideoList", "FavouriteVideoList"),
        "favourites",
    )
    result.favourites = ctx.linked_items(favourites, "favourites", TIKTOK_HOSTS)
    used = section(_ACTIVITY_TOPS, ("Hashtag",), ("HashtagList",), "hashtags_used")
    result.hashtags_used = _hashtag_names(used, "hashtags_used", ctx)
    favourite_tags = section(
        _LIKES_TOPS, ("Favorite Hashtags",), ("FavoriteHashtagList",), "favourite_hashtags"
    )
    result.favourite_hashtags = _hashtag_names(favourite_tags, "favourite_hashtags", ctx)
    posts = section(_POST_TOPS, ("Posts", "Videos"), ("VideoList", "PostList"), "posts")
    result.posts = _posts(posts, ctx)
    for top_name in _POST_TOPS:
        deleted = pick(pick(pick(root, top_name), "Recently Deleted Posts"), "PostList", "VideoList")
        if isinstance(deleted, list):
            ctx.report.skip("posts", r.DELETED_POST, len(deleted))
    return result


def _survey(root: dict[str, Any], ctx: Context) -> None:
    """Notes every section present: private ones by category, unknown ones by name (never content)."""
    for top_name, top in root.items():
        top_key = key(str(top_name))
        label = str(top_name)[:80]
        if top_key in _PRIVATE_TOPS:
            ctx.report.private(_PRIVATE_TOPS[top_key])
        elif top_key in _NOT_IMPORTED_TOPS:
            ctx.report.skip(label, r.NOT_SUPPORTED)
        elif top_key not in _READ_TOPS:
            ctx.report.skip(label, r.UNKNOWN_SECTION)
        else:
            if not isinstance(top, dict):
                ctx.report.skip(label, r.EMPTY_SECTION if is_placeholder(top) else r.BAD_ENTRY)
                continue
            for sub_name in top:
                sub_key = key(str(sub_name))
                sub_label = f"{label} > {str(sub_name)[:80]}"
                if sub_key in _PRIVATE_SUBS:
                    ctx.report.private(_PRIVATE_SUBS[sub_key])
                elif sub_key in _NOT_IMPORTED_SUBS or sub_key in _DELETED_SUBS:
                    if sub_key in _NOT_IMPORTED_SUBS:
                        ctx.report.skip(sub_label, r.NOT_SUPPORTED)
                elif sub_key not in _USED_SUBS:
                    ctx.report.skip(sub_label, r.UNKNOWN_SECTION)


def _profile(profile_map: Any, ctx: Context) -> r.Profile:
    profile = r.Profile()
    if not isinstance(profile_map, dict):
        ctx.report.skip("profile", r.EMPTY_SECTION)
        return profile
    username = pick(profile_map, "userName", "uniqueId", "Username")
    if not is_placeholder(username):
        try:
            profile.username = check_handle(username)
        except ValueError:
            ctx.report.skip("profile", r.BAD_HANDLE)
    profile.display_name = ctx.optional_text(
        pick(profile_map, "displayName", "nickName", "Nickname", "Display Name"), "profile", limit=200
    )
    profile.bio = ctx.optional_text(pick(profile_map, "bioDescription", "Bio Description", "bio"), "profile")
    profile.avatar_url = ctx.link(
        pick(profile_map, "profilePhoto", "Profile Photo", "avatar"), "profile", TIKTOK_HOSTS, https_only=True
    )
    return profile


def _posts(rows: list[dict[str, Any]], ctx: Context) -> list[r.Post]:
    seen: set[str] = set()
    posts = []
    for row in rows:
        fingerprint = row_fingerprint(row)
        if fingerprint in seen:
            ctx.report.skip("posts", r.DUPLICATE)
            continue
        seen.add(fingerprint)
        caption = ctx.text(pick(row, "Title", "Caption", "Desc", "Description", "VideoDescription"), "posts")
        raw_view = pick(row, "WhoCanView", "Who Can View", "Privacy", "Visibility")
        visibility = _VISIBILITY.get(key(raw_view), "unknown") if isinstance(raw_view, str) else "unknown"
        posts.append(
            r.Post(
                caption=caption,
                hashtags=hashtags(caption),
                posted_at=ctx.date(pick(row, *DATE_KEYS), "posts"),
                visibility=visibility,
                link=ctx.link(pick(row, *LINK_KEYS), "posts", TIKTOK_HOSTS),
                sound=ctx.optional_text(pick(row, "Sound"), "posts", limit=300),
                location=ctx.optional_text(pick(row, "Location"), "posts", limit=300),
            )
        )
    return posts


_TAG_NAME = re.compile(r"\w{1,100}")


def _hashtag_names(rows: list[dict[str, Any]], where: str, ctx: Context) -> list[str]:
    """Names from HashtagName, or from the last part of a checked https://www.tiktok.com/tag/<name> link."""
    names: dict[str, None] = {}
    for row in rows:
        raw = pick(row, "HashtagName", "Hashtag Name", "Name")
        if is_placeholder(raw):
            link = ctx.link(pick(row, "HashtagLink", "Hashtag Link", *LINK_KEYS), where, TIKTOK_HOSTS)
            raw = unquote(urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]) if link else None
        if not isinstance(raw, str):
            ctx.report.skip(where, r.MISSING_VALUE)
            continue
        name = raw.strip().lstrip("#").casefold()
        if not _TAG_NAME.fullmatch(name) or name.isdigit():
            ctx.report.skip(where, r.BAD_ENTRY)
            continue
        if name in names:
            ctx.report.skip(where, r.DUPLICATE)
        names.setdefault(name, None)
    return list(names)


# TXT export ------------------------------------------------------------------------------------

_TXT_ROLES = {
    "following": ("following.txt", "following list.txt", "volgend.txt"),
    "followers": ("follower.txt", "followers.txt", "follower list.txt", "volgers.txt"),
    "liked": ("like list.txt", "likes.txt", "liked videos.txt", "likelijst.txt"),
    "favourites": ("favorite videos.txt", "favourite videos.txt"),
    "favourite_hashtags": ("favorite hashtags.txt", "favourite hashtags.txt"),
    "hashtags_used": ("hashtag.txt", "hashtags.txt"),
    "profile": ("profile info.txt", "profile information.txt", "profile.txt"),
    "posts": ("post.txt", "posts.txt", "video.txt", "videos.txt"),
}
_TXT_PRIVATE = {
    "direct messages.txt": "messages",
    "direct message.txt": "messages",
    "chat history.txt": "messages",
    "login history.txt": "login_history",
    "searches.txt": "search_history",
    "search history.txt": "search_history",
    "watch history.txt": "watch_history",
    "browsing history.txt": "watch_history",
    "video browsing history.txt": "watch_history",
    "share history.txt": "share_history",
    "off tiktok activity.txt": "off_platform_activity",
    "status.txt": "devices",
    "most recent location data.txt": "location",
    "autofill.txt": "contact_details",
    "ad interests.txt": "ads",
    "purchases.txt": "payments",
    "purchase history.txt": "payments",
    "profile views.txt": "profile_views",
}
_TXT_NOT_IMPORTED = frozenset(
    {
        "comments.txt",
        "favorite sounds.txt",
        "favorite effects.txt",
        "block list.txt",
        "block.txt",
        "settings.txt",
        "activity summary.txt",
        "reposts.txt",
    }
)
# Files that make a folder a TikTok TXT export (a lone settings.txt does not).
_TXT_SIGNS = {name for names in _TXT_ROLES.values() for name in names} | set(_TXT_PRIVATE)
_TXT_EMPTY = "you have no data in this section"
_TXT_LINE = re.compile(r"([^:\n]{1,60}?)::?[ \t]?(.*)")


def is_txt_export(files: ExportFiles) -> bool:
    return any(p.rsplit("/", 1)[-1].casefold() in _TXT_SIGNS for p in files.paths())


def txt_records(text: str) -> list[dict[str, str]]:
    """`Key: value` lines, a blank line between records (`Key:: value` too); a line that is not
    `Key: value` continues the previous value; an empty section reads "You have no data..."."""
    if text.lstrip()[:200].casefold().startswith(_TXT_EMPTY):
        return []
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(">>>"):
            if current:
                records.append(current)
            current, last = {}, None
            continue
        match = _TXT_LINE.fullmatch(line)
        if match and not match.group(1).strip().startswith(("http", "#")):
            name = match.group(1).strip()
            if name in current:  # a new record without a blank line between
                records.append(current)
                current = {}
            current[name] = match.group(2).strip()
            last = name
        elif last is not None:
            current[last] += "\n" + line
    if current:
        records.append(current)
    return records


def parse_txt(files: ExportFiles, ctx: Context) -> r.ParsedExport:
    result = r.ParsedExport(source="tiktok", layout="tiktok_txt", report=ctx.report)
    by_role: dict[str, list[dict[str, str]]] = {role: [] for role in _TXT_ROLES}
    for path in files.paths():
        base = path.rsplit("/", 1)[-1]
        folded = base.casefold()
        if not folded.endswith(".txt"):
            continue
        if folded in _TXT_PRIVATE:
            ctx.report.private(_TXT_PRIVATE[folded])
            continue
        role = next((role for role, names in _TXT_ROLES.items() if folded in names), None)
        if role is None:
            ctx.report.skip(base[:80], r.NOT_SUPPORTED if folded in _TXT_NOT_IMPORTED else r.UNKNOWN_SECTION)
            continue
        try:
            text = files.read(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            ctx.report.skip(base[:80], r.UNREADABLE)
            continue
        records = txt_records(text)
        if not records:
            ctx.report.skip(base[:80], r.EMPTY_SECTION)
        by_role[role].extend(records)

    def rows(role: str) -> list[dict[str, Any]]:
        return ctx.rows(by_role[role] or None, role, role) if by_role[role] else []

    profile_rows = by_role["profile"]
    result.profile = _profile(profile_rows[0] if profile_rows else None, ctx)
    result.following = ctx.accounts(rows("following"), "following")
    result.followers = ctx.accounts(rows("followers"), "followers")
    result.liked = ctx.linked_items(rows("liked"), "liked", TIKTOK_HOSTS)
    result.favourites = ctx.linked_items(rows("favourites"), "favourites", TIKTOK_HOSTS)
    result.hashtags_used = _hashtag_names(rows("hashtags_used"), "hashtags_used", ctx)
    result.favourite_hashtags = _hashtag_names(rows("favourite_hashtags"), "favourite_hashtags", ctx)
    result.posts = _posts(rows("posts"), ctx)
    return result
