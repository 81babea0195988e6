"""Helpers shared by the TikTok and Instagram readers: lists, accounts, links and dates, all checked
and deduplicated, with every dropped row counted in the report (never its content)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from haven.imports.parsing import result as r
from haven.imports.parsing.limits import ImportLimits
from haven.imports.parsing.values import (
    BadValue,
    check_handle,
    check_link,
    clean_text,
    is_placeholder,
    parse_date,
    pick,
)

DATE_KEYS = ("Date", "date", "Timestamp", "Time", "CreateTime")
LINK_KEYS = ("Link", "link", "VideoLink", "Video Link", "url", "href")
HANDLE_KEYS = ("UserName", "user_name", "Username", "userName", "uniqueId", "Handle")


@dataclass
class Context:
    limits: ImportLimits
    report: r.Report
    # Text repair applied to every string read (Instagram's escaped UTF-8); identity for TikTok.
    fix: Callable[[str], str] = lambda text: text

    def text(self, value: Any, where: str, *, limit: int | None = None) -> str:
        if not isinstance(value, str):
            return ""
        text, cut = clean_text(self.fix(value), limit or self.limits.max_string_chars)
        if cut:
            self.report.skip(where, r.TEXT_CUT)
        return text

    def optional_text(self, value: Any, where: str, *, limit: int | None = None) -> str | None:
        if is_placeholder(value):
            return None
        return self.text(value, where, limit=limit) or None

    def date(self, value: Any, where: str) -> datetime | None:
        try:
            return parse_date(value)
        except BadValue:
            self.report.skip(where, r.BAD_DATE)
            return None

    def link(self, value: Any, where: str, hosts: Iterable[str], *, https_only: bool = False) -> str | None:
        if is_placeholder(value):
            return None
        try:
            return check_link(value, hosts, https_only=https_only)
        except BadValue:
            self.report.skip(where, r.BAD_LINK)
            return None

    def rows(self, value: Any, where: str, kind: str) -> list[dict[str, Any]]:
        """The dict rows of a list section, capped at max_list_items; nulls and {} read as empty."""
        if is_placeholder(value):
            self.report.skip(where, r.EMPTY_SECTION)
            return []
        if not isinstance(value, list):
            self.report.skip(where, r.BAD_ENTRY)
            return []
        self.report.saw(kind, len(value))
        rows = [row for row in value if isinstance(row, dict)]
        self.report.skip(where, r.BAD_ENTRY, len(value) - len(rows))
        cap = self.limits.max_list_items
        if len(rows) > cap:
            self.report.skip(where, r.TRUNCATED, len(rows) - cap)
            rows = rows[:cap]
        return rows

    def accounts(
        self,
        rows: Iterable[dict[str, Any]],
        where: str,
        handle_of: Callable[[dict[str, Any]], Any] | None = None,
        date_of: Callable[[dict[str, Any]], Any] | None = None,
    ) -> list[r.Account]:
        """Handles checked, deduplicated case-insensitively (first row kept: exports list newest first)."""
        seen: set[str] = set()
        accounts = []
        for row in rows:
            raw = handle_of(row) if handle_of else pick(row, *HANDLE_KEYS)
            if is_placeholder(raw):
                self.report.skip(where, r.MISSING_VALUE)
                continue
            try:
                handle = check_handle(self.fix(raw) if isinstance(raw, str) else raw)
            except BadValue:
                self.report.skip(where, r.BAD_HANDLE)
                continue
            if handle.casefold() in seen:
                self.report.skip(where, r.DUPLICATE)
                continue
            seen.add(handle.casefold())
            when = self.date(date_of(row) if date_of else pick(row, *DATE_KEYS), where)
            accounts.append(r.Account(handle=handle, since=when))
        return accounts

    def linked_items(
        self,
        rows: Iterable[dict[str, Any]],
        where: str,
        hosts: Iterable[str],
        link_of: Callable[[dict[str, Any]], Any] | None = None,
        date_of: Callable[[dict[str, Any]], Any] | None = None,
        author_of: Callable[[dict[str, Any]], Any] | None = None,
    ) -> list[r.LinkedItem]:
        hosts = tuple(hosts)
        seen: set[str] = set()
        items = []
        for row in rows:
            raw = link_of(row) if link_of else pick(row, *LINK_KEYS)
            if is_placeholder(raw):
                self.report.skip(where, r.MISSING_VALUE)
                continue
            link = self.link(raw, where, hosts)
            if link is None:
                continue
            if link in seen:
                self.report.skip(where, r.DUPLICATE)
                continue
            seen.add(link)
            author = None
            if author_of is not None:
                raw_author = author_of(row)
                try:
                    author = None if is_placeholder(raw_author) else check_handle(raw_author)
                except BadValue:
                    self.report.skip(where, r.BAD_HANDLE)
            when = self.date(date_of(row) if date_of else pick(row, *DATE_KEYS), where)
            items.append(r.LinkedItem(link=link, at=when, author=author))
        return items


def row_fingerprint(row: dict[str, Any]) -> str:
    """Exact duplicate rows (the same post twice in VideoList) share a fingerprint."""
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
