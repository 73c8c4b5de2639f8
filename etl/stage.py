"""Staging: the CSV snapshots in a DuckDB scratch database, read the way Python's csv reads them.

The files read are the private snapshots etl/read.py hashed, so the rows checked and loaded are
the bytes in build_info. Python's csv module is the reference reader (the row models' reader,
etl/read.py records(), which says where a record starts); DuckDB's reader is used where it
provably reads the same records:

- source(): a FROM item over DuckDB's read_csv (every cell VARCHAR, empty cells NULL), for a
  file that is plain UTF-8 with LF line ends and no NUL, whose header line has no quote, whose
  lines are all records as Python's csv writer writes them (each field quoted whole or without
  any quote, the header's field count; a quoted field may span lines), with no field longer
  than Python's field limit and blank lines only at the end. Checked on the raw lines by
  DuckDB (a second read as one column per line), so a space after a closing quote, a trailing
  comma or a quote after a space, which DuckDB's reader takes differently, send the file to
  Python's reader.
- load(): the rows as a table with their physical line, view v_<table> (_line, then the
  header's columns): DuckDB's read when source() allows it (row k starts on line 2 + k plus the
  newlines inside the cells of the rows before it), else Python's reader, every structural
  problem located exactly as the row validator reports it, and its sound records written with
  their line to a canonical quote-all CSV that DuckDB loads.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import duckdb

from etl.problems import Problem
from etl.read import CHUNK, CsvFile, Records, records

FIELD_LIMIT = csv.field_size_limit()   # Python's reader refuses longer cells
# 2GB: the one-pass load of 10M rows needs about 1.1 GB; under a 1GB limit it thrashed (22 s ->
# 40-58 s for its INSERT), while peak RSS stayed 0.9-1.1 GB either way (benchmarks/bench_etl.py).
MEMORY_LIMIT = os.environ.get("H200_ETL_MEMORY_LIMIT", "2GB")

# One field as Python's csv writes it (quoted whole with quotes doubled, or without any quote);
# a record is fields joined by commas.
_F = '"(?:[^"]|"")*"|[^,"\\n]*'


def record(ncols: int) -> str:
    """RE2: exactly ncols such fields joined by commas (a field's end is never ambiguous, so
    one match says both that the line is well formed and that it has ncols fields)."""
    return f"(?:{_F})(?:,(?:{_F})){{{ncols - 1}}}"


COUNT = "strlen({{0}}) - strlen(replace({{0}}, {0}, ''))"   # occurrences of a character
QUOTE, NEWLINE = "'\"'", "chr(10)"


def q(name: str) -> str:
    """A quoted SQL identifier (names come from etl/tables.py and checked headers)."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def view(table: str) -> str:
    return q(f"v_{table}")


def _unsound(ncols: int) -> str:
    """SQL: `line` is not one record of ncols fields written as Python's csv reads it
    (parameter: record(ncols)). A line without quotes is miscounted by DuckDB's strict reader
    only when it ends with a comma (an empty extra field it drops); any other wrong field count
    there is an error that sends the file to Python's reader. Branches of one CASE, not an AND:
    DuckDB computes both sides of an AND here, and the comma count (a replace() per line) cost
    a 10M-row file about 0.8 s when only lines ending with a comma need it."""
    return (f"CASE WHEN contains(line, '\"') THEN NOT regexp_full_match(line, ?) "
            f"WHEN contains(line, chr(10)) THEN TRUE "
            f"WHEN ends_with(line, ',') THEN strlen(line) - strlen(replace(line, ',', '')) <> {ncols - 1} "
            f"ELSE FALSE END")


@dataclass(frozen=True)
class Lines:
    total: int           # physical lines
    blank: int           # blank lines (all at the end)
    records: int         # data records (the header not counted)


@dataclass
class Staged:
    table: str
    columns: tuple[str, ...]           # the header's columns, in file order
    count: int                         # non-blank records (rows with a wrong field count too)
    problems: list[Problem] = field(default_factory=list)   # structural, in line order
    python: bool = False               # read by Python's reader


