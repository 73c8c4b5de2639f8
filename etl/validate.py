"""Validate every CSV and report every problem, located. Writes nothing.

Row typing comes from the pydantic models (etl/models.py); keys, duplicates and references are
checked here in plain Python while streaming, in load order, so every referenced table is
already known. Vocabularies are reference tables (data/grades.csv, stages.csv, ...): their rows
are kept, a reference to them may be limited to the terms flagged for the table (`Ref.where`),
and their facts reach the models' rules as a Vocab. A table whose header is unusable
contributes no key set, and references to it are not checked (one root problem instead of
thousands of echoes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from etl.models import ID_PATTERN, MODELS, PATTERN_MESSAGES, Vocab
from etl.problems import Problem
from etl.read import CsvFile, read_file, records
from etl.tables import TABLES, Ref, Table

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
    kept: dict[str, dict[str, dict]] = {}
    for table in TABLES:
        f = read_file(Path(data_dir), table)
        out.files[table.name] = f
        problems, count, keyset = validate_file(f, keys, kept)
        if table.name == "sources":
            problems += relay_problems(kept)
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


def vocab(kept: dict[str, dict[str, dict]]) -> Vocab:
    """The reference tables' facts that curated rows' rules need."""
    def rows(name):
        return kept.get(name, {}).values()
    return Vocab(bound_has_value={r["bound"]: r["has_value"] == "true" for r in rows("bounds")},
                 spec_metrics={r["metric"]: (r["unit"], r["sparsity_rule"]) for r in rows("spec_metrics")},
                 term_units={r["metric"]: r["unit"] for r in rows("term_metrics")})


VOCABULARIES = {t.name for t in TABLES if t.vocabulary}
WHY_NOT = {"read": "cites a source that was not read (an original known only second-hand): "
                   "cite the source that relays it"}


def _targets(ref: Ref, keys: dict, kept: dict) -> tuple[Optional[set[str]], Optional[set[str]]]:
    """(every key of the target, the keys this reference may use), None when unknown."""
    every = keys.get(ref.table)
    if every is None or ref.where is None:
        return every, every
    if ref.table not in kept:
        return every, None
    return every, {k for k, r in kept[ref.table].items() if r.get(ref.where) == "true"}


def _ref_problem(ref: Ref, v: str, every: set[str], allowed: set[str], kept: dict) -> Optional[str]:
    if v in allowed or v in ref.also:
        return None
    if v in every:
        return WHY_NOT.get(ref.where, f"not allowed here ({ref.table} row has {ref.where} = false)")
    if ref.table in VOCABULARIES:  # say what is allowed, in the table's own order
        names = [k for k in kept[ref.table] if k in allowed] + list(ref.also)
        quoted = [f"'{n}'" for n in names]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"not an allowed value (expected {listed})"
    return f"unknown {ref.table} id" if _ID.match(v) else None


def relay_problems(kept: dict[str, dict[str, dict]]) -> list[Problem]:
    """Second-hand sourcing (design.md rule 8): `relays` names an unread original, and the
    reading row's grade is never better than the original's (grade order: data/grades.csv)."""
    sources, order = kept.get("sources", {}), {g: int(r["grade_order"]) for g, r in kept.get("grades", {}).items()
                                                if r["grade_order"].isdigit()}
    out = []
    for sid, row in sources.items():
        original = sources.get(row["relays"]) if row["relays"] else None
        if row["relays"] and original is None:
            out.append(Problem("sources.csv", row["_line"], "relays", "unknown sources id", row["relays"]))
        elif original is not None and original["read"] == "true":
            out.append(Problem("sources.csv", row["_line"], "relays",
                               "relays a source that was read: cite that source directly", row["relays"]))
        elif original is not None and order.get(row["grade"], 0) < order.get(original["grade"], 0):
            out.append(Problem("sources.csv", row["_line"], "grade",
                               f"better than the original's grade {original['grade']} ({row['relays']}): "
                               "a relayed report is never graded above the weaker of the two", row["grade"]))
    return out


def validate_file(f: CsvFile, keys: dict[str, Optional[set[str]]], kept: dict | None = None):
    """Return (problems, data row count, key set or None if the file is unusable). Rows of a
    reference table are added to `kept` (key -> row)."""
    kept = {} if kept is None else kept
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
    rules, targets = vocab(kept), {ref: _targets(ref, keys, kept) for ref in table.refs}
    keep: Optional[dict[str, dict]] = {} if table.reference and len(table.key) == 1 else None
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
            for col, msg in obj.checks(rules):
                problems.append(Problem(file, line, col, msg, row.get(col)))
        key = tuple(row[c] for c in table.key)
        if all(key):
            first = seen.setdefault(key, line)
            if first != line:
                problems.append(Problem(file, line, key_label, f"duplicate key (first at line {first})",
                                        ",".join(key)))
        if keep is not None and row[table.key[0]]:
            keep.setdefault(row[table.key[0]], {**row, "_line": line})
        for ref in table.refs:
            v, (every, allowed) = row[ref.column], targets[ref]
            if v and every is not None and allowed is not None and ref.column not in empty:
                if why := _ref_problem(ref, v, every, allowed, kept):
                    problems.append(Problem(file, line, ref.column, why, v))
    if table.rows_required and count == 0:
        problems.append(Problem(file, 1, "-", "no data rows (header only)"))
    keyset = {k[0] for k in seen} if len(table.key) == 1 else None
    if keep is not None:
        kept[table.name] = keep
    return problems, count, keyset
