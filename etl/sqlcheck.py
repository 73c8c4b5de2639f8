"""Set-based checks of the curated tables: what the row models and etl/tables.py say about a
row, as SQL over the staged cells (etl/stage.py), with the row validator's exact messages.

Per table, one list of checks, each a SQL condition on one row joined to what it points at:
required cells, the cell types the model declares (ids and patterns, ISO dates, numbers,
allowed values), the model's cross-field rules (`checks(vocab)`, mirrored in RULES), the key,
and the references (Ref, with its `where` flag and `also` values). Types are read from the
pydantic fields themselves, and every message comes from the Python side: a type error's from
pydantic on a sample of that error, a rule's from the model's own checks() on the listed row,
a key's or reference's from etl/validate.py, so the set-based path says exactly what the row
path says (tests/etl/test_sqlcheck.py runs both on every bad-input case).

Two passes, the second only when needed: a witness scan (is there any problem? distinct keys)
over DuckDB's read of the file, no line numbers; then, if it finds something (or the file
needed Python's reader), every problem counted per check on the staged rows with their lines,
and the first `limit` listed.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Literal, Optional, Union

from annotated_types import Ge
from pydantic import BeforeValidator, StringConstraints, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from etl.cells import DATE_SHAPE, ID_PATTERN, NUMBER_SHAPE, parse_date, parse_number
from etl.models import MODELS
from etl.problems import Problem
from etl.stage import Stage, lit, q, view
from etl.tables import BY_NAME, Ref, Table

REQUIRED = "required value is empty"
# Python's str.isspace(): what strip() removes (a required cell of only these is empty). None
# lies past U+3000 (tests/etl/test_sqlcheck.py checks the whole range): scanning all 1.1M code
# points cost 0.3 s of every run's imports.
SPACE_MAX = 0x3000
_WS = "[" + "".join(f"\\x{{{c:x}}}" for c in range(SPACE_MAX + 1) if chr(c).isspace()) + "]*"
_NONFINITE = ("[" + _WS[1:-2] + "]*[+-]*(?:[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)"
              "[" + _WS[1:-2] + "]*")


def re2(pattern: str) -> str:
    """A row model's pattern for DuckDB's full match: anchors off, and \\d as pydantic's regex
    engine reads it (any script's digits)."""
    return pattern.removeprefix("^").removesuffix("$").replace("\\d", "\\p{Nd}")


ID_RE = re2(ID_PATTERN)


# --- Cell types, read from the row models ------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    column: str
    optional: bool
    kind: str                       # str | pattern | date | number | literal
    pattern: Optional[str] = None   # RE2, full match
    values: tuple = ()
    nonnegative: bool = False
    adapter: Optional[TypeAdapter] = None


def _cell(column: str, info) -> Cell:
    ann, meta = info.annotation, list(info.metadata)
    optional = False
    if typing.get_origin(ann) in (Union, types.UnionType) and type(None) in typing.get_args(ann):
        optional, ann = True, next(a for a in typing.get_args(ann) if a is not type(None))
    if typing.get_origin(ann) is Annotated:
        ann, *more = typing.get_args(ann)
        meta += more
    meta = [x for m in meta for x in ([m, *m.metadata] if isinstance(m, FieldInfo) else [m])]
    adapter = TypeAdapter(Annotated[(ann, *meta)] if meta else ann)
    before = [m.func for m in meta if isinstance(m, BeforeValidator)]
    patterns = [m.pattern for m in meta if isinstance(m, StringConstraints) and m.pattern]
    if before == [parse_date]:
        return Cell(column, optional, "date", adapter=adapter)
    if before == [parse_number]:
        return Cell(column, optional, "number", adapter=adapter,
                    nonnegative=any(isinstance(m, Ge) and m.ge == 0 for m in meta))
    meta = [m for m in meta if not isinstance(m, FieldInfo)]
    if not before and len(patterns) == 1 and ann is str:
        return Cell(column, optional, "pattern", re2(patterns[0]), adapter=adapter)
    if not before and not meta and typing.get_origin(ann) is Literal:
        return Cell(column, optional, "literal", values=typing.get_args(ann), adapter=adapter)
    if not before and not meta and ann is str:
        return Cell(column, optional, "str", adapter=adapter)
    raise TypeError(f"{column}: no set-based check for the cell type {info.annotation} {meta}")


@lru_cache(maxsize=None)
def cells(table: str) -> dict[str, Cell]:
    """The table's cells in the model's field order (pydantic reports errors in that order)."""
    t = BY_NAME[table]
    out = {c: _cell(c, info) for c, info in MODELS[table].model_fields.items()}
    for c in out.values():
        if not c.optional and c.column not in t.required:
            raise TypeError(f"{table}.{c.column}: a model field without default must be required")
    return out


@lru_cache(maxsize=None)
def message(table: str, column: str, sample: str) -> str:
    """What the row validator says about `sample` in this cell (pydantic on the cell type)."""
    from etl.validate import _message
    try:
        cells(table)[column].adapter.validate_python(sample)
    except ValidationError as e:
        return _message(e.errors(include_url=False)[0])
    raise ValueError(f"{table}.{column}: {sample!r} is valid")


# sample values for each type error, in the order pydantic checks them
SAMPLES = {"pattern": {"pattern": "\0"}, "literal": {"literal": "\0"},
           "date": {"date_format": "x", "date_impossible": "2026-02-30"},
           "number": {"not_finite": "nan", "number_format": "x", "negative": "-1"}}


def _type_error(cell: Cell, c: str) -> str:
    """SQL: the kind of type error of the non-NULL cell `c` (SAMPLES' names, in pydantic's
    order: the first that applies), or NULL."""
    if cell.kind == "pattern":
        return f"CASE WHEN NOT regexp_full_match({c}, {lit(cell.pattern)}) THEN 'pattern' END"
    if cell.kind == "literal":
        return f"CASE WHEN {c} NOT IN ({', '.join(lit(v) for v in cell.values)}) THEN 'literal' END"
    if cell.kind == "date":
        return (f"CASE WHEN NOT regexp_full_match({c}, {lit(DATE_SHAPE)}) THEN 'date_format' "
                f"WHEN starts_with({c}, '0000') OR try_cast({c} AS DATE) IS NULL THEN 'date_impossible' END")
    if cell.kind == "number":
        value = f"try_cast({c} AS DOUBLE)"
        return (f"CASE WHEN regexp_full_match({c}, {lit(NUMBER_SHAPE)}) THEN "
                f"CASE WHEN isinf({value}) THEN 'not_finite' "
                + (f"WHEN {value} < 0 THEN 'negative' " if cell.nonnegative else "")
                + f"END WHEN regexp_full_match({c}, {lit(_NONFINITE)}) THEN 'not_finite' "
                "ELSE 'number_format' END")
    return "NULL"


def _blank_sql(c: str) -> str:
    """SQL: cell `c` is empty or only whitespace (a cell starting with a printable ASCII
    character is not: the common case costs one comparison). A CASE, not an AND: DuckDB
    computes both sides of an AND in a projected column, and the regex on every row cost the
    10M-row load about 1 s; a CASE runs its ELSE only on the rows that reach it."""
    return (f"({c} IS NULL OR CASE WHEN unicode({c}) BETWEEN 33 AND 132 THEN FALSE "
            f"ELSE regexp_full_match({c}, {lit(_WS)}) END)")


def flagged(table: Table, source: str) -> str:
    """SELECT over `source` adding, per cell, its type error (_t_<cell>) and, for a required
    cell, whether it is empty (_b_<cell>); _typed: every cell has its type (the rules' gate:
    pydantic runs a model's checks() only on a row that validates)."""
    cs, flags, typed = cells(table.name), [], []
    for c, cell in cs.items():
        x = f"s.{q(c)}"
        flags.append(f"CASE WHEN {x} IS NOT NULL THEN {_type_error(cell, x)} END AS {q('_t_' + c)}")
        if c in table.required:
            flags.append(f"{_blank_sql(x)} AS {q('_b_' + c)}")
        typed.append(f"({x} IS NOT NULL OR {str(cell.optional).upper()})")
    inner = f"(SELECT *, {', '.join(flags)}, {' AND '.join(typed) or 'TRUE'} AS _nonnull FROM {source} s)"
    every = " AND ".join(["_nonnull", *(f"{q('_t_' + c)} IS NULL" for c in cs)])
    return f"(SELECT *, {every} AS _typed FROM {inner})"


# --- The models' cross-field rules, in SQL -----------------------------------------------------
# Each rule: (column, SQL condition) on a row whose every cell has its type (`r.` the row;
# num()/day() the typed cell), in the order the model's checks() yields them. Joined facts of
# the reference tables (first row per key, as the validator's Vocab): vb = bounds,
# sm = spec_metrics, tm = term_metrics.
def _num(c: str) -> str:
    return f"try_cast(r.{q(c)} AS DOUBLE)"


def _day(c: str) -> str:
    return f"try_cast(r.{q(c)} AS DATE)"


def _range() -> list[tuple[str, str]]:
    return [("value_high", "r.bound = 'range' AND r.value_high IS NULL"),
            ("value_high", "r.bound <> 'range' AND r.value_high IS NOT NULL"),
            ("value_high", f"r.bound = 'range' AND r.value IS NOT NULL AND r.value_high IS NOT NULL "
                           f"AND {_num('value_high')} < {_num('value')}")]


def _period(date: str, precision: str) -> list[tuple[str, str]]:
    d, p = _day(date), f"r.{q(precision)}"
    return [(date, f"{d} IS NOT NULL AND {p} = 'month' AND day({d}) <> 1"),
            (date, f"{d} IS NOT NULL AND {p} = 'quarter' AND (day({d}) <> 1 OR month({d}) NOT IN (1, 4, 7, 10))"),
            (date, f"{d} IS NOT NULL AND {p} = 'year' AND (day({d}) <> 1 OR month({d}) <> 1)")]


RULES: dict[str, list[tuple[str, str]]] = {
    "trade_figures": [
        ("value", "vb.k IS NOT NULL AND vb.has_value IS DISTINCT FROM 'true' AND r.value IS NOT NULL"),
        ("value", "vb.has_value = 'true' AND r.value IS NULL"),
        *_range(),
        ("published_date", f"r.published_date IS NOT NULL AND {_day('published_date')} < {_day('as_of_date')}"),
        *_period("as_of_date", "as_of_precision")],
    "chip_specs": [
        ("unit", "sm.unit IS NOT NULL AND sm.unit <> r.unit"),
        *_range(),
        ("sparsity", "sm.sparsity_rule = 'none' AND r.sparsity <> 'n/a'"),
        ("sparsity", "sm.sparsity_rule = 'throughput' AND r.sparsity = 'n/a'")],
    "spec_derivations": [("from_chip_id", "r.chip_id = r.from_chip_id")],
    "reported_ratios": [
        ("reference_chip_id", "r.chip_id = r.reference_chip_id"),
        ("value", f"{_num('value')} = 0"),
        *_range()],
    "events": _period("date", "date_precision"),
    "policy_terms": [("unit", "tm.unit IS NOT NULL AND tm.unit <> r.unit")],
    "revisions": [("field", "r.action = 'revised' AND r.field IS NULL"),
                  ("new_value", "r.action = 'withdrawn' AND r.new_value IS NOT NULL")],
    "expected_reports": _period("expected_date", "expected_precision"),
}
# The reference facts a table's rules read: alias -> (reference table, joined on, columns).
FACTS: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "trade_figures": {"vb": ("bounds", "bound", ("has_value",))},
    "chip_specs": {"sm": ("spec_metrics", "metric", ("unit", "sparsity_rule"))},
    "policy_terms": {"tm": ("term_metrics", "metric", ("unit",))},
}


