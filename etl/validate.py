"""Validate every CSV and report every problem, located. Writes nothing.

Row typing and vocabularies come from the pydantic models (etl/models.py); keys, duplicates and
references are checked here in plain Python while streaming, in load order, so every referenced
table is already known. A table whose header is unusable contributes no key set, and references
to it are not checked (one root problem instead of thousands of echoes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from etl.models import ID_PATTERN, MODELS, PATTERN_MESSAGES
from etl.problems import Problem
from etl.read import CsvFile, read_file, records
from etl.tables import TABLES, Table

__all__ = ["Problem", "Validated", "validate", "validate_file"]

_ID = re.compile(ID_PATTERN)


@dataclass
class Validated:
    files: dict[str, CsvFile] = field(default_factory=dict)      # by table name, load order
    problems: list[Problem] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(data_dir: Path) -> Validated:
    out = Validated()
    keys: dict[str, Optional[set[str]]] = {}
    for table in TABLES:
        f = read_file(Path(data_dir), table)
        out.files[table.name] = f
        problems, count, keyset = validate_file(f, keys)
        f.text = None            # the build reloads from f.data; don't hold two copies of a big file
        out.problems.extend(problems)
        out.row_counts[table.name] = count
        keys[table.name] = keyset
    return out


def _message(err: dict) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "literal_error":
        return f"not an allowed value (expected {ctx.get('expected')})"
    if kind == "string_pattern_mismatch":
        return PATTERN_MESSAGES.get(ctx.get("pattern"), err["msg"])
    if kind == "greater_than_equal":
        return "negative value not allowed"
    return err["msg"]


def _header(table: Table, header: list[str]) -> tuple[list[Problem], Optional[dict[str, int]]]:
    """Problems with the header, and column -> index when rows can still be read by name."""
    file, probs, index = table.file, [], {}
    for i, name in enumerate(header):
        if name in index:
            probs.append(Problem(file, 1, name, "duplicate column"))
        else:
            index[name] = i
    missing = [c for c in table.columns if c not in index]
    for c in missing:
        probs.append(Problem(file, 1, c, "missing column"))
    for name in index:
        if name not in table.columns:
            probs.append(Problem(file, 1, name, "unexpected column"))
    if not probs and tuple(header) != table.columns:
        probs.append(Problem(file, 1, "-", "columns out of order, expected: " + ",".join(table.columns)))
    usable = not missing and len(index) == len(header)
    return probs, (index if usable else None)


def validate_file(f: CsvFile, keys: dict[str, Optional[set[str]]]):
    """Return (problems, data row count, key set or None if the file is unusable)."""
    table, file = f.table, f.table.file
    problems = list(f.problems)
    if f.text is None:
        return problems, 0, None
    if f.data == b"":
        return problems + [Problem(file, 1, "-", "file is empty (expected a header line)")], 0, None
    recs = records(f.text)
    header = next(recs, None)
    if header is None or header[1] is None:
        why = "file has no header line" if header is None else f"broken header: {header[2]}"
        return problems + [Problem(file, 1, "-", why)], 0, None
    hprobs, index = _header(table, header[1])
    problems += hprobs
    if index is None:
        return problems, 0, None

    model, ncols = MODELS[table.name], len(header[1])
    seen: dict[tuple, int] = {}
    count = 0
    key_label = "+".join(table.key)
    for line, cells, err in recs:
        if err is not None:
            problems.append(Problem(file, line, "-", f"broken quoting or CSV syntax: {err}"))
            continue
        if not cells:
            continue                                   # blank line
        count += 1
        if len(cells) != ncols:
            what = "too many" if len(cells) > ncols else "too few"
            problems.append(Problem(file, line, "-", f"{what} fields: {len(cells)}, header has {ncols}"))
            continue
        row = {c: (cells[index[c]] or None) for c in table.columns}
        empty = set()
        for c in table.required:
            v = row[c]
            if v is None or not v.strip():
                empty.add(c)
                problems.append(Problem(file, line, c, "required value is empty", v))
        try:
            obj = model.model_validate(row)
        except ValidationError as e:
            for er in e.errors(include_url=False):
                col = str(er["loc"][0]) if er["loc"] else "-"
                if col not in empty:
                    problems.append(Problem(file, line, col, _message(er), row.get(col)))
        else:
            for col, msg in obj.checks():
                problems.append(Problem(file, line, col, msg, row.get(col)))
        key = tuple(row[c] for c in table.key)
        if all(key):
            first = seen.setdefault(key, line)
            if first != line:
                problems.append(Problem(file, line, key_label, f"duplicate key (first at line {first})",
                                        ",".join(key)))
        for ref in table.refs:
            v, target = row[ref.column], keys.get(ref.table)
            if v and target is not None and v not in target and _ID.match(v):
                problems.append(Problem(file, line, ref.column, f"unknown {ref.table} id", v))
    if table.rows_required and count == 0:
        problems.append(Problem(file, 1, "-", "no data rows (header only)"))
    keyset = {k[0] for k in seen} if len(table.key) == 1 else None
    return problems, count, keyset
