"""Hostile and broken uploads: ZIP bombs, path traversal, symlinks, too many entries, deep nesting,
oversized files and lists, damaged archives, files that are not exports. Each is refused with a
stable error code or skipped and reported, never a crash and never a read past the limits."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import zipfile

import pytest

from haven.imports.parsing import ImportFailed, ImportLimits, parse_export
from haven.imports.parsing import result as r
from haven.imports.tests import builders as b

TIKTOK = {"user_data_tiktok.json": b.tiktok_c()}


def _limits(**changes: int) -> ImportLimits:
    return dataclasses.replace(ImportLimits(), **changes)


def _code(path, **limits: int) -> tuple[str, int]:
    with pytest.raises(ImportFailed) as caught:
        parse_export(path, limits=_limits(**limits))
    return caught.value.code, caught.value.status


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("user_data_tiktok.json", b"{" + b" " * (20 * 1024 * 1024) + b"}")
    assert path.stat().st_size < 100_000
    assert _code(path) == ("import_too_large", 413)


def test_zip_bomb_is_refused_by_its_declared_total(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(5):
            archive.writestr(f"media/{index}.bin", os.urandom(1000))
    assert _code(path, max_total_uncompressed_bytes=4000) == ("import_too_large", 413)


def test_a_zip_member_that_lies_about_its_size_is_cut_at_the_limit(tmp_path):
    """The per-file limit holds while decompressing, whatever the header says."""
    path = b.write_zip(tmp_path / "export.zip", TIKTOK)
    size = len(json.dumps(b.tiktok_c()).encode())
    assert _code(path, max_entry_bytes=size // 2) == ("import_too_large", 413)
    assert _code(path, max_read_bytes=size // 2) == ("import_too_large", 413)


def test_path_traversal_and_absolute_names_are_ignored_and_reported(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../user_data_tiktok.json", json.dumps({"Profile": {}}))
        archive.writestr("/etc/user_data.json", json.dumps({"Profile": {}}))
        archive.writestr("C:/user_data.json", json.dumps({"Profile": {}}))
        archive.writestr("a/../../user_data.json", json.dumps({"Profile": {}}))
        archive.writestr("ok/user_data_tiktok.json", json.dumps(b.tiktok_c()))
    result = parse_export(path)
    assert result.profile.username == "test.baker"
    assert r.Skip("archive", r.UNSAFE_NAME, 4) in result.report.skipped


def test_only_traversal_entries_is_not_an_export(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../user_data_tiktok.json", json.dumps(b.tiktok_c()))
    assert _code(path) == ("import_not_recognised", 422)


def test_symlinks_in_a_zip_are_never_followed(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("user_data_tiktok.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert _code(path) == ("import_not_recognised", 422)


def test_symlinks_in_a_folder_are_never_followed(tmp_path):
    secret = tmp_path / "secret.json"
    b.write_json(secret, b.tiktok_c())
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "user_data_tiktok.json").symlink_to(secret)
    (folder / "linked_dir").symlink_to(tmp_path)
    assert _code(folder) == ("import_not_recognised", 422)


def test_a_symlink_as_the_upload_itself_is_refused(tmp_path):
    target = b.write_json(tmp_path / "user_data.json", b.tiktok_a())
    (tmp_path / "upload").symlink_to(target)
    assert _code(tmp_path / "upload") == ("import_not_recognised", 422)


def test_too_many_entries(tmp_path):
    files = {f"media/{i}.jpg": b"x" for i in range(30)} | TIKTOK
    assert _code(b.write_zip(tmp_path / "many.zip", files), max_entries=20) == ("import_too_large", 413)
    assert _code(b.write_folder(tmp_path / "many", files), max_entries=20) == ("import_too_large", 413)
    assert parse_export(b.write_zip(tmp_path / "ok.zip", files), limits=_limits(max_entries=31)).layout


def test_archive_too_large(tmp_path):
    path = b.write_zip(tmp_path / "export.zip", TIKTOK)
    assert _code(path, max_archive_bytes=path.stat().st_size - 1) == ("import_too_large", 413)


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deep_nesting_is_refused_before_parsing(tmp_path, depth):
    document = '{"Profile": ' + "[" * depth + "]" * depth + "}"
    path = tmp_path / "user_data.json"
    path.write_text(document)
    assert _code(path) == ("import_too_large", 413)
    zipped = b.write_zip(tmp_path / "deep.zip", {"user_data.json": document})
    assert _code(zipped) == ("import_too_large", 413)


def test_long_lists_and_texts_are_truncated_and_reported(tmp_path):
    document = b.tiktok_c()
    document["Profile And Settings"]["Following"]["Following"] = [
        {"Date": "2025-01-01 00:00:00", "UserName": f"user{i}"} for i in range(50)
    ]
    document["Post"]["Posts"]["VideoList"][0]["Title"] = "x" * 500
    path = b.write_json(tmp_path / "user_data_tiktok.json", document)
    result = parse_export(path, limits=_limits(max_list_items=10, max_string_chars=100))
    assert len(result.following) == 10
    assert r.Skip("Profile And Settings > Following", r.TRUNCATED, 40) in result.report.skipped
    assert len(result.posts[0].caption) == 100
    assert r.Skip("posts", r.TEXT_CUT, 1) in result.report.skipped


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 this is not really a zip", b"PK\x05\x06" + b"\x00" * 5],
)
def test_damaged_zip(tmp_path, content):
    path = tmp_path / "broken.zip"
    path.write_bytes(content)
    assert _code(path) == ("import_corrupt", 422)


def test_truncated_zip_member(tmp_path):
    path = b.write_zip(tmp_path / "export.zip", TIKTOK)
    data = bytearray(path.read_bytes())
    # Corrupt the compressed stream (after the local header), keep the central directory.
    for index in range(60, 400):
        data[index] ^= 0x55
    path.write_bytes(bytes(data))
    assert _code(path)[0] in {"import_corrupt"}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("user_data.json", b'{"Profile": {'),
        ("user_data.json", b"\xff\xfe{}"),
        ("user_data.json", b'{"Activity": ' + b"9" * 5000 + b"}"),
    ],
)
def test_broken_json(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert _code(path) == ("import_corrupt", 422)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0JFIF"),
        ("notes.txt", b"hello"),
        ("data.json", b'{"something": "else"}'),
        ("data.json", b"[1, 2, 3]"),
        ("empty.json", b""),
    ],
)
def test_files_that_are_not_exports(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert _code(path) == ("import_not_recognised", 422)


def test_missing_path_and_empty_folder(tmp_path):
    assert _code(tmp_path / "nope.zip") == ("import_not_recognised", 422)
    (tmp_path / "empty").mkdir()
    assert _code(tmp_path / "empty") == ("import_not_recognised", 422)


def test_error_carries_a_translatable_message_and_details(tmp_path):
    path = b.write_zip(tmp_path / "export.zip", TIKTOK)
    with pytest.raises(ImportFailed) as caught:
        parse_export(path, limits=_limits(max_entries=0 + 1, max_archive_bytes=10))
    body = caught.value.as_dict()
    assert body["code"] == "import_too_large"
    assert body["details"] == {"limit": "max_archive_bytes"}
    assert "too large" in body["message"]


def test_limits_come_from_settings(settings):
    settings.IMPORT_LIMITS = {"max_entries": 7}
    assert ImportLimits.from_settings().max_entries == 7
    settings.IMPORT_LIMITS = {"max_entrys": 7}
    with pytest.raises(Exception, match="unknown limits"):
        ImportLimits.from_settings()
    settings.IMPORT_LIMITS = {"max_entries": 0}
    with pytest.raises(Exception, match="positive integer"):
        ImportLimits.from_settings()


def test_a_zip_whose_end_record_understates_its_entries_is_still_counted(tmp_path):
    """Both checks hold: the end record's count (before zipfile reads the directory) and the listing."""
    files = {f"media/{i}.jpg": b"x" for i in range(30)} | TIKTOK
    path = b.write_zip(tmp_path / "many.zip", files)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2  # "1 entry"
    path.write_bytes(bytes(data))
    assert _code(path, max_entries=20) == ("import_too_large", 413)


def test_a_huge_central_directory_is_refused_before_it_is_read(tmp_path):
    path = b.write_zip(tmp_path / "export.zip", TIKTOK)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 12 : end + 16] = (50_000_000).to_bytes(4, "little")  # directory size
    path.write_bytes(bytes(data))
    assert _code(path) == ("import_too_large", 413)


def test_zip64_end_records_are_read(tmp_path):
    from haven.imports.parsing.archive import _declared_directory

    path = tmp_path / "z64.zip"
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        for index in range(70_000):  # more than 0xFFFF entries forces the ZIP64 end record
            archive.writestr(f"{index}", b"")
    assert _declared_directory(path)[0] == 70_000
    assert _code(path) == ("import_too_large", 413)