# --- One table's checks -----------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    kind: str        # required | type | rule | ref
    column: str
    cond: str        # SQL, true when the row has this problem
    detail: object = None   # type error kind, rule number, or the Ref


def _blank(c: str) -> str:
    return f"r.{q('_b_' + c)}"


@dataclass
class Context:
    """What the checks of one table may join: the stage, and for each target table whether its
    keys are known (staged) and its where-flags kept (a reference table)."""
    stage: Stage
    known: dict[str, bool]        # table -> its key set is in k_<table>
    kept: dict[str, dict]         # reference table -> key -> first row (validate.py's kept)
    vocabularies: frozenset[str]
    small: dict[str, bool] = field(default_factory=dict)   # see _small()
    keys: dict[str, str] = field(default_factory=dict)     # table -> FROM item of its keys (k), else k_<table>


def _keys(ctx: Context, target: str) -> str:
    """The target's key set: its key table, or the key column of the rows loaded into the build
    (a table checked and loaded in one pass, its keys found unique, etl/build.py Target)."""
    return ctx.keys.get(target, q("k_" + target))


def checks(table: Table, ctx: Context) -> list[Check]:
    cs = cells(table.name)
    out: list[Check] = []
    required = [c for c in table.columns if c in table.required]
    for c in required:
        out.append(Check("required", c, _blank(c)))
    for c, cell in cs.items():
        blank = f" AND NOT {_blank(c)}" if c in table.required else ""
        for kind in SAMPLES.get(cell.kind, {}):
            out.append(Check("type", c, f"r.{q('_t_' + c)} = {lit(kind)}{blank}", kind))
    typed = "r._typed"
    for i, (column, cond) in enumerate(RULES.get(table.name, [])):
        out.append(Check("rule", column, f"({typed}) AND ({cond})", i))
    for i, ref in enumerate(table.refs):
        if not ctx.known.get(ref.table) or (ref.where is not None and ref.table not in ctx.kept):
            continue                                   # the target is unusable: not checked
        c = f"r.{q(ref.column)}"
        every, allowed = _membership(ctx, ref, c, f"ref{i}")
        cond = [f"{c} IS NOT NULL", f"NOT ({allowed})"]
        if ref.column in table.required:
            cond.append(f"NOT {_blank(ref.column)}")
        if ref.also:
            cond.append(f"{c} NOT IN ({', '.join(lit(v) for v in ref.also)})")
        if ref.table not in ctx.vocabularies:
            cond.append(f"({every} OR regexp_full_match({c}, {lit(ID_RE)}))")
        out.append(Check("ref", ref.column, " AND ".join(cond), (ref, every)))
    return out