class Stage:
    """The scratch database of one check or build: <work>/stage.duckdb, spilling to <work>,
    with the input snapshots in <work>/inputs."""

    def __init__(self, work: Optional[Path] = None):
        self._tmp = None
        if work is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="h200-etl-")
            work = Path(self._tmp.name)
        self.dir = Path(work)
        self.dir.mkdir(exist_ok=True)
        self.snapshots = self.dir / "inputs"
        self.snapshots.mkdir(exist_ok=True)
        self.con = duckdb.connect(str(self.dir / "stage.duckdb"), config={
            "memory_limit": MEMORY_LIMIT, "temp_directory": str(self.dir / "spill"),
            "preserve_insertion_order": True, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False})
        self.catalog = self.con.execute("SELECT current_database()").fetchone()[0]
        self.staged: dict[str, Staged] = {}
        self.lines: dict[str, tuple[str, Optional[Lines]]] = {}   # table -> (sha256, lines)
        self.headers: dict[str, tuple[str, ...]] = {}              # table -> header read by source()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        if self._tmp is not None:
            self._tmp.cleanup()
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def sql(self, statement: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(statement, params or []).fetchall()

    def source(self, f: CsvFile, header: list[str], types: Optional[dict[str, str]] = None) -> Optional[str]:
        """A FROM item reading f's snapshot with DuckDB's reader (cells VARCHAR, or `types`,
        no line numbers), when that read is provably Python csv's (module docstring); else
        None. Typed only for cells already validated: the load reads them as the schema's
        types directly."""
        scan = f.scan
        if f.snapshot is None or scan is None or not scan.clean or scan.cr:
            return None
        first, newline, _ = scan.head.partition(b"\n")
        if b'"' in first or (not newline and scan.size > len(scan.head)):
            return None
        if self.lines.get(f.table.name, (None,))[0] != f.sha256:
            self.lines[f.table.name] = (f.sha256, self._sound_lines(f, len(header)))
        if self.lines[f.table.name][1] is None:
            return None
        columns = {c: (types or {}).get(c, "VARCHAR") for c in header}
        if len(columns) != len(header):                  # a repeated name: Python's reader says where
            return None
        self.headers[f.table.name] = tuple(header)
        kind = "typed" if types else "text"
        return (f"read_csv({self._path(f)}, header = true, "
                f"auto_detect = false, columns = {self._bind(f'columns_{f.table.name}_{kind}', columns)}, "
                "delim = ',', quote = '\"', escape = '\"', new_line = '\\n', strict_mode = true, "
                "null_padding = false)")

    def _path(self, f: CsvFile) -> str:
        return self._bind(f"path_{f.table.name}", str(f.snapshot))

    def _bind(self, name: str, value: object) -> str:
        """SQL that reads `value`, bound as a parameter into a session variable: the FROM items
        built here are reused in statements that take no parameters (CREATE TABLE AS, INSERT ...
        SELECT, the witness scan), so a path or a header name never enters SQL text."""
        self.sql(f"SET VARIABLE {q(name)} = ?", [value])
        return f"getvariable({lit(name)})"

    def records_in_lines(self, table: str) -> Optional[int]:
        """How many data records the raw lines hold (None if they are not sound)."""
        lines = self.lines.get(table, (None, None))[1]
        return None if lines is None else lines.records

    def find(self, f: CsvFile, header: list[str], keys: list[tuple[str, ...]]
             ) -> Optional[tuple[dict[tuple[str, ...], tuple[int, list[str]]], bool]]:
        """The first record of each key (its leading cells), with its line, found in the raw
        bytes without staging the table, and whether a key not found is surely absent (a
        single-column key and no line starting with a quote): for a DuckDB-read file whose
        records are one line each and whose header starts with the key columns. None when that
        does not apply."""
        lines = self.lines.get(f.table.name, (None, None))[1]
        width = len(keys[0]) if keys else 0
        if (lines is None or lines.records != lines.total - lines.blank - 1 or not keys
                or tuple(header[:width]) != f.table.key or len(keys) > 64):
            return None
        patterns = {b"\n" + ",".join(k).encode() + b",": k for k in keys}
        keep = max(map(len, patterns)) - 1
        at: dict[tuple, int] = {}                 # key -> offset of the newline before its record
        with open(f.snapshot, "rb") as fh:
            carry, start, quoted = b"", 0, False      # start: the file offset of buf[0]
            while chunk := fh.read(CHUNK):
                buf = carry + chunk
                quoted = quoted or b'\n"' in buf
                for pattern, key in patterns.items():
                    if key not in at and (i := buf.find(pattern)) >= 0:
                        at[key] = start + i
                if len(at) == len(patterns):  # every key's first record found: the rest
                    break                     # cannot change it (and `quoted` is moot)
                cut = max(len(buf) - keep, 0)
                carry, start = buf[cut:], start + cut
            found, line, done = {}, 1, 0              # newlines counted only up to the last match
            for key, offset in sorted(at.items(), key=lambda kv: kv[1]):
                fh.seek(done)
                while done <= offset:
                    part = fh.read(min(CHUNK, offset + 1 - done))
                    line, done = line + part.count(b"\n"), done + len(part)
                cells = next(csv.reader([fh.readline().decode("utf-8").rstrip("\n")], strict=True))
                if tuple(cells[:width]) == key and len(cells) == len(header):
                    found[key] = (line, cells)
                line, done = line + 1, fh.tell()       # past the record's own newline
        return found, width == 1 and not quoted

    def load(self, f: CsvFile, header: list[str]) -> Staged:
        """Stage f's rows with their lines (its header already checked usable)."""
        name = f.table.name
        self.sql(f"DROP VIEW IF EXISTS {view(name)}")
        for prefix in ("s", "l"):
            self.sql(f"DROP TABLE IF EXISTS {q(prefix + '_' + name)}")
        src = self.source(f, header)
        staged = self._duckdb(f, header, src) if src is not None else None
        if staged is None:
            staged = self._python(f, header)
        self.staged[name] = staged
        return staged

    def _duckdb(self, f: CsvFile, header: list[str], src: str) -> Optional[Staged]:
        name, s, lines = f.table.name, q(f"s_{f.table.name}"), self.lines[f.table.name][1]
        try:
            self.sql(f"CREATE TABLE {s} AS SELECT * FROM {src}")
        except duckdb.Error:
            self.sql(f"DROP TABLE IF EXISTS {s}")
            return None
        newlines = " + ".join(f"coalesce({COUNT.format(NEWLINE).format(q(c))}, 0)" for c in header)
        n, inside = self.sql(f"SELECT count(*), coalesce(sum({newlines}), 0) FROM {s}")[0]
        if n + inside != lines.total - lines.blank - 1:     # DuckDB made other records
            self.sql(f"DROP TABLE {s}")
            return None
        if inside == 0:
            self.sql(f"CREATE VIEW {view(name)} AS SELECT rowid + 2 AS _line, * FROM {s}")
        else:   # rows after a cell with newlines start further down
            l_ = q(f"l_{name}")
            self.sql(f"CREATE TABLE {l_} AS SELECT rowid AS rid, 2 + rowid + coalesce(sum({newlines}) "
                     f"OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _line "
                     f"FROM {s}")
            self.sql(f"CREATE VIEW {view(name)} AS SELECT l._line, s.* FROM {s} s JOIN {l_} l "
                     "ON s.rowid = l.rid")
        return Staged(name, tuple(header), n)

    def _sound_lines(self, f: CsvFile, ncols: int) -> Optional[Lines]:
        raw = (f"read_csv({self._path(f)}, header = false, auto_detect = false, "
               f"columns = {{'line': 'VARCHAR'}}, delim = {lit(chr(31))}, quote = '', escape = '', "
               "new_line = '\\n', strict_mode = true)")
        try:
            total, blank, odd, longest = self.sql(
                f"SELECT count(*), count(*) FILTER (WHERE line IS NULL), "
                f"count(*) FILTER (WHERE line IS NOT NULL AND {_unsound(ncols)}), "
                f"coalesce(max(strlen(line)), 0) FROM {raw}", [record(ncols)])[0]
            records = total - blank - 1
            if odd:
                odd, records = self._unsound_joined(raw, ncols)
        except duckdb.Error:
            return None
        scan = f.scan
        physical = scan.newlines + (0 if scan.size == 0 or scan.tail.endswith(b"\n") else 1)
        if odd or total != physical or blank != scan.trailing_blank_lines or longest > FIELD_LIMIT:
            return None
        return Lines(total, blank, records)

    def _unsound_joined(self, raw: str, ncols: int) -> tuple[int, int]:
        """Lines joined into records by quote parity (a line ending inside a quoted field goes
        on): how many records are still not sound, and how many data records there are."""
        t = q("lines_")
        self.sql(f"CREATE OR REPLACE TEMP TABLE {t} AS SELECT line FROM {raw}")
        quotes = COUNT.format(QUOTE).format("line")
        try:
            return self.sql(
                f"WITH p AS (SELECT rowid AS i, coalesce(line, '') AS line, sum(coalesce({quotes}, 0) % 2) "
                f"OVER (ORDER BY rowid) % 2 AS open FROM {t}), "
                "g AS (SELECT *, coalesce(sum(CASE WHEN open = 0 THEN 1 END) OVER (ORDER BY i ROWS BETWEEN "
                "UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rec FROM p), "
                "r AS (SELECT string_agg(line, chr(10) ORDER BY i) AS line, arg_max(open, i) AS open "
                "FROM g GROUP BY rec) "
                f"SELECT count(*) FILTER (WHERE open = 1 OR (line <> '' AND {_unsound(ncols)})), "
                "count(*) FILTER (WHERE line <> '') - 1 FROM r", [record(ncols)])[0]
        finally:
            self.sql(f"DROP TABLE {t}")

    def _python(self, f: CsvFile, header: list[str]) -> Staged:
        name = f.table.name
        recs = records(f.text)
        next(recs)                                        # the header, already checked
        shape = Records(f.table.file, len(header))
        canonical = self.dir / f"{name}.canonical.csv"
        with open(canonical, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
            for line, cells in shape(recs):
                w.writerow([line, *cells])
        columns = "{'_line': 'BIGINT', " + ", ".join(f"{lit(c)}: 'VARCHAR'" for c in header) + "}"
        s = q(f"s_{name}")
        self.sql(f"CREATE TABLE {s} AS SELECT * FROM read_csv(?, header = false, auto_detect = false, "
                 f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', new_line = '\\n', "
                 "strict_mode = true, null_padding = false)", [str(canonical)])
        canonical.unlink()
        self.sql(f"CREATE VIEW {view(name)} AS SELECT * FROM {s}")
        return Staged(name, tuple(header), shape.count, shape.problems, python=True)
