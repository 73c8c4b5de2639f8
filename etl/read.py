"""Read one CSV: exact bytes (hashed, later loaded), strict UTF-8, records with physical lines.

The bytes read here are the bytes that get hashed, validated and loaded, so a curator saving a
file mid-build cannot make the database disagree with build_info: one pass hashes them, copies
them to a private snapshot (the file DuckDB stages, etl/stage.py) and notes what the staging
needs to know (line and quote counts, and anything that is not plain UTF-8 CSV). A small file is
also kept in memory for the row models.
"""
from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from etl.problems import Problem
from etl.tables import Table

MAX_ENCODING_REPORTS = 100   # per file; each bad byte is one problem up to this many
KEEP_BYTES = 16 << 20        # files up to this size stay in memory too
CHUNK = 8 << 20
HEAD_BYTES = 1 << 16         # the header line is looked for in the first 64 KiB


@dataclass
class Scan:
    """What the one pass over a file's bytes saw."""
    size: int = 0
    newlines: int = 0
    utf8: bool = True          # decodes as strict UTF-8
    nul: bool = False
    cr: bool = False
    head: bytes = b""          # the first HEAD_BYTES bytes
    tail: bytes = b""          # the last bytes read

    @property
    def clean(self) -> bool:
        """Nothing for decode() to report: strict UTF-8, no byte-order mark, no NUL."""
        return self.utf8 and not self.nul and not self.head.startswith(codecs.BOM_UTF8)

    @property
    def trailing_blank_lines(self) -> int:
        stripped = self.tail.rstrip(b"\n")
        return max(len(self.tail) - len(stripped) - 1, 0) if len(stripped) else 0


@dataclass
class CsvFile:
    table: Table
    path: Path
    data_held: Optional[bytes]         # the bytes, when small enough to keep
    sha256: Optional[str]              # None when the file is missing or unreadable
    problems: list[Problem] = field(default_factory=list)
    snapshot: Optional[Path] = None    # private copy of exactly the hashed bytes
    scan: Optional[Scan] = None

    @property
    def data(self) -> Optional[bytes]:
        if self.data_held is not None or self.sha256 is None:
            return self.data_held
        return self.snapshot.read_bytes()

    @property
    def text(self) -> Optional[str]:
        """Decoded text (bad bytes replaced), None if no data. Decodes on every call."""
        data = self.data
        return None if data is None else decode(self.table.file, data)[0]


def read_file(data_dir: Path, table: Table, snapshot_dir: Optional[Path] = None) -> CsvFile:
    path = Path(data_dir) / table.file
    snap = Path(snapshot_dir) / table.file if snapshot_dir is not None else None
    try:
        sha, scan, held = _copy_scan(path, snap)
    except FileNotFoundError:
        return CsvFile(table, path, None, None, [Problem(table.file, 1, "-", "file is missing")])
    except OSError as e:
        if snap is not None and e.filename == str(snap):
            raise                          # our own disk, not the input: the build fails (exit 4)
        msg = f"cannot read file: {e.strerror or e}"
        return CsvFile(table, path, None, None, [Problem(table.file, 1, "-", msg)])
    f = CsvFile(table, path, held, sha, [], snap, scan)
    if not scan.clean:
        f.problems = decode(table.file, f.data)[1]
    return f


def decode(file: str, data: bytes) -> tuple[str, list[Problem]]:
    """Strict UTF-8; every bad byte is reported at its line. Text continues with U+FFFD."""
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        problems.append(Problem(file, 1, "-", "starts with a UTF-8 byte-order mark (save without BOM)"))
        data = data[len(codecs.BOM_UTF8):]
    # NUL is valid UTF-8 and Python's csv (3.11+) accepts it, but it is never meant in a CSV cell.
    at = data.find(b"\0")
    while at != -1 and len(problems) < MAX_ENCODING_REPORTS:
        problems.append(Problem(file, data.count(b"\n", 0, at) + 1, "-", "NUL byte in file"))
        at = data.find(b"\0", at + 1)
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError:
        pass
    pos = 0
    while pos < len(data) and len(problems) < MAX_ENCODING_REPORTS:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            at = pos + e.start
            line = data.count(b"\n", 0, at) + 1
            problems.append(Problem(file, line, "-", "not valid UTF-8", data[at:pos + e.end]))
            pos += e.end
    return data.decode("utf-8", errors="replace"), problems


