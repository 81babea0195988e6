"""Privacy canaries: nothing from messages, logins, IPs, devices, searches, watch/share history,
contact details, addresses, birth dates or deleted posts reaches the parse result, in any layout."""

from __future__ import annotations

import json

import pytest

from haven.imports.parsing import parse_export
from haven.imports.tests import builders as b


def _exports(tmp_path):
    yield "tiktok a", b.write_json(tmp_path / "user_data.json", b.tiktok_a())
    yield "tiktok b", b.write_zip(tmp_path / "b.zip", {"user_data_tiktok.json": b.tiktok_b()})
    yield "tiktok c", b.write_json(tmp_path / "user_data_tiktok.json", b.tiktok_c())
    yield "tiktok txt", b.write_zip(tmp_path / "txt.zip", b.TXT_FILES)
    yield "instagram 2022", b.write_folder(tmp_path / "ig2022", b.instagram_files("2022"))
    yield "instagram 2025", b.write_zip(tmp_path / "ig2025.zip", b.instagram_files("2025"), top="ig/")


def test_no_canary_appears_anywhere_in_any_result(tmp_path):
    seen = 0
    for label, path in _exports(tmp_path):
        result = parse_export(path)
        text = json.dumps(result.to_dict(), ensure_ascii=False) + repr(result)
        leaked = [canary for canary in b.CANARIES if canary in text]
        assert not leaked, f"{label}: {leaked}"
        assert result.report.never_imported, label
        seen += 1
    assert seen == 6


@pytest.mark.parametrize("canary", ["CANARY-DM-1", "CANARY-SEARCH-1", "198.51.100.77"])
def test_the_canary_check_can_fail(tmp_path, canary):
    """The same planted strings, moved into a field that is imported, are found by the check."""
    document = b.tiktok_c()
    document["Post"]["Posts"]["VideoList"][0]["Title"] = f"caption {canary}"
    result = parse_export(b.write_json(tmp_path / "user_data_tiktok.json", document))
    assert canary in json.dumps(result.to_dict(), ensure_ascii=False)
