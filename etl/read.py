"""Read one CSV: exact bytes (hashed, later loaded), strict UTF-8, records with physical lines.

The bytes read here are the bytes that get hashed, validated and loaded, so a curator saving a
file mid-build cannot make the database disagree with build_info.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from etl.problems import Problem
from etl.tables import Table

MAX_ENCODING_REPORTS = 100   # per file; each bad byte is one problem up to this many


@dataclass
class CsvFile:
    table: Table
    path: Path
    data: Optional[bytes]              # None when the file is missing or unreadable
    sha256: Optional[str]
    text: Optional[str]                # decoded text (bad bytes replaced), None if no data
    problems: list[Problem] = field(default_factory=list)


def read_file(data_dir: Path, table: Table) -> CsvFile:
    path = Path(data_dir) / table.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return CsvFile(table, path, None, None, None, [Problem(table.file, 1, "-", "file is missing")])
    except OSError as e:
        msg = f"cannot read file: {e.strerror or e}"
        return CsvFile(table, path, None, None, None, [Problem(table.file, 1, "-", msg)])
    sha = hashlib.sha256(data).hexdigest()
    text, problems = decode(table.file, data)
    return CsvFile(table, path, data, sha, text, problems)


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
