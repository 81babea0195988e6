"""Single values: dates in the exports' odd formats, links, handles, hashtags, Meta's escaped UTF-8."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haven.imports.parsing.values import (
    INSTAGRAM_HOSTS,
    TIKTOK_HOSTS,
    BadValue,
    check_handle,
    check_link,
    fix_meta_text,
    hashtags,
    json_depth,
    parse_date,
)

MOMENT = datetime(2025, 6, 7, 1, 25, 56, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2025-06-07 01:25:56",
        "2025-06-07 01:25:56 UTC",
        "2025-06-07 01:25:56 +0000 UTC",
        "2025-06-07T01:25:56Z",
        "2025-06-07T03:25:56+02:00",
        "2025-06-06 18:25:56 -0700",
        1749259556,
        1749259556.0,
        "1749259556",
        1749259556000,
        "1749259556000",
    ],
)
def test_dates_in_every_format_the_exports_use(value):
    assert parse_date(value) == MOMENT


def test_day_month_name_year():
    assert parse_date("07-Mar-1996") == datetime(1996, 3, 7, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "N/A", "None", "0", -1, 0, "-1", [], {}])
def test_placeholders_are_no_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2025-13-01 00:00:00", "1899-01-01", "3000-01-01", True, 10**30, "x" * 100, {"a": 1}],
)
def test_odd_dates_are_refused(value):
    with pytest.raises(BadValue):
        parse_date(value)


@pytest.mark.parametrize(
    "link",
    [
        "https://www.tiktokv.com/share/video/7105749736620721574/",
        "https://www.tiktok.com/tag/sourdough",
        "https://video-useast5-download.tiktokv.us/kfc/x/?mime_type=video_mp4",
        "https://p16-common-sign.tiktokcdn-us.com/a.jpeg?x-expires=1",
        "http://tiktok.com/@someone",
    ],
)
def test_platform_links_are_kept(link):
    assert check_link(link, TIKTOK_HOSTS) == link


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)//https://www.tiktok.com/",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://www.tiktok.com/x",
        "https://evil.example/https://www.tiktok.com/",
        "https://www.tiktok.com.evil.example/",
        "https://eviltiktok.com/",
        "https://www.tiktok.com@evil.example/",
        "https://user:pw@www.tiktok.com/",
        "https://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
        "http://metadata.google.internal/",
        "https://www.tiktok.com:8443/",
        "https://www.tiktok.com\\@evil.example/",
        "https://www.tiktok.com/\nx",
        "https://www.tiktok.com/" + "a" * 3000,
        "//www.tiktok.com/x",
        "https://www.tíktok.com/",
        "",
        42,
    ],
)
def test_hostile_links_are_refused(link):
    with pytest.raises(BadValue):
        check_link(link, TIKTOK_HOSTS)


def test_https_only_and_hosts_per_platform():
    with pytest.raises(BadValue):
        check_link("http://p16.tiktokcdn.com/a.jpeg", TIKTOK_HOSTS, https_only=True)
    with pytest.raises(BadValue):
        check_link("https://www.instagram.com/p/x/", TIKTOK_HOSTS)
    assert check_link("https://www.instagram.com/p/x/", INSTAGRAM_HOSTS)


def test_handles():
    assert check_handle(" @sunny.bakes_la ") == "sunny.bakes_la"
    for bad in ["", "a b", "<script>", "x" * 65, "../etc", "名字", None, 7]:
        with pytest.raises(BadValue):
            check_handle(bad)


def test_hashtags_follow_the_samples_rule():
    text = "Failed croissant attempt #3 😭 #matcha🍵 #月饼#mooncake #Sourdough #sourdough #a_b"
    assert hashtags(text) == ["matcha", "月饼", "mooncake", "sourdough", "a_b"]
    assert hashtags("") == []


def test_meta_escaped_utf8_is_repaired_and_plain_text_is_left_alone():
    assert fix_meta_text("Sunny \u00e9\u0098\u00b3") == "Sunny 阳"
    assert fix_meta_text("\u00f0\u009f\u008d\u009e") == "🍞"
    assert fix_meta_text("café") == "café"  # genuine Latin-1 text: not valid UTF-8 bytes
    assert fix_meta_text("阳光") == "阳光"  # already decoded
    assert fix_meta_text("plain") == "plain"


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": [1, {"b": "[[[[{{{{"}]}', 10) == 3
    assert json_depth('"\\"[[[["', 10) == 0
    assert json_depth("[" * 50 + "]" * 50, 10) == 11  # counting stops past the limit
