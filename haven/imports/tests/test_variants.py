"""Real-world variants are tolerated and reported: unknown sections, renamed keys, nulls, odd dates,
hostile links, empty sections, junk rows."""

from __future__ import annotations

from datetime import UTC, datetime

from haven.imports.parsing import parse_export
from haven.imports.parsing import result as r
from haven.imports.tests import builders as b


def _parse(tmp_path, document):
    return parse_export(b.write_json(tmp_path / "user_data_tiktok.json", document))


def test_unknown_sections_are_reported_by_name_and_the_rest_is_read(tmp_path):
    document = b.tiktok_c()
    document["Brand New Section 2026"] = {"Stuff": {"List": [{"x": 1}]}}
    document["Likes and Favorites"]["Favorite Podcasts"] = {"List": []}
    result = _parse(tmp_path, document)
    assert r.Skip("Brand New Section 2026", r.UNKNOWN_SECTION, 1) in result.report.skipped
    assert r.Skip("Likes and Favorites > Favorite Podcasts", r.UNKNOWN_SECTION, 1) in result.report.skipped
    assert len(result.following) == 2


def test_renamed_keys_are_read_loosely(tmp_path):
    document = {
        "Profile And Settings": {
            "profile_info": {
                "profileMap": {"username": "test.baker", "display_name": "T", "BioDescription": "b"}
            },
            "following": {"following": [{"date": "2025-01-01 00:00:00", "userName": "a.one"}]},
        },
        "likes and favorites": {
            "like list": {"itemFavoriteList": [{"DATE": "2025-01-01", "VIDEO_LINK": b.VIDEO.format(1)}]}
        },
    }
    result = _parse(tmp_path, document)
    assert (result.profile.username, result.profile.display_name, result.profile.bio) == (
        "test.baker",
        "T",
        "b",
    )
    assert [a.handle for a in result.following] == ["a.one"]
    assert [i.link for i in result.liked] == [b.VIDEO.format(1)]


def test_nulls_empty_sections_and_placeholders(tmp_path):
    document = {
        "Profile And Settings": {
            "Profile Info": {
                "ProfileMap": {"userName": "test.baker", "bioDescription": "", "displayName": "None"}
            },
            "Following": {"Following": None},
            "Follower": {},
        },
        "Likes and Favorites": {"Like List": {"ItemFavoriteList": []}, "Favorite Videos": "N/A"},
        "Post": {"Posts": {"VideoList": None}},
        "Your Activity": None,
    }
    result = _parse(tmp_path, document)
    assert result.layout == "tiktok_json_c"
    assert (result.profile.bio, result.profile.display_name, result.profile.avatar_url) == (None, None, None)
    assert result.following == result.followers == result.liked == result.posts == []
    assert r.Skip("Profile And Settings > Following", r.EMPTY_SECTION, 1) in result.report.skipped
    assert r.Skip("Post > Posts", r.EMPTY_SECTION, 1) in result.report.skipped
    assert r.Skip("Your Activity", r.EMPTY_SECTION, 1) in result.report.skipped


def test_odd_dates_keep_the_row_and_are_reported(tmp_path):
    document = b.tiktok_c()
    document["Profile And Settings"]["Following"]["Following"] = [
        {"Date": "2025-06-07 01:25:56 UTC", "UserName": "utc.suffix"},
        {"Date": "2025-07-06 18:02:11 +0000 UTC", "UserName": "offset.utc"},
        {"Date": 1749259556, "UserName": "epoch"},
        {"Date": "N/A", "UserName": "no.date"},
        {"Date": "last tuesday", "UserName": "bad.date"},
        {"Date": "2025-02-30 10:00:00", "UserName": "impossible.date"},
    ]
    result = _parse(tmp_path, document)
    assert [(a.handle, a.since) for a in result.following] == [
        ("utc.suffix", datetime(2025, 6, 7, 1, 25, 56, tzinfo=UTC)),
        ("offset.utc", datetime(2025, 7, 6, 18, 2, 11, tzinfo=UTC)),
        ("epoch", datetime(2025, 6, 7, 1, 25, 56, tzinfo=UTC)),
        ("no.date", None),
        ("bad.date", None),
        ("impossible.date", None),
    ]
    assert r.Skip("following", r.BAD_DATE, 2) in result.report.skipped


