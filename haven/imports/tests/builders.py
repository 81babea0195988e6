"""Small synthetic TikTok and Instagram exports, written into a temporary folder by each test.

Every private section carries a canary from CANARIES; none of them may appear in a parse result.
"""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

CANARIES = [
    "CANARY-DM-1",
    "CANARY-SEARCH-1",
    "CANARY-DELETED-1",
    "CANARY-ADDR-1",
    "CANARY-WATCH-1",
    "CANARY-SHARE-1",
    "CANARY-IGDM-1",
    "CANARY-COMMENT-1",
    "198.51.100.77",
    "2001:db8::77",
    "canary.person@example.com",
    "+1 213-555-0199",
    "+12135550199",
    "09-Apr-1991",
    "1991-04-09",
    "CANARY-IDFV-0000",
    "34.0001, -118.0001",
]

VIDEO = "https://www.tiktokv.com/share/video/7{:018d}/"
CDN = "https://video-useast5-download.tiktokv.us/kfc/tos/o{}/?mime_type=video_mp4&x-tos-expires=1758218531"
AVATAR = "https://p16-common-sign.tiktokcdn-us.com/tos-avt/abc~tplv.jpeg?x-expires=1758218531"


def _private_tiktok(layout: str) -> dict[str, Any]:
    """Private sections common to every layout, named as in that layout."""
    dm_top, dm_sub = (
        ("Direct Messages", "Chat History") if layout == "a" else ("Direct Message", "Direct Messages")
    )
    return {
        dm_top: {
            dm_sub: {
                "ChatHistory": {
                    "Chat History with friend.one:": [
                        {"Date": "2025-01-01 10:00:00", "From": "friend.one", "Content": "CANARY-DM-1 hi"}
                    ]
                }
            }
        },
    }


def _activity_private() -> dict[str, Any]:
    return {
        "Login History": {
            "LoginHistoryList": [
                {"Date": "2025-01-01 10:00:00", "IP": "198.51.100.77", "DeviceModel": "X", "Carrier": "C"},
                {"Date": "2025-01-02 10:00:00", "IP": "2001:db8::77", "DeviceModel": "X", "Carrier": "C"},
            ]
        },
        "Searches": {"SearchList": [{"Date": "2025-01-01 10:00:00", "SearchTerm": "CANARY-SEARCH-1"}]},
        "Watch History": {
            "VideoList": [{"Date": "2025-01-01 10:00:00", "Link": VIDEO.format(999) + "CANARY-WATCH-1"}]
        },
        "Share History": {
            "ShareHistoryList": [
                {"Date": "2025-01-01", "SharedContent": "CANARY-SHARE-1", "Link": VIDEO.format(998)}
            ]
        },
        "Status": {"Status List": [{"IDFV": "CANARY-IDFV-0000", "IDFA": "None"}]},
        "Most Recent Location Data": {
            "LocationData": {"Date": "2025-01-01", "GpsData": "34.0001, -118.0001"}
        },
    }


def _profile_map(*, display_name: bool) -> dict[str, Any]:
    profile = {
        "PlatformInfo": [],
        "bioDescription": "Home baker 🍞 中英双语",
        "birthDate": "09-Apr-1991",
        "emailAddress": "canary.person@example.com",
        "likesReceived": "None",
        "profilePhoto": AVATAR,
        "profileVideo": "None",
        "telephoneNumber": "+1 213-555-0199",
        "userName": "test.baker",
    }
    if display_name:
        profile["displayName"] = "Test 烘焙"
    return profile


def _following(date_key: str = "Date") -> list[dict[str, Any]]:
    return [
        {date_key: "2025-03-01 10:00:00", "UserName": "crumb.theory"},
        {date_key: "2025-02-01 10:00:00", "UserName": "matcha.mornings"},
        {date_key: "2025-02-01 10:00:00", "UserName": "matcha.mornings"},  # exact duplicate row
        {date_key: "2025-01-01 10:00:00", "UserName": "Crumb.Theory"},  # duplicate, other case
    ]