SMALL = 1000   # a target with at most this many keys is checked by a subquery, not joined


def _small(ctx: Context, target: str) -> bool:
    """Whether the target table's key table is small (else its reference checks join it)."""
    if target not in ctx.small:
        k = _keys(ctx, target)
        ctx.small[target] = ctx.stage.sql(f"SELECT count(*) FROM {k} WHERE k IS NOT NULL")[0][0] <= SMALL
    return ctx.small[target]


def _in(ctx: Context, c: str, target: str, where: Optional[str] = None) -> str:
    """SQL: c is a key of the target (that this `where` flag allows): the keys are read from
    the key table, never written into the statement (they are data)."""
    allowed = f" AND {q('w_' + where)}" if where else ""
    return f"{c} IN (SELECT k FROM {_keys(ctx, target)} WHERE k IS NOT NULL{allowed})"


def _membership(ctx: Context, ref: Ref, c: str, alias: str) -> tuple[str, str]:
    """SQL: (c is a key of the target, c is a key this reference may use)."""
    if not _small(ctx, ref.table):
        every = f"{alias}.k IS NOT NULL"
        return every, every + (f" AND {alias}.{q('w_' + ref.where)}" if ref.where else "")
    return _in(ctx, c, ref.table), _in(ctx, c, ref.table, ref.where)


