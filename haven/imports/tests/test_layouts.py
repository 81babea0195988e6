"""Each export layout, as one file, as a folder and as a ZIP, comes out as the same normalised result."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from haven.imports.parsing import parse_export
from haven.imports.parsing import result as r
from haven.imports.tests import builders as b


@pytest.mark.parametrize(
    ("build", "layout"),
    [(b.tiktok_a, "tiktok_json_a"), (b.tiktok_b, "tiktok_json_b"), (b.tiktok_c, "tiktok_json_c")],
)
def test_tiktok_json_layouts_are_detected_from_a_file_and_a_zip(tmp_path, build, layout):
    document = build()
    single = parse_export(b.write_json(tmp_path / "user_data_tiktok.json", document))
    zipped = parse_export(b.write_zip(tmp_path / "TikTok_Data_1.zip", {"user_data_tiktok.json": document}))
    assert single.source == zipped.source == "tiktok"
    assert single.layout == zipped.layout == layout
    assert single.to_dict() == zipped.to_dict() | {"report": single.to_dict()["report"]}
    assert single.profile.username == "test.baker"
    assert single.profile.bio == "Home baker 🍞 中英双语"
    assert single.profile.avatar_url == b.AVATAR
    # Following: deduplicated case-insensitively, newest first as exported, dates in UTC.
    assert [a.handle for a in single.following] == ["crumb.theory", "matcha.mornings"]
    assert single.following[0].since == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert single.report.rows["following"] == 4
    assert {"messages", "login_history", "search_history"} <= set(single.report.never_imported)


def test_layout_a_reads_old_section_names_and_has_no_display_name(tmp_path):
    result = parse_export(b.write_json(tmp_path / "user_data.json", b.tiktok_a()))
    assert result.profile.display_name is None
    assert [i.link for i in result.liked] == [b.VIDEO.format(1), b.VIDEO.format(2)]  # Link and VideoLink
    assert [i.link for i in result.favourites] == [b.VIDEO.format(3)]
    assert result.hashtags_used == ["sourdough", "中秋节"]
    assert result.favourite_hashtags == ["sourdough"]
    assert [a.handle for a in result.followers] == ["fan.one"]
    # Layout A posts have no caption: the link (a signed download URL) and the date are kept.
    assert [(p.caption, p.link, p.visibility) for p in result.posts] == [
        ("", b.CDN.format(1), "unknown"),
        ("", b.CDN.format(2), "unknown"),
    ]
    assert result.posts[0].posted_at == datetime(2022, 9, 14, 14, 45, 4, tzinfo=UTC)


def test_layout_b_reads_lower_case_keys_and_skips_deleted_posts(tmp_path):
    result = parse_export(b.write_json(tmp_path / "user_data_tiktok.json", b.tiktok_b()))
    assert [i.link for i in result.liked] == [b.VIDEO.format(11)]
    assert result.liked[0].at == datetime(2025, 1, 5, 1, 42, 13, tzinfo=UTC)
    assert result.followers == []  # FansList: null
    assert [(p.caption, p.hashtags) for p in result.posts] == [("First #Bread #bread #3 post", ["bread"])]
    assert r.Skip("posts", r.DELETED_POST, 1) in result.report.skipped
    assert r.Skip("Your Activity > Follower", r.EMPTY_SECTION, 1) in result.report.skipped


def test_layout_c_posts_keep_visibility_and_drop_exact_duplicates(tmp_path):
    result = parse_export(b.write_json(tmp_path / "user_data_tiktok.json", b.tiktok_c()))
    assert result.profile.display_name == "Test 烘焙"
    assert [p.visibility for p in result.posts] == ["everyone", "friends", "only_you", "everyone"]
    first = result.posts[0]
    assert first.hashtags == ["sourdough", "酸种面包", "matcha", "月饼", "mooncake"]
    assert (first.sound, first.location) == ("original sound - test.baker", "Los Angeles, California")
    assert result.posts[3].caption == ""
    assert result.report.rows["posts"] == 5
    assert r.Skip("posts", r.DUPLICATE, 1) in result.report.skipped
    assert [i.link for i in result.liked] == [b.VIDEO.format(21), b.VIDEO.format(22)]
    assert result.caption_hashtags(public_only=True) == first.hashtags
    assert r.Skip("Profile And Settings > Block List", r.NOT_SUPPORTED, 1) in result.report.skipped


@pytest.mark.parametrize("as_zip", [False, True])
def test_tiktok_txt_export(tmp_path, as_zip):
    if as_zip:
        path = b.write_zip(tmp_path / "TikTok_Data.zip", b.TXT_FILES, top="TikTok_Data/")
    else:
        path = b.write_folder(tmp_path / "export", b.TXT_FILES)
    result = parse_export(path)
    assert (result.source, result.layout) == ("tiktok", "tiktok_txt")
    assert result.profile.username == "test.baker"
    assert result.profile.bio == "Home baker 🍞"
    assert [(a.handle, a.since) for a in result.following] == [
        ("koji.kitchen", datetime(2025, 2, 19, 14, 35, 38, tzinfo=UTC)),
        ("bao.bakes", datetime(2025, 2, 12, 2, 5, 12, tzinfo=UTC)),
    ]
    assert [a.handle for a in result.followers] == ["fan.one"]
    assert [i.link for i in result.liked] == [b.VIDEO.format(31), b.VIDEO.format(32)]
    assert len(result.favourites) == 1
    assert result.favourite_hashtags == ["sourdough"]  # from the "HashTag Link::" line
    assert result.hashtags_used == ["sourdough", "酸种面包"]
    assert {"messages", "search_history", "login_history", "watch_history"} <= set(
        result.report.never_imported
    )
    assert r.Skip("Favorite Sounds.txt", r.NOT_SUPPORTED, 1) in result.report.skipped


def test_a_single_txt_section_file(tmp_path):
    path = tmp_path / "Following.txt"
    path.write_text(b.TXT_FILES["Profile And Settings/Following.txt"], encoding="utf-8")
    result = parse_export(path)
    assert [a.handle for a in result.following] == ["koji.kitchen", "bao.bakes"]


@pytest.mark.parametrize(("layout", "name"), [("2022", "instagram_2022"), ("2025", "instagram_2025")])
@pytest.mark.parametrize("as_zip", [False, True])
def test_instagram_layouts(tmp_path, layout, name, as_zip):
    files = b.instagram_files(layout)
    if as_zip:
        path = b.write_zip(tmp_path / "instagram-test.baker.zip", files, top="instagram-test.baker-2025/")
        top = "instagram-test.baker-2025/"
    else:
        path = b.write_folder(tmp_path / "export", files)
        top = ""
    result = parse_export(path)
    assert (result.source, result.layout) == ("instagram", name)
    # Meta's escaped UTF-8 repaired.
    assert result.profile.display_name == "Test 阳光烘焙"
    assert result.profile.bio == "Home baker 🍞 中英双语"
    assert result.profile.username == "test.baker"
    assert result.profile.avatar_path == f"{top}media/other/avatar.jpg"
    assert [a.handle for a in result.following] == ["a.one", "b.two"]
    assert [a.handle for a in result.followers] == ["fan.one", "fan.two"]
    assert [(i.link, i.author) for i in result.liked] == [
        ("https://www.instagram.com/p/DPvf8Y5JT6_/", "a.one")
    ]
    carousel, single, video = result.posts
    assert carousel.caption == "Mooncakes 🥮 中秋快乐！#中秋节 #mooncake"
    assert carousel.hashtags == ["中秋节", "mooncake"]
    assert carousel.media == [f"{top}media/posts/202503/a.jpg", f"{top}media/posts/202503/b.jpg"]
    assert carousel.posted_at == datetime(2025, 3, 10, 2, 31, 15, tzinfo=UTC)
    assert (single.caption, single.posted_at) == (
        "Sunday 🍞 #sourdough",
        datetime(2025, 4, 2, 4, 16, 9, tzinfo=UTC),
    )
    assert (video.media, video.missing_media) == ([], 1)
    assert r.Skip("posts", r.MISSING_MEDIA, 1) in result.report.skipped
    assert {"messages", "login_history"} <= set(result.report.never_imported)


def test_a_single_instagram_file_is_recognised_by_its_content(tmp_path):
    document = b.instagram_files("2025")["connections/followers_and_following/following.json"]
    result = parse_export(b.write_json(tmp_path / "following.json", document))
    assert (result.source, [a.handle for a in result.following]) == ("instagram", ["a.one", "b.two"])


def test_result_serialises_to_json(tmp_path):
    result = parse_export(b.write_json(tmp_path / "user_data_tiktok.json", b.tiktok_c()))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["following"][0] == {"handle": "crumb.theory", "since": "2025-03-01T10:00:00+00:00"}
    assert data["counts"]["posts"] == 4