def tiktok_a() -> dict[str, Any]:
    return {
        "Activity": {
            "Following List": {"Following": _following()},
            "Follower List": {"FansList": [{"Date": "2022-01-01 00:00:00", "UserName": "fan.one"}]},
            "Like List": {
                "ItemFavoriteList": [
                    {"Date": "2022-10-05 01:42:13", "Link": VIDEO.format(1)},
                    {"Date": "2022-10-04 01:42:13", "VideoLink": VIDEO.format(2)},  # 2021-22 key
                ]
            },
            "Favorite Videos": {
                "FavoriteVideoList": [{"Date": "2022-06-05 13:38:04", "Link": VIDEO.format(3)}]
            },
            "Favorite Hashtags": {
                "FavoriteHashtagList": [
                    {"Date": "2021-12-09", "Link": "https://www.tiktok.com/tag/sourdough"}
                ]
            },
            "Hashtag": {
                "HashtagList": [
                    {"HashtagName": "sourdough", "HashtagLink": "https://www.tiktok.com/tag/sourdough"},
                    {"HashtagName": "中秋节", "HashtagLink": "https://www.tiktok.com/tag/x"},
                ]
            },
            **{k: v for k, v in _activity_private().items() if k not in ("Searches", "Watch History")},
            "Search History": {"SearchList": [{"Date": "2022-01-01", "SearchTerm": "CANARY-SEARCH-1"}]},
            "Video Browsing History": {"VideoList": [{"Date": "2022-01-01", "Link": VIDEO.format(5)}]},
        },
        "Comment": {
            "Comments": {"CommentsList": [{"Date": "2022-07-01 14:40:09", "Comment": "CANARY-COMMENT-1"}]}
        },
        "Profile": {"Profile Information": {"ProfileMap": _profile_map(display_name=False)}},
        "Video": {
            "Videos": {
                "VideoList": [
                    {"Date": "2022-09-14 14:45:04", "Link": CDN.format(1), "Likes": "12"},
                    {"Date": "2022-08-14 14:45:04", "Link": CDN.format(2), "Likes": "0"},
                ]
            }
        },
        "Tiktok Shopping": {"Saved Address Information": {"Address": "CANARY-ADDR-1"}},
        **_private_tiktok("a"),
    }


def tiktok_b() -> dict[str, Any]:
    return {
        "Your Activity": {
            "Following": {"Following": _following()},
            "Follower": {"FansList": None},
            "Like List": {"ItemFavoriteList": [{"date": "2025-01-05 01:42:13", "link": VIDEO.format(11)}]},
            "Favorite Videos": {
                "FavoriteVideoList": [{"Date": "2025-01-05 13:38:04", "Link": VIDEO.format(12)}]
            },
            **_activity_private(),
        },
        "Profile": {"Profile Info": {"ProfileMap": _profile_map(display_name=False)}},
        "Post": {
            "Posts": {
                "VideoList": [
                    {
                        "Date": "2025-01-10 10:00:00",
                        "Link": CDN.format(3),
                        "Title": "First #Bread #bread #3 post",
                    }
                ]
            },
            "Recently Deleted Posts": {"PostList": [{"Date": "2025-01-01", "Title": "CANARY-DELETED-1"}]},
        },
        "TikTok Shop": {"Order History": {"OrderHistories": {"1": {"Address": "CANARY-ADDR-1"}}}},
        **_private_tiktok("b"),
    }


def tiktok_c() -> dict[str, Any]:
    posts = [
        {
            "Date": "2025-09-01 10:15:27",
            "Link": CDN.format(4),
            "Likes": "18",
            "WhoCanView": "Everyone",
            "Sound": "original sound - test.baker",
            "Location": "Los Angeles, California",
            "Title": "Sunday sourdough 🍞 #sourdough #酸种面包 #matcha🍵 #月饼#mooncake attempt #3",
        },
        {
            "Date": "2025-08-01 10:00:00",
            "Link": CDN.format(5),
            "WhoCanView": "Friends",
            "Title": "friends only",
        },
        {"Date": "2025-07-01 10:00:00", "Link": CDN.format(6), "WhoCanView": "Only You", "Title": "draft"},
        {"Date": "2025-06-01 10:00:00", "Link": CDN.format(7), "WhoCanView": "Everyone", "Title": ""},
    ]
    posts.append(copy.deepcopy(posts[0]))  # exact duplicate row
    return {
        "Profile And Settings": {
            "Profile Info": {"App": 1, "ProfileMap": _profile_map(display_name=True)},
            "Following": {"App": 1, "IsFastLane": True, "Following": _following()},
            "Follower": {"App": 1, "FansList": [{"Date": "2025-04-25 11:40:29", "UserName": "fan.one"}]},
            "Autofill": {
                "PhoneNumber": "+1 213-555-0199",
                "Email": "canary.person@example.com",
                "Address": "CANARY-ADDR-1",
            },
            "Block List": {"BlockList": [{"Date": "2025-04-17", "UserName": "spam.bot"}]},
        },
        "Likes and Favorites": {
            "Like List": {
                "ItemFavoriteList": [
                    {"date": "2025-09-04 20:37:54", "link": VIDEO.format(21)},
                    {"date": "2025-09-04 20:37:54", "link": VIDEO.format(21)},
                    {"Date": "2025-09-03 20:37:54", "Link": VIDEO.format(22)},
                ]
            },
            "Favorite Videos": {
                "FavoriteVideoList": [{"Date": "2025-07-08 01:45:20", "Link": VIDEO.format(23)}]
            },
            "Favorite Sounds": {"FavoriteSoundList": None},
        },
        "Post": {
            "Posts": {"VideoList": posts},
            "Recently Deleted Posts": {
                "PostList": [{"Date": "2025-08-05", "DateDeleted": "2025-08-06", "Title": "CANARY-DELETED-1"}]
            },
        },
        "Your Activity": {"Hashtag": {"HashtagList": None}, **_activity_private()},
        "Comment": {"Comments": {"CommentsList": [{"date": "2025-06-18", "comment": "CANARY-COMMENT-1"}]}},
        "Income+ Wallet": {"Transaction History": {"TransactionsList": None}},
        "TikTok Shop": {"Vouchers": {"Vouchers": [{"ReceivedDate": "2025-07-06 18:02:11 +0000 UTC"}]}},
        **_private_tiktok("c"),
    }


