"""Safe access to the files of an upload: a ZIP, an extracted folder, or one JSON/TXT file.

Nothing is extracted to disk. The listing is checked first (archive size, number of entries,
declared uncompressed sizes and compression ratios); names that could escape a folder (absolute
paths, "..", drive letters), symlinks and other special entries are left out and reported; a file
is decompressed only when a parser asks for it, and reading stops at the per-file and total limits
whatever the ZIP header claims.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from haven.imports.parsing import errors
from haven.imports.parsing.limits import MIB, ImportLimits
from haven.imports.parsing.result import LINK_IN_ARCHIVE, UNSAFE_NAME, Report

_CHUNK = 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_EOCD_SEARCH = 22 + 65535 + 20  # end record, its longest comment, the ZIP64 locator before it


@dataclass(frozen=True)
class Entry:
    path: str  # normalised: "/"-separated, relative, no "." or ".." parts
    size: int  # uncompressed, as declared (ZIP) or as on disk


def _declared_directory(target: Path) -> tuple[int, int]:
    """(entries, central directory bytes) from the ZIP's end record (ZIP64 too); (0, 0) if absent,
    in which case zipfile itself reports the archive as damaged."""
    size = target.stat().st_size
    with target.open("rb") as handle:
        handle.seek(max(0, size - _EOCD_SEARCH))
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return 0, 0
        entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
        locator = at - 20  # a ZIP64 end-record locator sits right before the end record
        zip64 = locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07"
        if zip64 and (entries == 0xFFFF or directory_bytes == 0xFFFFFFFF):
            (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
            if offset >= size:
                return 0, 0
            handle.seek(offset)
            record = handle.read(56)
            if len(record) < 56 or record[:4] != b"PK\x06\x06":
                return 0, 0
            entries, directory_bytes = struct.unpack("<QQ", record[32:48])
        return entries, directory_bytes


def safe_name(raw: str) -> str | None:
    """The normalised relative path of an archive member, or None when it could escape a folder."""
    if not raw or "\x00" in raw or any(ord(c) < 32 for c in raw):
        return None
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or ".." in parts or any(":" in p for p in parts):
        return None
    return "/".join(parts)


class ExportFiles:
    """The files of one upload, by normalised path; `read()` returns a file's bytes within the limits."""

    def __init__(self, limits: ImportLimits, report: Report) -> None:
        self.limits = limits
        self.report = report
        self.entries: dict[str, Entry] = {}
        self._zip: zipfile.ZipFile | None = None
        self._zip_infos: dict[str, zipfile.ZipInfo] = {}
        self._root: Path | None = None
        self._single: tuple[str, Path] | None = None
        self._read_total = 0

    # Opening -----------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], limits: ImportLimits, report: Report) -> ExportFiles:
        files = cls(limits, report)
        target = Path(path)
        try:
            info = target.lstat()
        except OSError as exc:
            raise errors.ImportFailed(errors.NOT_RECOGNISED, details={"reason": "missing"}) from exc
        if stat.S_ISDIR(info.st_mode):
            files._open_folder(target)
        elif stat.S_ISREG(info.st_mode):
            if info.st_size > limits.max_archive_bytes:
                raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_archive_bytes"})
            with target.open("rb") as handle:
                head = handle.read(4)
            if head in _ZIP_MAGIC:
                files._open_zip(target)
            else:
                files._single = (target.name, target)
                files.entries[target.name] = Entry(target.name, info.st_size)
        else:
            raise errors.ImportFailed(errors.NOT_RECOGNISED, details={"reason": "not_a_file"})
        return files

    def _open_zip(self, target: Path) -> None:
        # zipfile builds a ZipInfo for every central-directory record before anyone can count
        # them: check the counts the end record declares first, so a tiny archive with millions of
        # records (or a huge directory behind a small count) is refused without building them.
        entries, directory_bytes = _declared_directory(target)
        if entries > self.limits.max_entries or directory_bytes > self.limits.max_entries * 1024:
            raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_entries"})
        try:
            archive = zipfile.ZipFile(target)
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise errors.ImportFailed(errors.CORRUPT, details={"reason": "zip"}) from exc
        self._zip = archive
        if len(infos) > self.limits.max_entries:
            raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_entries"})
        declared = 0
        for info in infos:
            if info.is_dir():
                continue
            # Unix mode bits, when the ZIP was made on Unix: a file type other than "regular" (a
            # symlink, a device...) is never read. Many tools leave the type bits at 0.
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind and kind != stat.S_IFREG:
                self.report.skip("archive", LINK_IN_ARCHIVE)
                continue
            name = safe_name(info.filename)
            if name is None:
                self.report.skip("archive", UNSAFE_NAME)
                continue
            if name in self.entries:
                continue  # a repeated name: the first one wins
            declared += info.file_size
            if declared > self.limits.max_total_uncompressed_bytes:
                raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_total_uncompressed_bytes"})
            if (
                info.file_size > MIB
                and info.file_size > info.compress_size * self.limits.max_compression_ratio
            ):
                raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_compression_ratio"})
            self.entries[name] = Entry(name, info.file_size)
            self._zip_infos[name] = info

    def _open_folder(self, root: Path) -> None:
        self._root = root
        count = 0
        for folder, dirs, names in os.walk(root, followlinks=False):
            base = Path(folder)
            for name in sorted(dirs):
                if (base / name).is_symlink():
                    self.report.skip("archive", LINK_IN_ARCHIVE)
            for name in sorted(names):
                count += 1
                if count > self.limits.max_entries:
                    raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_entries"})
                full = base / name
                info = full.lstat()
                if not stat.S_ISREG(info.st_mode):
                    self.report.skip("archive", LINK_IN_ARCHIVE)
                    continue
                relative = safe_name(full.relative_to(root).as_posix())
                if relative is None:
                    self.report.skip("archive", UNSAFE_NAME)
                    continue
                self.entries[relative] = Entry(relative, info.st_size)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> ExportFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Finding -----------------------------------------------------------------------------------

    @property
    def is_single_file(self) -> bool:
        return self._single is not None

    def paths(self) -> list[str]:
        return list(self.entries)

    def by_basename(self, *names: str) -> list[str]:
        """Paths whose file name is one of `names`, compared case-insensitively, shortest path first."""
        wanted = {n.casefold() for n in names}
        found = [p for p in self.entries if p.rsplit("/", 1)[-1].casefold() in wanted]
        return sorted(found, key=lambda p: (p.count("/"), p))

    def by_suffix(self, *suffixes: str) -> list[str]:
        """Paths equal to or ending in "/<suffix>" for one of `suffixes` (case-insensitive)."""
        found = []
        for path in self.entries:
            folded = path.casefold()
            if any(folded == s.casefold() or folded.endswith("/" + s.casefold()) for s in suffixes):
                found.append(path)
        return sorted(found, key=lambda p: (p.count("/"), p))

    def resolve(self, relative: str) -> str | None:
        """An entry named by the export itself (e.g. Instagram's media "uri"), with or without the
        archive's top folder; None when absent or unsafe."""
        name = safe_name(relative)
        if name is None:
            return None
        if name in self.entries:
            return name
        matches = self.by_suffix(name)
        return matches[0] if matches else None

    # Reading -----------------------------------------------------------------------------------

    def read(self, path: str) -> bytes:
        entry = self.entries[path]
        limit = self.limits.max_entry_bytes
        if entry.size > limit:
            raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_entry_bytes"})
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in self._chunks(path):
                size += len(chunk)
                self._read_total += len(chunk)
                if size > limit:
                    raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_entry_bytes"})
                if self._read_total > self.limits.max_read_bytes:
                    raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "max_read_bytes"})
                chunks.append(chunk)
        except errors.ImportFailed:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise errors.ImportFailed(errors.CORRUPT, details={"reason": "read"}) from exc
        self.report.files_read += 1
        self.report.bytes_read += size
        return b"".join(chunks)

    def stream(self, path: str, *, limit: int) -> Iterator[bytes]:
        """The bytes of a media file of the upload (a photo, a video), in chunks of at most 1 MiB.

        Stops with import_too_large ({"limit": "media_bytes"}) past `limit`, whatever the ZIP header
        claims, and with import_corrupt on a damaged or encrypted member. Not counted in
        `max_read_bytes`, which bounds the JSON/TXT files parsed: the caller bounds how many media
        files it streams (haven.imports.media)."""
        entry = self.entries[path]
        if entry.size > limit:
            raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "media_bytes"})
        size = 0
        try:
            for chunk in self._chunks(path):
                size += len(chunk)
                if size > limit:
                    raise errors.ImportFailed(errors.TOO_LARGE, details={"limit": "media_bytes"})
                yield chunk
        except errors.ImportFailed:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise errors.ImportFailed(errors.CORRUPT, details={"reason": "read"}) from exc

    def _chunks(self, path: str) -> Iterator[bytes]:
        if self._zip is not None:
            info = self._zip_infos[path]
            if info.flag_bits & 0x1:
                raise errors.ImportFailed(errors.CORRUPT, details={"reason": "encrypted"})
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    yield chunk
            return
        if self._single is not None:
            full = self._single[1]
        else:
            assert self._root is not None
            full = self._root / path
        # O_NOFOLLOW: a file swapped for a symlink after the listing is refused, not followed.
        descriptor = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
