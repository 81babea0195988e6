"""How well the import parser reads the sample exports: field by field against their expected files.

    .venv/bin/python -m bench.imports.evaluate [SAMPLES]   # default: shared/data/imports beside the repo
    .venv/bin/python -m bench.imports.evaluate --scale     # parse time and memory of a big export

For every `*/expected/*.expected.json` under SAMPLES it parses the export named there twice: as it
lies on disk (the extracted folder or file) and zipped the way a member uploads it. It prints each
check (expected, got, agreement), whether the two parses agree, and the privacy check: none of the
sample's canary strings may occur anywhere in the serialised result, nor in the report, and the
"must not be public" posts must not come out public. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import REPO, django_setup

DEFAULT_SAMPLES = REPO.parent / "shared" / "data" / "imports"

Check = tuple[str, Any, Any]


def zip_export(export: Path, folder: Path) -> Path:
    """The export zipped as downloaded: a file at the ZIP's top, or a folder's content under its name."""
    target = folder / f"{export.name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if export.is_file():
            archive.write(export, export.name)
        else:
            for path in sorted(export.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{export.name}/{path.relative_to(export).as_posix()}")
    return target


def _tiktok_checks(expected: dict[str, Any], result: Any) -> list[Check]:
    from haven.imports.parsing import result as r

    report = result.report
    checks: list[Check] = []
    profile = expected.get("profile", {})
    checks.append(("profile.username", profile.get("username"), result.profile.username))
    if "display_name" in profile:
        checks.append(("profile.display_name", profile["display_name"], result.profile.display_name))
    if "bio" in profile:
        checks.append(("profile.bio", profile["bio"], result.profile.bio))
    if "avatar" in profile:
        host = (result.profile.avatar_url or "").split("/")[2] if result.profile.avatar_url else ""
        checks.append(("profile.avatar is a tiktokcdn link", True, "tiktokcdn" in host))
    following = expected["following"]
    checks.append(("following rows", following["rows"], report.rows.get("following", 0)))
    checks.append(("following unique", following["unique_usernames"], len(result.following)))
    for end, index in (("newest", 0), ("oldest", -1)):
        if end in following:
            got = result.following[index] if result.following else None
            checks.append(
                (
                    f"following {end}",
                    f"{following[end]['UserName']} {following[end]['Date']}",
                    f"{got.handle} {got.since:%Y-%m-%d %H:%M:%S}" if got and got.since else None,
                )
            )
    checks.append(("followers rows", expected["followers_rows"], report.rows.get("followers", 0)))
    likes = expected["likes"]
    if isinstance(likes, dict):
        checks.append(("liked rows", likes["rows"], report.rows.get("liked", 0)))
        checks.append(("liked unique", likes["unique_links"], len(result.liked)))
    else:
        checks.append(("liked", likes, len(result.liked)))
    checks.append(("favourite videos", expected["favorite_videos"], len(result.favourites)))
    posts = expected.get("posts")
    if isinstance(posts, dict):
        if "rows" in posts:
            checks.append(("post rows", posts["rows"], report.rows.get("posts", 0)))
        if "hashtags_used_list" in posts:
            checks.append(("hashtags used (list)", posts["hashtags_used_list"], result.hashtags_used))
        if "rows_in_VideoList" in posts:
            checks.append(("post rows", posts["rows_in_VideoList"], report.rows.get("posts", 0)))
            checks.append(("posts unique", posts["unique_posts"], len(result.posts)))
            views = Counter(p.visibility for p in result.posts)
            names = {"Everyone": "everyone", "Friends": "friends", "Only You": "only_you"}
            for label, count in posts["who_can_view"].items():
                checks.append((f"posts visible to {label}", count, views[names[label]]))
            checks.append(("public posts", posts["public_posts"], views["everyone"]))
            checks.append(
                ("empty captions", posts["empty_captions"], sum(not p.caption for p in result.posts))
            )
            longest = max((len(p.caption) for p in result.posts), default=0)
            checks.append(("longest caption (chars)", posts["longest_caption_chars"], longest))
            checks.append(
                (
                    "hashtags in public posts",
                    posts["hashtags_in_public_posts"],
                    result.caption_hashtags(public_only=True),
                )
            )
            deleted = sum(s.count for s in report.skipped if s.reason == r.DELETED_POST)
            checks.append(("recently deleted (skipped)", posts["recently_deleted_rows"], deleted))
    else:
        checks.append(("posts (none in this export)", 0, len(result.posts)))
    return checks


def _instagram_checks(expected: dict[str, Any], result: Any) -> list[Check]:
    profile = expected["profile"]
    checks: list[Check] = [
        ("profile.username", profile["username"], result.profile.username),
        ("profile.display_name", profile["display_name"], result.profile.display_name),
        ("profile.bio", profile["bio"], result.profile.bio),
        ("profile.avatar_file", profile["avatar_file"], _strip_top(result.profile.avatar_path)),
        ("following rows", expected["following"]["rows"], len(result.following)),
        ("followers rows", expected["followers_rows"], len(result.followers)),
        ("liked rows", expected["likes_rows"], len(result.liked)),
    ]
    posts = expected["posts"]
    checks.append(("posts", posts["count"], len(result.posts)))
    checks.append(
        (
            "posts with missing media",
            len(posts["missing_media_files"]),
            sum(p.missing_media > 0 for p in result.posts),
        )
    )
    for index, item in enumerate(posts["items"]):
        got = result.posts[index] if index < len(result.posts) else None
        prefix = f"post {index + 1}"
        checks.append(
            (f"{prefix} date", item["date"], got and got.posted_at and f"{got.posted_at:%Y-%m-%dT%H:%M:%SZ}")
        )
        checks.append((f"{prefix} caption", item["caption"], got and got.caption))
        checks.append((f"{prefix} media", item["media"], got and len(got.media) + got.missing_media))
        checks.append((f"{prefix} hashtags", item["hashtags"], got and got.hashtags))
    return checks


def _strip_top(path: str | None) -> str | None:
    """An archive path without the export's top folder (present when the upload is a ZIP)."""
    if path and not path.startswith("media/") and "/media/" in path:
        return path[path.index("/media/") + 1 :]
    return path