TXT_FILES = {
    "Profile And Settings/Following.txt": (
        "Date: 2025-02-19 14:35:38 UTC\nUsername: koji.kitchen\n\n"
        "Date: 2025-02-12 02:05:12 UTC\nUsername: bao.bakes\n"
    ),
    "Profile And Settings/Follower.txt": "Date: 2024-12-20 23:49:36 UTC\nUsername: fan.one\n",
    "Profile And Settings/Profile Info.txt": (
        "Username: test.baker\nBio Description: Home baker 🍞\nBirth Date: 09-Apr-1991\n"
        "Email Address: canary.person@example.com\nLikes Received: 12\n"
    ),
    "Likes and Favorites/Like List.txt": (
        f"Date: 2025-02-22 04:32:11 UTC\nLink: {VIDEO.format(31)}\n\n"
        f"Date: 2025-02-16 04:24:45 UTC\nLink: {VIDEO.format(32)}\n"
    ),
    "Likes and Favorites/Favorite Videos.txt": f"Date: 2024-12-06 14:40:18 UTC\nLink: {VIDEO.format(33)}\n",
    "Likes and Favorites/Favorite HashTags.txt": (
        "Date: 2024-12-12 22:10:00 UTC\nHashTag Link:: https://www.tiktok.com/tag/sourdough\n"
    ),
    "Likes and Favorites/Favorite Sounds.txt": "You have no data in this section\n",
    "Your Activity/Hashtag.txt": (
        "Hashtag Name: sourdough\nHashtag Link: https://www.tiktok.com/tag/sourdough\n\n"
        "Hashtag Name: 酸种面包\nHashtag Link: https://www.tiktok.com/tag/%E9%85%B8\n"
    ),
    "Your Activity/Searches.txt": "Date: 2025-02-27 22:10:00 UTC\nSearch Term: CANARY-SEARCH-1\n",
    "Your Activity/Login History.txt": "Date: 2025-03-01 22:10:00 UTC\nIP: 198.51.100.77\n",
    "Your Activity/Watch History.txt": (
        f"Date: 2025-03-02 14:49:23 UTC\nLink: {VIDEO.format(34)}CANARY-WATCH-1\n"
    ),
    "Direct Message/Direct Messages.txt": (
        ">>> Chat History with friend.one:\n"
        "Date: 2025-02-22 22:10:00 UTC\nFrom: friend.one\nContent: CANARY-DM-1\n"
    ),
}


def meta(text: str) -> str:
    """Meta's escaped UTF-8: every byte of the UTF-8 encoding as its own code point."""
    return text.encode("utf-8").decode("latin-1")


def _ig_entry(handle: str, stamp: int, *, new: bool) -> dict[str, Any]:
    if new:  # 2025 following.json: the username in title, href with /_u/, no value
        return {
            "title": handle,
            "string_list_data": [{"href": f"https://www.instagram.com/_u/{handle}", "timestamp": stamp}],
        }
    return {
        "title": "",
        "media_list_data": [],
        "string_list_data": [
            {"href": f"https://www.instagram.com/{handle}", "value": handle, "timestamp": stamp}
        ],
    }