def joined(table: Table, ctx: Context, source: str) -> str:
    """SELECT over `source` (the table's rows) with what the checks join, as r, vb, ref0, ..."""
    joins = []
    for alias, (ref_table, on, columns) in FACTS.get(table.name, {}).items():
        if ref_table in ctx.kept:
            key = BY_NAME[ref_table].key[0]
            firsts = ", ".join(f"first({q(c)} ORDER BY _line) AS {q(c)}" for c in columns)
            facts = f"(SELECT {q(key)} AS k, {firsts} FROM {view(ref_table)} WHERE {q(key)} IS NOT NULL GROUP BY 1)"
        else:
            facts = "(SELECT " + ", ".join(f"NULL::VARCHAR AS {q(c)}" for c in ("k", *columns)) + " WHERE false)"
        joins.append(f"LEFT JOIN {facts} AS {alias} ON {alias}.k = r.{q(on)}")
    for i, ref in enumerate(table.refs):
        if ctx.known.get(ref.table) and not _small(ctx, ref.table):
            joins.append(f"LEFT JOIN {_keys(ctx, ref.table)} AS ref{i} ON ref{i}.k = r.{q(ref.column)}")
    return f"FROM {flagged(table, source)} AS r " + " ".join(joins)


def key_table(stage: Stage, table: Table, source: str, flags: tuple[str, ...], lines: bool) -> None:
    """k_<table>: each key once, with how often it occurs, the first line (from staged rows)
    and, for refs with a `where`, whether its first row has that flag 'true'."""
    key = q(table.key[0])
    extra = "".join(f", first({q(w)} ORDER BY _line) = 'true' AS {q('w_' + w)}" for w in flags)
    first = ", min(_line) AS first" if lines else ""
    stage.sql(f"CREATE OR REPLACE TABLE {q('k_' + table.name)} AS SELECT {key} AS k, count(*) AS n{first}"
              f"{extra} FROM {source} WHERE {key} IS NOT NULL GROUP BY 1")