def _lines(text: str) -> Iterator[str]:
    """Lines with their endings, lazily: io.StringIO would copy the text at 4 bytes a character."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n", pos)
        end = n if end == -1 else end + 1
        yield text[pos:end]
        pos = end


def records(text: str) -> Iterator[tuple[int, Optional[list[str]], Optional[str]]]:
    """Yield (first physical line of the record, cells, None) or (line, None, csv error).

    line_num counts physical lines, so a quoted newline moves the next record's start down.
    Blank lines come through as [] and keep the count right.
    """
    reader = csv.reader(_lines(text), strict=True)
    prev = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield prev + 1, None, str(e)
            if reader.line_num == prev:   # no progress: stop rather than loop
                return
            prev = reader.line_num
            continue
        yield prev + 1, row, None
        prev = reader.line_num


class Records:
    """The data records after a header (an iterator from records()): yields (line, cells) for
    each record with the header's field count; broken syntax and wrong field counts become
    located problems, blank lines are skipped, and every non-blank record is counted."""

    def __init__(self, file: str, ncols: int):
        self.file, self.ncols = file, ncols
        self.problems: list[Problem] = []
        self.count = 0

    def __call__(self, recs) -> Iterator[tuple[int, list[str]]]:
        for line, cells, err in recs:
            if err is not None:
                self.problems.append(Problem(self.file, line, "-", f"broken quoting or CSV syntax: {err}"))
                continue
            if not cells:
                continue                                   # blank line
            self.count += 1
            if len(cells) != self.ncols:
                what = "too many" if len(cells) > self.ncols else "too few"
                self.problems.append(Problem(self.file, line, "-",
                                             f"{what} fields: {len(cells)}, header has {self.ncols}"))
                continue
            yield line, cells


def _copy_scan(path: Path, snap: Optional[Path]) -> tuple[str, Scan, Optional[bytes]]:
    """Copy `path` to the private snapshot (in the kernel: copy_file_range), then hash and
    scan the snapshot's bytes, the ones DuckDB will read; without a snapshot, the file itself
    (held in memory)."""
    source = path
    if snap is not None:
        _copy(path, snap)
        source = snap
    h, scan, kept = hashlib.sha256(), Scan(), []
    utf8 = codecs.getincrementaldecoder("utf-8")()
    with open(source, "rb") as src:
        while chunk := src.read(CHUNK):
            h.update(chunk)
            if scan.size < KEEP_BYTES or snap is None:
                kept.append(chunk)
            if len(scan.head) < HEAD_BYTES:
                scan.head += chunk[:HEAD_BYTES - len(scan.head)]
            scan.size += len(chunk)
            scan.newlines += chunk.count(b"\n")
            scan.nul = scan.nul or b"\0" in chunk
            scan.cr = scan.cr or b"\r" in chunk
            if scan.utf8 and not (chunk.isascii() and not utf8.getstate()[0]):
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    scan.utf8 = False
            scan.tail = (scan.tail + chunk[-4096:])[-4096:]
    if scan.utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8 = False
    held = b"".join(kept) if (snap is None or scan.size <= KEEP_BYTES) else None
    return h.hexdigest(), scan, held


def _copy(path: Path, snap: Path) -> None:
    """The file's bytes into `snap` (an OSError about `snap` is the build's disk, not the input)."""
    with open(path, "rb") as src:
        try:
            dst = open(snap, "wb")
        except OSError as e:
            e.filename = str(snap)
            raise
        with dst:
            try:
                left = os.fstat(src.fileno()).st_size
                while left > 0:
                    done = os.copy_file_range(src.fileno(), dst.fileno(), left)
                    if done == 0:
                        break
                    left -= done
                while chunk := src.read(CHUNK):      # grown since the stat, or copy_file_range ended early
                    dst.write(chunk)
            except OSError as e:
                if e.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                    e.filename = e.filename or str(snap)
                    raise
                src.seek(0)
                dst.seek(0)
                dst.truncate()
                shutil.copyfileobj(src, dst, CHUNK)