def instagram_files(layout: str) -> dict[str, Any]:
    """Path -> JSON document (or bytes for media) of an Instagram export in the 2022 or 2025 layout."""
    new = layout == "2025"
    posts = [
        {  # a carousel: caption and date on the post
            "media": [
                {"uri": "media/posts/202503/a.jpg", "creation_timestamp": 1741573875, "title": ""},
                {"uri": "media/posts/202503/b.jpg", "creation_timestamp": 1741573875, "title": ""},
            ],
            "title": meta("Mooncakes 🥮 中秋快乐！#中秋节 #mooncake"),
            "creation_timestamp": 1741573875,
        },
        {  # a single photo: caption and date only on the media item
            "media": [
                {
                    "uri": "media/posts/202504/c.jpg",
                    "creation_timestamp": 1743567369,
                    "title": meta("Sunday 🍞 #sourdough"),
                }
            ]
        },
        {  # a video whose file is missing from the export
            "media": [
                {"uri": "media/posts/202310/missing.mp4", "creation_timestamp": 1697248504, "title": "Market"}
            ]
        },
    ]
    profile = {
        "profile_user": [
            {
                "media_map_data": {
                    "Profile Photo": {"uri": "media/other/avatar.jpg", "creation_timestamp": 1682899200}
                },
                "string_map_data": {
                    "Email": {"href": "", "value": "canary.person@example.com", "timestamp": 0},
                    "Phone Number": {"href": "", "value": "+12135550199", "timestamp": 0},
                    "Username": {"href": "", "value": "test.baker", "timestamp": 0},
                    "Name": {"href": "", "value": meta("Test 阳光烘焙"), "timestamp": 0},
                    "Bio": {"href": "", "value": meta("Home baker 🍞 中英双语"), "timestamp": 0},
                    "Date of birth": {"href": "", "value": "1991-04-09", "timestamp": 0},
                },
            }
        ]
    }
    following = {
        "relationships_following": [
            _ig_entry(h, 1757366144 - i, new=new) for i, h in enumerate(["a.one", "b.two"])
        ]
    }
    followers_rows = [
        _ig_entry("fan.one", 1757753685, new=False),
        _ig_entry("fan.two", 1757753000, new=False),
    ]
    liked = {
        "likes_media_likes": [
            {
                "title": "a.one",
                "string_list_data": [
                    {"href": "https://www.instagram.com/p/DPvf8Y5JT6_/", "timestamp": 1750326014}
                ],
            }
        ]
    }
    message = {
        "participants": [{"name": "Friend"}],
        "messages": [{"sender_name": "Friend", "timestamp_ms": 1757620800000, "content": "CANARY-IGDM-1"}],
    }
    login = {
        "account_history_login_history": [
            {"string_map_data": {"IP Address": {"value": "198.51.100.77"}, "Time": {"timestamp": 1757880000}}}
        ]
    }
    files: dict[str, Any] = {
        "media/posts/202503/a.jpg": b"\xff\xd8a",
        "media/posts/202503/b.jpg": b"\xff\xd8b",
    }
    files["media/posts/202504/c.jpg"] = b"\xff\xd8c"
    files["media/other/avatar.jpg"] = b"\xff\xd8d"
    if new:
        files.update(
            {
                "personal_information/personal_information/personal_information.json": profile,
                "connections/followers_and_following/following.json": following,
                "connections/followers_and_following/followers_1.json": followers_rows[:1],
                "connections/followers_and_following/followers_2.json": followers_rows[1:],
                "your_instagram_activity/media/posts_1.json": posts,
                "your_instagram_activity/likes/liked_posts.json": liked,
                "your_instagram_activity/messages/inbox/friend_1/message_1.json": message,
                "security_and_login_information/login_and_profile_creation/login_activity.json": login,
            }
        )
    else:
        files.update(
            {
                "personal_information/personal_information.json": profile,
                "followers_and_following/following.json": following,
                "followers_and_following/followers.json": {"relationships_followers": followers_rows},
                "content/posts_1.json": posts,
                "likes/liked_posts.json": liked,
                "messages/inbox/friend_1/message_1.json": message,
                "login_and_account_creation/login_activity.json": login,
            }
        )
    return files


def _bytes(document: Any) -> bytes:
    if isinstance(document, bytes):
        return document
    if isinstance(document, str):
        return document.encode("utf-8")
    return json.dumps(document, ensure_ascii=True).encode("utf-8")


def write_folder(root: Path, files: dict[str, Any]) -> Path:
    for name, document in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_bytes(document))
    return root


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_zip(path: Path, files: dict[str, Any], *, top: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in files.items():
            archive.writestr(f"{top}{name}", _bytes(document))
    return path
