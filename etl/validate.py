"""Validate every CSV and report every problem, located. Writes nothing but its scratch space.

Every file is read once (etl/read.py: hashed, copied to a private snapshot) and staged in DuckDB
(etl/stage.py). The reference tables (vocabularies, sources: small, and their rows are what the
curated rows' rules read) are validated per row with the pydantic models (etl/models.py);
keys, duplicates and references are checked here in plain Python, in load order, so every
referenced table is already known. The curated tables, which grow, are validated set-based in
DuckDB (etl/sqlcheck.py) with the same messages. Vocabularies are reference tables
(data/grades.csv, stages.csv, ...): their rows are kept, a reference to them may be limited to
the terms flagged for the table (`Ref.where`), and their facts reach the models' rules as a
Vocab. A table whose header is unusable contributes no key set, and references to it are not
checked (one root problem instead of thousands of echoes). Every problem is counted; the first
`limit` are listed.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import duckdb
from pydantic import ValidationError

from etl import sqlcheck
from etl.models import ID_PATTERN, MODELS, PATTERN_MESSAGES, Vocab
from etl.problems import REQUIRED, Problem, duplicate_key
from etl.read import CsvFile, Records, read_file, records
from etl.stage import Stage, q, view
from etl.tables import TABLES, Ref, Table

__all__ = ["Problem", "Validated", "validate", "validate_file"]

_ID = re.compile(ID_PATTERN)
LISTED = 100   # problems listed per run; every one is counted
ROW_TABLES = frozenset(t.name for t in TABLES if t.reference and len(t.key) == 1)   # pydantic per row
TARGETS: dict[str, tuple[str, ...]] = {}   # a referenced table -> the `where` flags refs to it use
for _t in TABLES:
    for _r in _t.refs:
        TARGETS[_r.table] = tuple(dict.fromkeys(TARGETS.get(_r.table, ()) + ((_r.where,) if _r.where else ())))
        assert _t.name not in ROW_TABLES or _r.table in ROW_TABLES, (_t.name, _r.table)


@dataclass
class Validated:
    files: dict[str, CsvFile] = field(default_factory=dict)      # by table name, load order
    problems: list[Problem] = field(default_factory=list)         # the first `limit` found
    row_counts: dict[str, int] = field(default_factory=dict)
    unlisted: int = 0                                             # found beyond those
    limit: int = LISTED
    stage: Optional[Stage] = None
    rows: dict[str, str] = field(default_factory=dict)   # table -> FROM item of its cells (the build's input)
    built_sha256: Optional[str] = None   # the closed <db>.tmp's, taken by build.build_database
    target: Optional[object] = None      # the build being loaded as tables are checked (etl/build.py Target)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unlisted

    @property
    def count(self) -> int:
        return len(self.problems) + self.unlisted

    def add(self, problems: list[Problem], total: Optional[int] = None) -> None:
        """Problems in report order; `total` when more were counted than given."""
        room = max(self.limit - len(self.problems), 0) if self.limit else len(problems)
        self.problems.extend(problems[:room])
        self.unlisted += (len(problems) if total is None else total) - min(room, len(problems))

    def close(self) -> None:
        """Drop the scratch space (snapshots, staged rows); the build has read what it needs.
        A build not finished (invalid inputs, an error) is deleted."""
        if self.target is not None:
            self.target.close()
        if self.stage is not None:
            self.stage.close()
            self.stage = None


def validate(data_dir: Path, work: Optional[Path] = None, limit: int = LISTED,
             target: Optional[Callable[[dict[str, CsvFile], Stage], object]] = None) -> Validated:
    """Every problem of the folder's CSVs counted, the first `limit` (0: all) listed. Scratch
    space (snapshots, the staged rows the build loads) goes to `work`, else a temp dir; the
    result holds it until close(). `target(files, stage)`, called once every file is read, may
    return the build (etl/build.py Target) to load each curated table into as it is checked."""
    out = Validated(limit=limit, stage=Stage(work))
    try:
        for table in TABLES:
            out.files[table.name] = read_file(Path(data_dir), table, out.stage.snapshots)
        if target is not None:
            out.target = target(out.files, out.stage)
        _validate_all(out)
    except BaseException:
        out.close()
        raise
    return out


def _validate_all(out: Validated) -> None:
    keys: dict[str, Optional[set[str]]] = {}
    kept: dict[str, dict[str, dict]] = {}
    known: dict[str, bool] = {}
    ctx = sqlcheck.Context(out.stage, known, kept, frozenset(VOCABULARIES))
    for table in TABLES:
        f = out.files[table.name]
        if table.name in ROW_TABLES:
            problems, count, keyset = validate_file(f, keys, kept)
            if table.name == "sources":
                problems += relay_problems(kept)
            out.add(problems)
            keys[table.name] = keyset
            _, header, index, _ = _opening(f)
            if index is not None:
                out.stage.load(f, header)
                out.rows[table.name] = q(f"s_{table.name}")
                if out.target is not None and not problems:
                    out.target.copy(table)
                if table.name in TARGETS:
                    sqlcheck.key_table(out.stage, table, view(table.name), TARGETS[table.name], lines=True)
                    known[table.name] = True
        else:
            count = _validate_set(f, out, ctx, vocab(kept))
        out.row_counts[table.name] = count


def _validate_set(f: CsvFile, out: Validated, ctx: sqlcheck.Context, rules: Vocab) -> int:
    """A curated table, set-based: a witness scan of DuckDB's read when the file allows it (in
    a build, the one pass that checks and loads it, Target.load), and only when that finds
    something (or Python must read the file), every problem counted on the staged rows.
    Returns the row count."""
    table, stage = f.table, ctx.stage
    problems, header, index, _ = _opening(f, whole=False)
    out.add(problems)
    if index is None:
        return 0
    target = table.name in TARGETS
    src = stage.source(f, header)
    if src is not None:
        if out.target is not None:
            n = out.target.load(table, ctx, src, stage.records_in_lines(table.name))
            n, bad = (-1, True) if n is None else (n, False)
            if not bad and target:
                ctx.keys[table.name] = out.target.keys(table)
        else:
            try:
                n, bad = sqlcheck.witness(table, ctx, src, target)
            except duckdb.Error:                     # DuckDB's strict reader refused a record
                n, bad = -1, True
        if not bad and n == stage.records_in_lines(table.name):
            ctx.known[table.name] = target
            out.rows[table.name] = src
            if table.rows_required and n == 0:
                out.add([Problem(table.file, 1, "-", "no data rows (header only)")])
            return n
    staged = stage.load(f, header)
    if target:
        sqlcheck.key_table(stage, table, view(table.name), TARGETS[table.name], lines=True)
    ctx.known[table.name] = target
    out.rows[table.name] = q(f"s_{table.name}")
    kept = ctx.kept

    def ref_problem(ref: Ref, v: str, in_every: bool) -> Optional[str]:
        allowed = ({k for k, r in kept[ref.table].items() if ref.where is None or r.get(ref.where) == "true"}
                   if ref.table in kept else set())
        return _ref_problem(ref, v, {v} if in_every else set(), allowed, kept)
    found = sqlcheck.exact(table, ctx, out.limit or sys.maxsize, rules, ref_problem)
    listed = sorted(staged.problems + found.listed, key=lambda p: p.line)
    total = len(staged.problems) + found.total
    if table.rows_required and staged.count == 0:
        listed.append(Problem(table.file, 1, "-", "no data rows (header only)"))
        total += 1
    out.add(listed, total)
    return staged.count


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


def _opening(f: CsvFile, whole: bool = True):
    """(file-level and header problems, header cells, column -> index or None when rows can't
    be read by name, the records after the header). whole=False reads only the header line of
    a plain file (no decoding of a big file the stage reads itself)."""
    table, file = f.table, f.table.file
    problems = list(f.problems)
    if f.sha256 is None:
        return problems, None, None, None
    if f.scan is not None and f.scan.size == 0:
        return problems + [Problem(file, 1, "-", "file is empty (expected a header line)")], None, None, None
    first, newline, _ = f.scan.head.partition(b"\n") if f.scan is not None else (b"", b"", b"")
    plain = not whole and f.scan.clean and newline and b'"' not in first and not first.endswith(b"\r")
    recs = records(first.decode("utf-8") + "\n" if plain else f.text)
    header = next(recs, None)
    if header is None or header[1] is None:
        why = "file has no header line" if header is None else f"broken header: {header[2]}"
        return problems + [Problem(file, 1, "-", why)], None, None, None
    hprobs, index = _header(table, header[1])
    return problems + hprobs, header[1], index, recs


def validate_file(f: CsvFile, keys: dict[str, Optional[set[str]]], kept: dict | None = None):
    """Return (problems, data row count, key set or None if the file is unusable). Rows of a
    reference table are added to `kept` (key -> row)."""
    kept = {} if kept is None else kept
    table, file = f.table, f.table.file
    problems, header, index, recs = _opening(f)
    if index is None:
        return problems, 0, None

    model, shape = MODELS[table.name], Records(file, len(header))
    rules, targets = vocab(kept), {ref: _targets(ref, keys, kept) for ref in table.refs}
    keep: Optional[dict[str, dict]] = {} if table.reference and len(table.key) == 1 else None
    seen: dict[tuple, int] = {}
    key_label = "+".join(table.key)
    for line, cells in shape(recs):
        problems.extend(shape.problems)               # structural problems, in line order
        shape.problems.clear()
        row = {c: (cells[index[c]] or None) for c in table.columns}
        empty = set()
        for c in table.required:
            v = row[c]
            if v is None or not v.strip():
                empty.add(c)
                problems.append(Problem(file, line, c, REQUIRED, v))
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
                problems.append(Problem(file, line, key_label, duplicate_key(first), ",".join(key)))
        if keep is not None and row[table.key[0]]:
            keep.setdefault(row[table.key[0]], {**row, "_line": line})
        for ref in table.refs:
            v, (every, allowed) = row[ref.column], targets[ref]
            if v and every is not None and allowed is not None and ref.column not in empty:
                if why := _ref_problem(ref, v, every, allowed, kept):
                    problems.append(Problem(file, line, ref.column, why, v))
    problems.extend(shape.problems)
    count = shape.count
    if table.rows_required and count == 0:
        problems.append(Problem(file, 1, "-", "no data rows (header only)"))
    keyset = {k[0] for k in seen} if len(table.key) == 1 else None
    if keep is not None:
        kept[table.name] = keep
    return problems, count, keyset