def _canaries(expected: dict[str, Any], result: Any) -> list[Check]:
    text = json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True)
    canaries = expected.get("must_not_appear_anywhere", [])
    found = [c for c in canaries if c in text]
    checks: list[Check] = [(f"none of {len(canaries)} canaries in the result", [], found)]
    if expected.get("must_not_be_public"):
        public = [p for p in result.posts if p.visibility == "everyone"]
        leaked = [
            p.caption[:40]
            for p in public
            if "HAVEN-CANARY-PRIVATE" in p.caption or p.caption.startswith("Q&A")
        ]
        checks.append(("private posts not public", [], leaked))
    return checks


def evaluate(samples: Path) -> int:
    django_setup()
    from haven.imports.parsing import parse_export

    expected_files = sorted(samples.glob("*/expected/*.expected.json"))
    if not expected_files:
        print(f"no expected files under {samples}", file=sys.stderr)
        return 2
    passed = total = 0
    for expected_file in expected_files:
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        export = samples / expected["export"].rstrip("/")
        started = time.perf_counter()
        result = parse_export(export)
        elapsed = (time.perf_counter() - started) * 1000
        with tempfile.TemporaryDirectory() as folder:
            zipped = parse_export(zip_export(export, Path(folder)))
        checks = (
            _instagram_checks(expected, result)
            if result.source == "instagram"
            else _tiktok_checks(expected, result)
        )
        checks += _canaries(expected, result)
        checks.append(("... and in the zipped parse", [], _canaries(expected, zipped)[0][2]))
        same = _comparable(result, export.name) == _comparable(zipped, export.name)
        checks.append(("zip parse equals folder parse", True, same))
        ok = sum(want == got for _, want, got in checks)
        passed += ok
        total += len(checks)
        print(f"\n## {expected['export']}  ({result.layout}, {elapsed:.1f} ms)  {ok}/{len(checks)} agree")
        for name, want, got in checks:
            mark = "ok  " if want == got else "DIFF"
            if mark == "ok  " and isinstance(want, list | str) and len(str(want)) > 70:
                want = got = f"<{len(want)} {'items' if isinstance(want, list) else 'chars'}>"
            print(f"  {mark} {name}: expected {want!r}, got {got!r}")
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(result.report.skipped_by_reason().items()))
        private = ", ".join(result.report.never_imported)
        print(f"  report: skipped {skipped or 'nothing'}; never imported: {private}")
    print(f"\nTOTAL {passed}/{total} checks agree ({100 * passed / total:.1f}%)")
    return 0 if passed == total else 1


def _comparable(result: Any, top_folder: str) -> str:
    data = result.to_dict()
    data.pop("report")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Paths inside the ZIP carry the export's top folder; compare without it.
    return text.replace(f'"{top_folder}/', '"')


def scale(following: int, posts: int, watched: int) -> int:
    """Parse time and peak memory of a synthetic layout-C export, zipped (parsing only: nothing stored)."""
    import resource
    import tracemalloc

    django_setup()
    from haven.imports.parsing import parse_export

    caption = "Sunday sourdough 🍞 今天的酸种面包 #sourdough #酸种面包 #homebaker " * 4
    video = "https://www.tiktokv.com/share/video/7{:018d}/"
    stamp = "2025-01-01 00:00:00"
    people = [{"Date": stamp, "UserName": f"user.{i}"} for i in range(following)]
    fans = [{"Date": stamp, "UserName": f"fan.{i}"} for i in range(following)]
    videos = [
        {"Date": stamp, "Link": video.format(i), "WhoCanView": "Everyone", "Title": caption}
        for i in range(posts)
    ]
    likes = [{"date": stamp, "link": video.format(i)} for i in range(posts)]
    history = [{"Date": stamp, "Link": video.format(i)} for i in range(watched)]
    document = {
        "Profile And Settings": {
            "Profile Info": {"ProfileMap": {"userName": "big.account", "bioDescription": "bio"}},
            "Following": {"Following": people},
            "Follower": {"FansList": fans},
        },
        "Post": {"Posts": {"VideoList": videos}},
        "Likes and Favorites": {"Like List": {"ItemFavoriteList": likes}},
        # Never read, but decompressed and parsed with the rest of the one JSON file.
        "Your Activity": {"Watch History": {"VideoList": history}},
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "TikTok_Data.zip"
        raw = json.dumps(document, ensure_ascii=False).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("user_data_tiktok.json", raw)
        del document, people, fans, videos, likes, history
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = parse_export(path)
        elapsed = time.perf_counter() - started
        rss_grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        tracemalloc.start()
        parse_export(path)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"export: {following} following, {following} followers, {posts} posts, {posts} likes, "
            f"{watched} watched; JSON {len(raw) / 2**20:.1f} MiB, ZIP {path.stat().st_size / 2**20:.1f} MiB"
        )
        print(f"parsed: {result.counts()}")
        print(
            f"time: {elapsed:.2f} s; peak Python allocations {peak:.0f} MiB; max RSS grew {rss_grew:.0f} MiB"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("samples", nargs="?", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--scale", action="store_true", help="time a big synthetic export instead")
    parser.add_argument("--following", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--watched", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.scale:
        return scale(args.following, args.posts, args.watched)
    return evaluate(args.samples)


if __name__ == "__main__":
    raise SystemExit(main())
