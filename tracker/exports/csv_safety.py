"""CSV downloads that are safe to open in a spreadsheet, and file names that are never a path.

defusedcsv was tried and rejected: it leaves cells starting with tab or CR alone and rewrites
'|' inside text, so the neutralising rule (prefix ' to = + - @ tab CR) is kept here, in one place.
Every CSV the app hands out (chart and table downloads, the bundle, the SQL explorer) is written
by to_csv_bytes.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import BinaryIO, Iterable

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of exactly these rows and columns; text cells and column names (user SQL
    chooses those: SELECT 1 AS "=cmd()") neutralised. Positional, so duplicate names work."""
    return _csv_text(frame, header=True).encode("utf-8")


def write_csv(frames: Iterable[pd.DataFrame], out: BinaryIO) -> int:
    """The same CSV as to_csv_bytes of all the frames concatenated, written batch by batch into
    `out` (the header once, from the first frame), so a million rows never sit in memory as one
    frame; returns the rows written. No frame at all writes nothing."""
    rows = 0
    for i, frame in enumerate(frames):
        out.write(_csv_text(frame, header=i == 0).encode("utf-8"))
        rows += len(frame)
    return rows


def _csv_text(frame: pd.DataFrame, header: bool) -> str:
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if pd.api.types.is_string_dtype(col) or col.dtype == object:
            # object columns may hold lists or structs: write their text form, neutralised
            out.isetitem(i, col.map(lambda v: neutralise(v if isinstance(v, str) else str(v)),
                                    na_action="ignore"))
    # CRLF rows: the csv module quotes any cell holding CR or LF only when both are line
    # terminator characters, so a bare CR inside a cell cannot start a new (unneutralised) row.
    return out.to_csv(index=False, header=header, lineterminator="\r\n", date_format="%Y-%m-%d")


def safe_filename(*parts: str, ext: str = "csv") -> str:
    """A file name made only of [a-z0-9_-], from the view name and its filters."""
    words = [re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts if p]
    stem = "_".join(w for w in words if w)[:120].strip("_-") or "export"
    return f"{stem}.{ext}"


def stamped_filename(stem: str, now: datetime | None = None, ext: str = "csv") -> str:
    """safe_filename's rules plus the time: e.g. explorer_20261128-1530.csv; a stem with
    nothing usable left becomes "export"."""
    stem = safe_filename(stem[:60], ext="x")[:-2]
    return safe_filename(stem, (now or datetime.now()).strftime("%Y%m%d-%H%M"), ext=ext)