def witness(table: Table, ctx: Context, source: str, target: bool) -> tuple[int, bool]:
    """One scan of DuckDB's read of the file: (rows, whether any row or key has a problem)."""
    cs = checks(table, ctx)
    bad = " OR ".join(f"({c.cond})" for c in cs) or "FALSE"
    keys = ", ".join(f"r.{q(k)}" for k in table.key)
    if target:   # the key set is kept for the tables that point here
        k = q("k_" + table.name)
        ctx.stage.sql(f"CREATE OR REPLACE TABLE {k} AS SELECT r.{q(table.key[0])} AS k, count(*) AS n, "
                      f"bool_or({bad}) AS bad {joined(table, ctx, source)} GROUP BY 1")
        n, any_bad, dup = ctx.stage.sql(f"SELECT coalesce(sum(n), 0), coalesce(bool_or(bad), false), "
                                        f"coalesce(max(n) FILTER (WHERE k IS NOT NULL), 0) > 1 FROM {k}")[0]
        return n, bool(any_bad or dup)
    present = " AND ".join(f"r.{q(k)} IS NOT NULL" for k in table.key)
    n, any_bad, dup = ctx.stage.sql(
        f"SELECT count(*), coalesce(bool_or({bad}), false), count(*) FILTER (WHERE {present}) "
        f"- count(DISTINCT ({keys})) FILTER (WHERE {present}) {joined(table, ctx, source)}")[0]
    return n, bool(any_bad or dup)


@dataclass
class Found:
    """Problems of one table: the first `limit` in row order, and how many there are."""
    listed: list[Problem]
    total: int


def exact(table: Table, ctx: Context, limit: int, vocab, ref_problem) -> Found:
    """Every problem of the staged table counted, the first `limit` listed with the row
    validator's messages (`ref_problem` is etl/validate.py's, `vocab` its Vocab)."""
    stage, v, file = ctx.stage, view(table.name), table.file
    cs = checks(table, ctx)
    rel = joined(table, ctx, v)
    counts = stage.sql("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c.cond})" for c in cs) + f" {rel}")[0] \
        if cs else ()
    keys = ", ".join(q(k) for k in table.key)
    present = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    dups = (f"(SELECT {keys}, count(*) AS n, min(_line) AS first FROM {v} WHERE {present} "
            f"GROUP BY ALL HAVING count(*) > 1)")
    n_dup = stage.sql(f"SELECT coalesce(sum(n - 1), 0) FROM {dups}")[0][0]
    total = sum(counts) + n_dup
    hits: list[tuple] = []      # (line, order, check number or -1, cells, extra)
    columns = [q(c) for c in table.columns]
    shown = ", ".join(f"r.{c}" for c in columns)
    for i, (c, n) in enumerate(zip(cs, counts)):
        if n:
            known = c.detail[1] if c.kind == "ref" else "NULL"
            for row in stage.sql(f"SELECT r._line, {known}, {shown} {rel} WHERE {c.cond} "
                                 f"ORDER BY r._line LIMIT {limit}"):
                hits.append((row[0], i, row[2:], row[1]))
    if n_dup:
        for row in stage.sql(f"SELECT r._line, d.first, {shown} FROM {v} r JOIN {dups} d USING ({keys}) "
                             f"WHERE r._line > d.first ORDER BY r._line LIMIT {limit}"):
            hits.append((row[0], -1, row[2:], row[1]))
    hits.sort(key=lambda h: (h[0], _order(cs, h[1])))
    listed, said = [], {}
    for line, i, values, extra in hits[:limit]:
        row = dict(zip(table.columns, values))
        if i == -1:
            key = tuple(row[k] for k in table.key)
            listed.append(Problem(file, line, "+".join(table.key), f"duplicate key (first at line {extra})",
                                  ",".join(key)))
            continue
        c = cs[i]
        value = row.get(c.column)
        if c.kind == "required":
            listed.append(Problem(file, line, c.column, REQUIRED, value))
        elif c.kind == "type":
            sample = SAMPLES[cells(table.name)[c.column].kind][c.detail]
            listed.append(Problem(file, line, c.column, message(table.name, c.column, sample), value))
        elif c.kind == "rule":   # the model's own words, in the order its checks() says them
            if line not in said:
                said[line] = list(MODELS[table.name].model_validate(row).checks(vocab))
            msg = next((m for col, m in said[line] if col == c.column), None)
            if msg is not None:
                said[line].remove((c.column, msg))
            listed.append(Problem(file, line, c.column, msg or f"rule {c.detail} of {table.name} failed, "
                                  "but the row model disagrees (a bug in etl/sqlcheck.py)", value))
        else:
            listed.append(Problem(file, line, c.column, ref_problem(c.detail[0], value, bool(extra)), value))
    return Found(listed, total)


def _order(cs: list[Check], i: int) -> tuple:
    """Within a row: required, type errors, rules, the key, references (the row path's order)."""
    if i == -1:
        return (3, 0)
    return ({"required": 0, "type": 1, "rule": 2, "ref": 4}[cs[i].kind], i)