def test_hostile_links_are_dropped_and_reported(tmp_path):
    document = b.tiktok_c()
    document["Likes and Favorites"]["Like List"]["ItemFavoriteList"] = [
        {"date": "2025-01-01", "link": "javascript:alert(document.cookie)"},
        {"date": "2025-01-01", "link": "data:text/html;base64,PHNjcmlwdD4="},
        {"date": "2025-01-01", "link": "file:///etc/passwd"},
        {"date": "2025-01-01", "link": "http://169.254.169.254/latest/meta-data/"},
        {"date": "2025-01-01", "link": "https://www.tiktok.com.evil.example/x"},
        {"date": "2025-01-01", "link": ""},
        {"date": "2025-01-01", "link": b.VIDEO.format(7)},
    ]
    document["Profile And Settings"]["Profile Info"]["ProfileMap"]["profilePhoto"] = (
        "http://10.0.0.1/avatar.jpg"
    )
    document["Post"]["Posts"]["VideoList"][0]["Link"] = "javascript:void(0)"
    result = _parse(tmp_path, document)
    assert [i.link for i in result.liked] == [b.VIDEO.format(7)]
    assert r.Skip("liked", r.BAD_LINK, 5) in result.report.skipped
    assert r.Skip("liked", r.MISSING_VALUE, 1) in result.report.skipped
    assert result.profile.avatar_url is None
    assert r.Skip("profile", r.BAD_LINK, 1) in result.report.skipped
    assert result.posts[0].link is None  # the post itself is kept
    assert result.posts[0].caption.startswith("Sunday sourdough")


def test_junk_rows_and_bad_handles(tmp_path):
    document = b.tiktok_c()
    document["Profile And Settings"]["Following"]["Following"] = [
        "not a row",
        42,
        None,
        {"Date": "2025-01-01"},
        {"UserName": "<img src=x onerror=alert(1)>"},
        {"UserName": "@ok.handle"},
    ]
    document["Profile And Settings"]["Follower"]["FansList"] = {"not": "a list"}
    result = _parse(tmp_path, document)
    assert [a.handle for a in result.following] == ["ok.handle"]
    skipped = {(s.section, s.reason): s.count for s in result.report.skipped}
    assert skipped[("Profile And Settings > Following", r.BAD_ENTRY)] == 3
    assert skipped[("following", r.MISSING_VALUE)] == 1
    assert skipped[("following", r.BAD_HANDLE)] == 1
    assert skipped[("Profile And Settings > Follower", r.BAD_ENTRY)] == 1


def test_control_characters_and_bidi_overrides_are_removed_from_text(tmp_path):
    document = b.tiktok_c()
    document["Post"]["Posts"]["VideoList"] = [{"Date": "2025-01-01", "Title": "a\x00b\u202ec\x1bd #tag"}]
    result = _parse(tmp_path, document)
    assert result.posts[0].caption == "abcd #tag"


def test_instagram_variants(tmp_path):
    files = b.instagram_files("2025")
    files["your_instagram_activity/media/posts_1.json"] = [
        {"media": [{"uri": "../../../etc/passwd", "creation_timestamp": "garbage", "title": "x"}]},
        {"media": None, "title": "no media", "creation_timestamp": 1700000000},
        "junk",
    ]
    files["connections/followers_and_following/following.json"] = {
        "relationships_following": [
            {
                "title": "",
                "string_list_data": [{"href": "https://www.instagram.com/_u/from.href", "timestamp": 1}],
            },
            {"title": "", "string_list_data": []},
        ]
    }
    files["your_instagram_activity/likes/liked_posts.json"] = {
        "likes_media_likes": [
            {"title": "x", "string_list_data": [{"href": "javascript:alert(1)", "timestamp": 1}]}
        ]
    }
    files["your_instagram_activity/new_feature/things.json"] = {"x": 1}
    result = parse_export(b.write_folder(tmp_path / "export", files))
    first, second = result.posts
    assert (first.media, first.missing_media, first.posted_at) == ([], 1, None)
    assert (second.caption, second.media) == ("no media", [])
    assert [a.handle for a in result.following] == ["from.href"]
    assert result.liked == []
    skipped = {(s.section, s.reason): s.count for s in result.report.skipped}
    assert skipped[("posts", r.BAD_DATE)] == 1
    assert skipped[("posts", r.BAD_ENTRY)] == 1
    assert skipped[("liked", r.BAD_LINK)] == 1
    assert skipped[("instagram", r.UNKNOWN_SECTION)] == 1
