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


