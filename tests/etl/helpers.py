"""Helpers for the ETL tests: the fixture dataset, the CLI as a process, CSV cell edits."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_etl(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    if "H200_ETL_PAUSE_AT" not in (env or {}):
        full_env.pop("H200_ETL_PAUSE_AT", None)   # never inherit a pause from the caller
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def line_of(path: Path, first_cell: str) -> int:
    """Physical line of the record whose first cell is first_cell (fixture rows are one line)."""
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if next(csv.reader([line]))[0] == first_cell:
            return n
    raise KeyError(first_cell)


def set_cell(path: Path, first_cell: str, column: str, value: str) -> int:
    """Rewrite one cell of a one-line record; return the record's line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    n = line_of(path, first_cell)
    cells = next(csv.reader([lines[n - 1]]))
    cells[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    lines[n - 1] = buf.getvalue()
    Path(path).write_text("".join(lines), encoding="utf-8")
    return n




def cell_of(path: Path, first_cell: str, column: str) -> str:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    return next(csv.reader([lines[line_of(path, first_cell) - 1]]))[header.index(column)]


def log_revision(data_dir: Path, table: str, row_id: str, field: str, old: str, new: str,
                 action: str = "revised", revision_id: str | None = None,
                 revised_on: str = "2026-12-01", reason: str = "test revision") -> int:
    """Append one row to revisions.csv; return its line."""
    path = Path(data_dir) / "revisions.csv"
    text = path.read_text(encoding="utf-8")
    rid = revision_id or f"t{len(text.splitlines()):03d}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        [rid, revised_on, action, table, row_id, field, old, new, reason, ""])
    path.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(), encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


def revise(data_dir: Path, table: str, row_id: str, column: str, value: str, **kw) -> int:
    """Change one cell the way a curator must: the cell, and its revision in revisions.csv."""
    path = Path(data_dir) / f"{table}.csv"
    old = cell_of(path, row_id, column)
    n = set_cell(path, row_id, column, value)
    log_revision(data_dir, table, row_id, column, old, value, **kw)
    return n
